"""The one statement behind /score: the person's score of a period and its sources' fetch times."""

from __future__ import annotations

from sqlalchemy import func, select

from store.breakdowns import breakdown_of
from store.models import Employee, MetricFact, Period, Score
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
