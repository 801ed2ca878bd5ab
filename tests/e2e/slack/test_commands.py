"""Slash commands through the real app: acked with the answer, people resolved and linked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.slack import strings as st
from handlers import strings_en as t
from store.models import ChatIdentity, Employee
from tests.e2e.slack.conftest import ANA, CHEN, NO_EMAIL, STRANGER, ZHOU, every_answer_slow


def texts(resp) -> str:  # type: ignore[no-untyped-def]
    """All text of an ack's blocks, for assertions."""
    out = [resp.json().get("text", "")]
    for b in resp.json().get("blocks", []):
        out.append((b.get("text") or {}).get("text", ""))
        out += [f.get("text", "") for f in b.get("fields", [])]
        out += [e.get("text", "") for e in b.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(out)


def test_help_is_acked_with_every_command(slack):
    resp = slack.command(CHEN, "", command="/help")
    assert resp.status_code == 200
    body = resp.json()
    assert body["response_type"] == "ephemeral" and body["text"].startswith("perfbot commands")
    for name in ("goals", "score", "explain", "praise", "appeal", "kpi", "team"):
        assert f"/{name}" in texts(resp)


def test_perf_prefix_and_own_slash_command_are_the_same(slack):
    a = slack.command(ANA, "score").json()
    b = slack.command(ANA, "", command="/score").json()
    assert a["blocks"] == b["blocks"] and a["text"].startswith("Score · Ana Li")


def test_first_use_links_the_identity_through_users_info(slack, demo):
    slack.command(ANA, "goals", command="/perf")
    slack.command(ANA, "", command="/goals")
    # users.info once: the second request finds the stored ChatIdentity.
    assert [c["user"] for c in slack.fake.of("users.info")] == [ANA]
    with demo.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.platform_user_id == ANA))
        emp = uow.session.get(Employee, ident.employee_id)
    assert emp.email == "ana.li@acme.example" and ident.username == "ana"


def test_manager_sees_a_report_by_slack_mention(slack):
    slack.command(ANA, "", command="/goals")  # Ana has used the app: her mention resolves
    resp = slack.command(CHEN, f"<@{ANA}|ana>", command="/score")
    assert "Score · Ana Li" in resp.json()["text"] and "Sales (40%)" in texts(resp)
    buttons = [e for b in resp.json()["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert any(e["action_id"].startswith("ex:") for e in buttons)


def test_a_report_who_never_used_the_app_is_found_by_mention(slack, demo):
    # Slack sends only her user id; users.info gives her e-mail, and she is linked.
    resp = slack.command(CHEN, f"<@{ANA}|ana>", command="/score")
    assert "Score · Ana Li" in resp.json()["text"], texts(resp)
    with demo.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.platform_user_id == ANA))
    assert ident is not None
    again = slack.command(CHEN, f"<@{ANA}|ana>", command="/score")
    assert "Score · Ana Li" in again.json()["text"]
    assert [c["user"] for c in slack.fake.of("users.info")].count(ANA) == 1, "looked up once"


def test_a_mention_of_someone_unknown_still_gets_a_clear_answer(slack):
    resp = slack.command(CHEN, "<@U0NOBODY|ghost>", command="/score")
    assert resp.status_code == 200 and resp.json()["response_type"] == "ephemeral"
    assert t.UNKNOWN_PERSON_TITLE in texts(resp)
    assert "U0NOBODY" in [c["user"] for c in slack.fake.of("users.info")], "looked up first"


def test_a_peer_is_refused(slack):
    slack.command(ANA, "", command="/goals")
    resp = slack.command(ZHOU, f"<@{ANA}>", command="/score")
    assert resp.json()["text"].startswith("Not allowed")


@pytest.mark.parametrize(
    "user, shown", [(STRANGER, "someone@elsewhere.example"), (NO_EMAIL, "shares no e-mail")]
)
def test_unknown_people_get_a_friendly_explanation(slack, user, shown):
    resp = slack.command(user, "score")
    assert resp.status_code == 200
    assert resp.json()["text"].startswith("Welcome to perfbot") and shown in texts(resp)


@pytest.mark.parametrize(
    "text", ["score 2026-13", "kpi", "%%%", "appeal sales", "score @" + "x" * 5000]
)
def test_bad_input_gets_usage_not_an_error(slack, text):
    resp = slack.command(CHEN, text)
    assert resp.status_code == 200 and resp.json()["text"].startswith("That didn't work")


def test_user_text_cannot_inject_mentions(slack):
    resp = slack.command(CHEN, "help <!channel>")  # echoed back in the problem
    dumped = resp.text
    assert "<!channel>" not in dumped and "@channel" in dumped, "plain text: notifies nobody"
    # Typed "<!here>" arrives escaped, is read as typed, and goes back escaped once.
    typed = slack.command(CHEN, "help &lt;!here&gt;").text
    assert "<!here>" not in typed and "&lt;!here&gt;" in typed


@pytest.mark.parametrize("linked", [False, True], ids=["first-use", "linked"])
def test_a_slow_answer_is_acked_at_once_and_follows_on_the_response_url(slack, monkeypatch, linked):
    if linked:  # linked on first use; a first use is looked up through users.info
        assert slack.command(ANA, "", command="/help").status_code == 200
    every_answer_slow(slack, monkeypatch)
    before = len(slack.fake.of("response"))
    resp = slack.command(ANA, "", command="/goals")
    assert resp.json() == {"response_type": "ephemeral", "text": st.WORKING}
    later = slack.fake.wait_for("response", before + 1)[-1]
    assert later["text"].startswith("Goals · Ana Li") and later["response_type"] == "ephemeral"


def test_a_quick_read_on_sqlite_is_answered_where_it_arrives(slack, demo, monkeypatch):
    """One's own score on an embedded database is answered on the event loop (a thread
    trip costs more than the read): in the ack even when every answer is slower than the
    budget. On PostgreSQL a read waits on the network, so it goes to a worker thread."""
    for user in (ANA, CHEN):  # linked
        assert slack.command(user, "", command="/help").status_code == 200
    every_answer_slow(slack, monkeypatch)  # a thread's answer can never beat the budget
    resp = slack.command(ANA, "", command="/score")
    if demo.engine.dialect.name == "sqlite":
        assert resp.json()["text"].startswith("Score · Ana Li")
    else:
        assert resp.json() == {"response_type": "ephemeral", "text": st.WORKING}
    someone_else = slack.command(CHEN, "score ana.li@acme.example")  # may be refused: audited
    assert someone_else.json() == {"response_type": "ephemeral", "text": st.WORKING}


def test_a_handler_crash_is_an_apology_not_a_500(slack, monkeypatch):
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(slack.app.dispatcher, "command", boom)
    resp = slack.command(ANA, "", command="/score")
    assert resp.status_code == 200 and resp.json()["text"].startswith(t.ERROR_TITLE)
