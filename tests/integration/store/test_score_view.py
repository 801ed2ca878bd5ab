"""The one statement behind /score: the person's score of a period, its sources' fetch times,
the corrections in force, the targets awaiting confirmation and the goals' units."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from store.breakdowns import breakdown_of
from store.models import Employee, FigureCorrection, Goal, MetricFact, Period, Score
from store.score_view import score_view

ANA = "ana.li@acme.example"


def _ana_and_month(uow):  # type: ignore[no-untyped-def]
    s = uow.session
    ana = s.scalar(select(Employee).where(Employee.email == ANA))
    score = s.scalar(select(Score).where(Score.employee_id == ana.id).order_by(Score.id.desc()))
    return ana, s.get(Period, score.period_id), score


def test_the_score_and_the_latest_fetch_of_each_source(demo):
    with demo.uow().reading() as uow:
        ana, month, _ = _ana_and_month(uow)
        expected = dict(
            uow.session.execute(
                select(MetricFact.source, func.max(MetricFact.fetched_at))
                .where(
                    MetricFact.employee_id == ana.id,
                    MetricFact.occurred_on >= month.starts_on,
                    MetricFact.occurred_on <= month.ends_on,
                )
                .group_by(MetricFact.source)
            ).all()
        )
        view = score_view(uow.connection, ana.id, month.key)
        stored = breakdown_of(uow.session, ana.id, month.id)
    assert (view.name, view.scorecard, view.period_id) == (ana.name, ana.scorecard, month.id)
    assert view.breakdown == stored
    assert view.breakdown is not None and view.breakdown["dimensions"][0]["points"] is not None
    assert expected and view.fetched == expected
    assert all(at.tzinfo is not None for at in view.fetched.values())


def test_no_period_and_no_score_are_answers_too(demo):
    with demo.uow().reading() as uow:
        ana, month, _ = _ana_and_month(uow)
        no_period = score_view(uow.connection, ana.id, "1999-01")
        assert (no_period.name, no_period.period_id, no_period.breakdown) == (ana.name, None, None)
        assert no_period.fetched == {}
        other = uow.session.scalar(select(Period).where(Period.id != month.id).order_by(Period.id))
        scored = uow.session.scalar(
            select(func.count()).where(Score.employee_id == ana.id, Score.period_id == other.id)
        )
        view = score_view(uow.connection, ana.id, other.key)
    assert view.period_id == other.id
    assert (view.breakdown is None) == (scored == 0)


def test_corrections_pending_targets_and_units_come_in_the_same_statement(demo):
    with demo.uow() as uow:
        ana, month, _ = _ana_and_month(uow)
        s = uow.session
        goals = list(
            s.scalars(
                select(Goal).where(
                    Goal.employee_id == ana.id,
                    Goal.period_id == month.id,
                    Goal.level == "employee",
                    Goal.metric.is_not(None),
                )
            )
        )
        assert len(goals) >= 2
        goals[0].proposed_target = Decimal("1234.5")  # a change waiting for the manager
        goals[1].status, goals[1].target = "proposed", Decimal("77")  # a first proposal
        for metric, before, active in (("sales_amount", "150000.25", True), ("csat", "88", False)):
            s.add(
                FigureCorrection(
                    employee_id=ana.id,
                    period_id=month.id,
                    metric=metric,
                    value_before=Decimal(before),
                    value_after=Decimal(1),
                    at=month.closed_at or datetime(2026, 1, 1, tzinfo=UTC),
                    active=active,
                )
            )
        uow.commit()
    with demo.uow().reading() as uow:
        view = score_view(uow.connection, ana.id, month.key)
        other = score_view(uow.connection, ana.id, "1999-01")
    assert view.corrected == {"sales_amount": (Decimal("150000.25"), None)}
    assert view.pending == {goals[0].metric: Decimal("1234.5"), goals[1].metric: Decimal("77")}
    assert view.units == {g.metric: g.unit for g in goals if g.unit}
    assert view.units and all(isinstance(v, Decimal) for v in view.pending.values())
    assert view.breakdown is not None and len(view.breakdown["dimensions"]) >= 2
    assert (other.corrected, other.pending, other.units) == ({}, {}, {})
