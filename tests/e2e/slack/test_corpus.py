"""The corpus of real Slack payloads (tests/adapters/payloads/corpus/: Slack's documentation
and bolt-python's own tests, each naming its source) replayed against `perfbot serve
slack`'s HTTP endpoint, signed as Slack signs: every one answered as its `expect` says,
never a 5xx, and nothing logged at ERROR."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from store.models import Praise
from tests.e2e.slack.conftest import FORM, SlackClient

CORPUS = Path(__file__).parents[2] / "adapters" / "payloads" / "corpus"
FIXTURES = sorted(CORPUS.glob("slack_*.json"))
# The corpus' user ids, as demo people (their e-mail in users.info): real payloads run
# unchanged and act as someone perfbot knows. W222 is named in commands, never a sender.
PEOPLE = {
    "W111": "chen.jing@acme.example",  # bolt-python's "primary-owner": a manager
    "U061F7AUR": "ana.li@acme.example",
    "U2147483697": "ana.li@acme.example",
    "W222": "zhou.tao@acme.example",
}
# Web API calls that are an answer to someone (not mere look-ups such as users.info).
ANSWERS = ("response", "chat.", "views.", "files.")
HOOKS = "https://hooks.slack.com/"


def load(path: Path) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert fixture.get("source") and fixture.get("note"), f"{path.name} must name its source"
    return fixture


def wire(fixture: dict[str, Any], hooks: str) -> tuple[bytes, str]:
    """The body as Slack puts it on the wire, and its content type; its response URLs point
    at `hooks` (the fake Slack) instead of hooks.slack.com."""
    kind = fixture["wire"]
    body = json.loads(json.dumps(fixture["body"]).replace(HOOKS, hooks))
    if kind == "json":
        return json.dumps(body).encode(), "application/json"
    if kind == "payload":
        return urlencode({"payload": json.dumps(body)}).encode(), FORM
    return urlencode(body).encode(), FORM


def answers(slack: SlackClient, since: int) -> list[str]:
    return [c.method for c in slack.fake.calls[since:] if c.method.startswith(ANSWERS)]


def replay(slack: SlackClient, fixture: dict[str, Any]) -> httpx.Response:
    body, ctype = wire(fixture, slack.fake.response_url(""))
    return slack.post(body, ctype, fixture.get("headers"))


def test_every_fixture_names_its_source_and_the_kinds_are_all_there():
    names = {p.stem.removeprefix("slack_") for p in FIXTURES}
    for path in FIXTURES:
        load(path)
    for kind in (
        "slash_command_enterprise_grid", "slash_command_org_wide_install",
        "slash_command_escaped_text", "slash_command_mention_without_name",
        "block_actions_message", "block_actions_modal", "block_actions_app_home",
        "view_submission_foreign", "view_closed", "shortcut_global", "shortcut_message",
        "event_app_home_opened_retry", "event_app_rate_limited", "event_url_verification",
        "ssl_check",
    ):  # fmt: skip
        assert kind in names


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem.removeprefix("slack_"))
def test_real_payload_is_answered_without_error(slack, demo, path, caplog):
    fixture = load(path)
    for user, email in PEOPLE.items():
        slack.fake.add_user(user, email, email.split("@")[0])
    expect = fixture["expect"]
    since = len(slack.fake.calls)
    with caplog.at_level(logging.INFO):
        resp = replay(slack, fixture)
        slack.drain()
    assert resp.status_code == expect["status"], resp.text
    answer = expect["answer"]
    if answer == "reply":
        shown = resp.json()
        assert shown.get("blocks") or shown.get("text"), shown
        assert "&amp;amp;" not in json.dumps(shown), "escaped once on the way out, not twice"
        if "contains" in expect:
            assert expect["contains"] in json.dumps(shown, ensure_ascii=False)
    elif answer == "empty":
        assert resp.content == b""
    elif answer == "challenge":
        assert resp.json() == {"challenge": fixture["body"]["challenge"]}
    elif answer == "options":
        assert resp.json() == {"options": []}
    else:  # ignored or acked: nothing in the acknowledgement
        assert resp.content in (b"", b"{}"), resp.content
    done = answers(slack, since)
    if expect.get("acts"):
        assert done, "the press or event should have shown something"
    elif answer in ("ignored", "empty", "challenge", "options"):
        assert done == [], f"nothing to do, yet {done}"
    if "stored_praise" in expect:  # unescaped once on the way in
        with demo.uow() as uow:
            text = uow.session.scalars(select(Praise.text).order_by(Praise.id.desc())).first()
        assert text == expect["stored_praise"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


def test_a_retried_event_replayed_again_is_acked_and_not_run_twice(slack):
    fixture = load(CORPUS / "slack_event_app_home_opened_retry.json")
    for user, email in PEOPLE.items():
        slack.fake.add_user(user, email)
    assert replay(slack, fixture).status_code == 200
    again = dict(fixture, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"})
    assert replay(slack, again).status_code == 200
    slack.drain()
    assert len(slack.fake.of("views.publish")) == 1
