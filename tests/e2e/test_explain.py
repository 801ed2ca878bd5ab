"""`/explain`: the records behind a figure add up to exactly what `/score` shows."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from bot.console.app import ConsoleSession
from store.breakdowns import breakdowns
from store.models import Employee, Period


def _figure(line: str) -> Decimal:
    return Decimal(line.split(" = ")[0].replace(",", ""))


def test_every_figure_of_every_score_is_explained_exactly(demo):
    hr = ConsoleSession(demo.dispatcher, demo.uow, "zhao.min@acme.example")  # HR at HQ
    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).where(Period.key == "2026-11"))
        emails = dict(uow.session.execute(select(Employee.id, Employee.email)).all())
        rows = [(emails[e], b) for e, b in breakdowns(uow.session, period.id).items()]
    checked = 0
    for email, breakdown in rows:
        for dim in breakdown["dimensions"]:
            if dim["kind"] == "rating" or dim["actual"] is None:
                continue
            reply = hr.handle(f"/explain {dim['metric']} {email}")
            assert reply.ok, (email, dim["metric"])
            assert _figure(reply.cards[0].lines[0]) == Decimal(str(dim["actual"])), (
                email,
                dim["metric"],
            )
            checked += 1
    assert checked > 80


def test_explain_button_and_permissions(demo):
    ana = ConsoleSession(demo.dispatcher, demo.uow, "ana.li@acme.example")
    score = ana.handle("/score").cards[0]
    button = next(b for b in score.buttons if b.action == "ex")
    reply = ana.handle(f"press {button.callback}")
    assert reply.ok and "https://" in reply.cards[0].lines[1]
    peer = ConsoleSession(demo.dispatcher, demo.uow, "zhou.tao@acme.example")
    assert not peer.handle(f"press ex {button.value}").ok
    assert not peer.handle("/explain sales_amount @ana.li").ok
    assert not ana.handle("/explain nonsense").ok
    assert not ana.handle("press ex garbage").ok


def test_long_lists_are_summarised(demo):
    agent = ConsoleSession(demo.dispatcher, demo.uow, "aaron.teo@acme.example")
    card = agent.handle("/explain tickets_solved").cards[0]
    assert card.lines[-1].startswith("…and ") and len(card.lines) == 12
