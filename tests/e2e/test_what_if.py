"""`/score what-if`: the same arithmetic on changed figures, nothing stored."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from bot.console.app import ConsoleSession
from store.breakdowns import breakdown_of
from store.models import Score


def test_what_if_recomputes_without_storing(demo):
    ana = ConsoleSession(demo.dispatcher, demo.uow, "ana.li@acme.example")
    with demo.uow() as uow:
        before = uow.session.scalars(select(Score.total)).all()
    reply = ana.handle("/score what-if sales_amount 2000000")
    assert reply.ok and len(reply.cards) == 2
    fields = dict(reply.cards[1].fields)
    # Sales capped at 120% -> 48 points; csat and collection unchanged; re-normalised over 90.
    dims = {line.split(" (")[0]: line for line in reply.cards[0].lines}
    assert "Sales" in dims and fields["Total"].split()[0] != fields["Now"].split()[0]
    with demo.uow() as uow:
        assert uow.session.scalars(select(Score.total)).all() == before


def test_what_if_with_an_unknown_metric_names_the_known_ones(demo):
    reply = ConsoleSession(demo.dispatcher, demo.uow, "ana.li@acme.example").handle(
        "/score what-if bugs 3"
    )
    assert reply.cards[1].lines[0] == (
        "bugs is not on this scorecard; it has: "
        "Sales, Customer satisfaction, Collection rate, Manager rating"
    )


def test_what_if_total_matches_the_scoring_module(demo):
    from scoring.scorecard import score

    ana = ConsoleSession(demo.dispatcher, demo.uow, "ana.li@acme.example")
    reply = ana.handle("/score what-if sales_amount 900000")
    with demo.uow() as uow:
        row = uow.session.scalars(
            select(Score)
            .where(Score.employee_id == ana.actor.employee_id)
            .order_by(Score.period_id.desc())
        ).first()
        snap = breakdown_of(uow.session, row.employee_id, row.period_id)
    dims = {d["metric"]: d for d in snap["dimensions"]}
    card = demo.scoring.config.scorecards["sales_rep"]
    actuals = {m: (Decimal(d["actual"]) if d["actual"] else None) for m, d in dims.items()}
    actuals["sales_amount"] = Decimal(900000)
    targets = {m: (Decimal(d["target"]) if d["target"] else None) for m, d in dims.items()}
    expected = score(card, actuals, targets, {})
    assert dict(reply.cards[1].fields)["Total"].startswith(f"{expected.total.normalize():f}")
