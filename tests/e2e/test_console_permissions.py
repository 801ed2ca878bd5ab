"""The console as each role: who sees whose score, and refusals that are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console.app import ConsoleSession, UnknownUser
from store.models import AuditEvent

MANAGER, REPORT, PEER = "chen.jing@acme.example", "ana.li@acme.example", "zhou.tao@acme.example"


def session(rt, who: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, who)


def test_manager_sees_a_reports_breakdown(demo):
    reply = session(demo, MANAGER).handle(f"/score {REPORT}")
    card = reply.cards[0]
    assert reply.ok and card.title == "Score · Ana Li · 2026-11"
    assert any(line.startswith("Sales (40%)") for line in card.lines)
    assert card.fields[0][0] == "Total" and "crm" in card.footnote


def test_a_peer_is_refused_and_the_refusal_is_audited(demo):
    reply = session(demo, PEER).handle(f"/score {REPORT}")
    assert not reply.ok and reply.cards[0].title == "Not allowed"
    with demo.uow() as uow:
        ev = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert ev.action == "denied" and ev.actor == PEER and ev.after["attempted"] == "score.view"


@pytest.mark.parametrize(
    "who, target, allowed",
    [
        ("li.wei@acme.example", "raj.kumar@acme.example", True),  # manager of a manager
        ("jonas.weber@acme.example", "ana.li@acme.example", False),  # other department head
        ("cheryl.tan@acme.example", "raj.kumar@acme.example", True),  # HR of the same branch
        ("cheryl.tan@acme.example", "ana.li@acme.example", False),  # HR of another branch
        ("zhao.min@acme.example", "lena.fischer@acme.example", True),  # HR at headquarters
        ("wang.jun@acme.example", "lena.fischer@acme.example", True),  # admin
        ("ana.li@acme.example", "ana.li@acme.example", True),  # self
    ],
)
def test_visibility_by_role(demo, who, target, allowed):
    assert session(demo, who).handle(f"/goals {target}").ok is allowed


def test_garbage_gets_usage_not_a_traceback(demo):
    s = session(demo, MANAGER)
    for line in (
        "/score 2026-13",
        "/kpi",
        "/%%%",
        "press",
        "press x y notafield",
        "\x00\x01",
        "/appeal sales",
        "/praise",
        "/score @" + "x" * 5000,
        "press ap:acc:999",
    ):
        reply = s.handle(line)
        assert reply.cards and not reply.ok, line


def test_unknown_console_user_is_a_clear_error(demo):
    with pytest.raises(UnknownUser, match="no active employee"):
        session(demo, "nobody@acme.example")


def test_acknowledging_goals_from_the_goals_card(demo):
    s = session(demo, REPORT)
    card = s.handle("/goals").cards[0]
    ack = next(b for b in card.buttons if b.action == "gl:ack")
    assert s.handle(f"press {ack.callback}").ok
    again = s.handle(f"press {ack.callback}")
    assert "Already handled" in again.cards[0].lines[0]
