"""The SQL scoring engine agrees, to the cent, with an independent Python computation."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from scoring.scorecard import score
from store.models import Employee, Goal, ManagerRating, MetricFact, Period, Score


def q4(value: Decimal) -> Decimal:
    """Metric actuals are rounded half-up to 4 places before scoring (store/actuals.py)."""
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _independent(uow, setup, period):  # type: ignore[no-untyped-def]
    """Totals per employee from facts, goals, ratings and scorecards, in plain Python."""
    s = uow.session
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for f in s.scalars(
        select(MetricFact).where(
            MetricFact.occurred_on >= period.starts_on,
            MetricFact.occurred_on <= period.ends_on,
            MetricFact.void.is_(False),
        )
    ):
        sums[f.employee_id, f.metric] += Decimal(str(f.value))
        counts[f.employee_id, f.metric] += 1

    def term(emp: int, t) -> tuple[Decimal, bool]:  # type: ignore[no-untyped-def]
        seen = any((emp, name) in counts for name in t.facts)
        if t.op == "count":
            return Decimal(sum(counts[emp, n] for n in t.facts)), seen
        return sum((sums[emp, n] for n in t.facts), Decimal(0)), seen

    specs = {sp.name: sp for sp in setup.specs}
    targets = {
        (g.employee_id, g.metric): g.target
        for g in s.scalars(
            select(Goal).where(
                Goal.period_id == period.id, Goal.level == "employee", Goal.metric.is_not(None)
            )
        )
    }
    ratings = {
        r.employee_id: r.rating
        for r in s.scalars(select(ManagerRating).where(ManagerRating.period_id == period.id))
    }
    out = {}
    for emp in s.scalars(select(Employee).where(Employee.scorecard.is_not(None))):
        card = setup.config.scorecards[emp.scorecard]
        actuals: dict[str, Decimal | None] = {}
        for d in card.dimensions:
            if d.kind != "metric":
                continue
            sp = specs[d.metric]
            num, seen_n = term(emp.id, sp.numerator)
            den, seen_d = term(emp.id, sp.denominator) if sp.denominator else (None, False)
            if not (seen_n or seen_d):
                actuals[d.metric] = None
            elif sp.denominator is None:
                actuals[d.metric] = q4(num * sp.scale)
            else:
                actuals[d.metric] = None if den == 0 else q4(num * sp.scale / den)
        tg = {d.metric: targets.get((emp.id, d.metric)) for d in card.dimensions}
        out[emp.id] = score(card, actuals, tg, {"manager_rating": ratings.get(emp.id)})
    return out


def test_stored_scores_match_an_independent_computation(demo):
    with demo.uow() as uow:
        periods = uow.session.scalars(select(Period)).all()
        assert len(periods) == 4
        checked = 0
        for period in periods:
            expected = _independent(uow, demo.scoring, period)
            stored = {
                s.employee_id: s
                for s in uow.session.scalars(select(Score).where(Score.period_id == period.id))
            }
            assert set(stored) == set(expected)
            for emp, result in expected.items():
                row = stored[emp]
                assert Decimal(str(row.total)).quantize(Decimal("0.01")) == result.total, emp
                assert Decimal(str(row.coverage)) == result.coverage
                dims = {d["metric"]: d for d in row.breakdown["dimensions"]}
                for d in result.dimensions:
                    assert Decimal(str(dims[d.metric]["points"])) == d.points, (emp, d.metric)
                    got = dims[d.metric]["attainment"]
                    assert (None if got is None else Decimal(str(got))) == d.attainment
                checked += 1
    assert checked > 100


def test_rescoring_is_idempotent_and_skips_frozen_scores(demo):
    from handlers.scores import score_all

    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).order_by(Period.starts_on.desc()))
        before = {
            s.employee_id: s.total
            for s in uow.session.scalars(select(Score).where(Score.period_id == period.id))
        }
        frozen = uow.session.scalars(select(Score).where(Score.period_id == period.id)).first()
        frozen.frozen, frozen.total = True, Decimal("1.00")
        uow.commit()
    run = score_all(period.key, uow=demo.uow(), setup=demo.scoring)
    assert run.scored == len(before) - 1 and run.unscored == []  # the frozen one is kept
    with demo.uow() as uow:
        after = {
            s.employee_id: s.total
            for s in uow.session.scalars(select(Score).where(Score.period_id == period.id))
        }
    assert after[frozen.employee_id] == Decimal("1.00")
    assert {k: v for k, v in after.items() if k != frozen.employee_id} == {
        k: v for k, v in before.items() if k != frozen.employee_id
    }
