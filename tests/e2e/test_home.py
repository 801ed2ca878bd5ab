"""The home screen (handlers/scores/home.py), through the console: what each person sees."""

from __future__ import annotations

from sqlalchemy import select

from bot.console.app import ConsoleSession
from store.models import Employee

MANAGER, REPORT, PEER = "chen.jing@acme.example", "ana.li@acme.example", "zhou.tao@acme.example"


def titles(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.title for c in reply.cards]


def test_an_employee_sees_goals_score_and_appeals_but_no_team(demo):
    reply = ConsoleSession(demo.dispatcher, demo.uow, REPORT).handle("press hm")
    assert reply.ok
    assert titles(reply) == [
        "perfbot · Ana Li",
        "Goals · Ana Li · 2026-11",
        "Score · Ana Li · 2026-11",
        "Your open appeals",
    ]
    assert reply.cards[0].buttons[0].action == "hm"  # Refresh


def test_a_manager_sees_the_team_with_who_is_behind_first(demo):
    reply = ConsoleSession(demo.dispatcher, demo.uow, MANAGER).handle("press hm")
    team = reply.cards[-1]
    assert team.title == "Your team · 2026-11"
    assert dict(team.fields).keys() == {
        "Goals waiting for your confirmation",
        "Appeals waiting for you",
    }
    behind = [line for line in team.lines if "behind:" in line]
    assert behind and team.lines[: len(behind)] == tuple(behind)
    assert all(b.action == "sc" for b in team.buttons) and len(team.buttons) <= 5


def test_the_score_button_respects_permissions(demo):
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee.id).where(Employee.email == REPORT))
    mine = ConsoleSession(demo.dispatcher, demo.uow, MANAGER).handle(f"press sc {ana}")
    assert mine.ok and mine.cards[0].title == "Score · Ana Li · 2026-11"
    peer = ConsoleSession(demo.dispatcher, demo.uow, PEER).handle(f"press sc {ana}")
    assert not peer.ok and peer.cards[0].title == "Not allowed"
    gone = ConsoleSession(demo.dispatcher, demo.uow, MANAGER).handle("press sc 999999")
    assert not gone.ok
