"""Forged and stale signatures are refused and change nothing; malformed payloads get 400."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from store.models import AuditEvent, ChatIdentity
from tests.e2e.slack.conftest import ANA, FORM, sign

PAYLOADS = Path(__file__).parents[2] / "adapters" / "payloads"


def counts(demo) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        s = uow.session
        return (
            s.scalar(select(func.count()).select_from(AuditEvent)),
            s.scalar(select(func.count()).select_from(ChatIdentity)),
        )


def command_body(user: str = ANA, text: str = "goals ack") -> bytes:
    fields = {"command": "/perf", "text": text, "user_id": user, "team_id": "T111"}
    return urlencode(fields).encode()


# Built when the test runs, not at collection: a timestamp must be "now" relative to the run.
BAD_SIGNATURES = {
    "unsigned": lambda: {},
    "zeros": lambda: {
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    },
    "other secret": lambda: sign(command_body(), secret="not-the-secret"),
    "ten minutes old": lambda: sign(command_body(), ts=int(time.time()) - 600),
    "from the future": lambda: sign(command_body(), ts=int(time.time()) + 600),
    "not a number": lambda: {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"},
    "other bytes": lambda: sign(b"something else"),
}


@pytest.mark.parametrize("case", sorted(BAD_SIGNATURES))
def test_bad_signatures_get_401_and_change_nothing(slack, demo, case):
    before, headers = counts(demo), BAD_SIGNATURES[case]()
    resp = slack.http.post(
        "/slack/events", content=command_body(), headers={"Content-Type": FORM, **headers}
    )
    assert resp.status_code == 401
    assert counts(demo) == before
    assert [c.method for c in slack.fake.calls] == ["auth.test"]  # the start-up check only


@pytest.mark.parametrize(
    "body, ctype",
    [
        (b"payload=%7Bnot+json", FORM),
        (b'{"type": "event_callback", "event": "x"', "application/json"),
        (b"\xff\xfe\x00", FORM),
        (b"[1, 2, 3]", "application/json"),
        (b'{"type": "block_actions", "actions": []}', "application/json"),
        (urlencode({"payload": json.dumps({"type": "block_actions"})}).encode(), FORM),
        (urlencode({"payload": json.dumps({"type": "view_submission"})}).encode(), FORM),
        (b'{"type": "event_callback", "event": {"type": "app_home_opened"}}', "application/json"),
        (b'{"type": "surprise"}', "application/json"),
        (b"command=score&text=x", FORM),  # no slash, no user
        (b"command=%2Fscore&text=x", FORM),  # no user
    ],
)
def test_malformed_payloads_get_400_not_500(slack, demo, body, ctype):
    before = counts(demo)
    resp = slack.post(body, ctype)
    assert resp.status_code == 400, resp.text
    assert "error" in resp.json() and counts(demo) == before


def test_the_recorded_samples_are_accepted(slack):
    for name, ctype in (
        ("slack_slash_command.txt", FORM),
        ("slack_app_home_opened.json", "application/json"),
    ):
        body = (PAYLOADS / name).read_bytes().strip()
        assert slack.post(body, ctype).status_code == 200


def test_url_verification_challenge(slack):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    resp = slack.post(body, "application/json")
    assert resp.status_code == 200 and resp.json() == {"challenge": "abc123"}


def test_health(slack):
    resp = slack.http.get("/healthz")
    assert resp.status_code == 200 and resp.json() == {"ok": True, "db": True}
    assert slack.http.get("/slack/events").status_code == 405
