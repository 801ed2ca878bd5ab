"""The SQL scoring engine agrees, to the cent, with an independent Python computation."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from scoring.scorecard import score
from store.breakdowns import breakdowns
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
                Goal.period_id == period.id,
                Goal.level == "employee",
                Goal.metric.is_not(None),
                # Only a confirmed target scores; a proposal nobody confirmed changes nothing.
                Goal.status.in_(("confirmed", "acknowledged")),
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
            snapshots = breakdowns(uow.session, period.id)
            for emp, result in expected.items():
                row = stored[emp]
                assert Decimal(str(row.total)).quantize(Decimal("0.01")) == result.total, emp
                assert Decimal(str(row.coverage)) == result.coverage
                dims = {d["metric"]: d for d in snapshots[emp]["dimensions"]}
                for d in result.dimensions:
                    line = dims[d.metric]
                    assert line["points"] == d.points, (emp, d.metric)
                    assert line["attainment"] == d.attainment, (emp, d.metric)
                    assert (line["actual"], line["target"]) == (d.actual, d.target), (emp, d.metric)
                    assert line["weight"] == d.weight and line["label"] == d.label
                checked += 1
    assert checked > 100


def test_rescoring_is_idempotent_and_skips_frozen_scores(demo):
    from handlers.scores.compute import score_all

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
    assert run.scored == len(before) - 1 and run.unscored == {}  # the frozen one is kept
    with demo.uow() as uow:
        after = {
            s.employee_id: s.total
            for s in uow.session.scalars(select(Score).where(Score.period_id == period.id))
        }
    assert after[frozen.employee_id] == Decimal("1.00")
    assert {k: v for k, v in after.items() if k != frozen.employee_id} == {
        k: v for k, v in before.items() if k != frozen.employee_id
    }


def _with_formulas(setup, formulas):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from handlers.scores.compute import ScoringSetup

    cards = {
        k: replace(c, formula=formulas.get(k, c.formula))
        for k, c in setup.config.scorecards.items()
    }
    return ScoringSetup(replace(setup.config, scorecards=cards), setup.specs)


def test_a_scorecard_formula_sets_the_final_total_and_its_band(demo):
    from handlers.scores.compute import score_all
    from scoring.bands import band_for

    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).order_by(Period.starts_on.desc()))
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        key = ana.scorecard
    first = next(d.metric for d in demo.scoring.config.scorecards[key].dimensions)
    setup = _with_formulas(demo.scoring, {key: f"min(total, 40) + pts_{first} / 10"})
    score_all(period.key, uow=demo.uow(), setup=setup)
    with demo.uow() as uow:
        rows = uow.session.execute(
            select(Score, Employee.scorecard)
            .join(Employee, Employee.id == Score.employee_id)
            .where(Score.period_id == period.id)
        ).all()
        snapshots = breakdowns(uow.session, period.id)
    others = 0
    for row, card in rows:
        snap = snapshots[row.employee_id]
        points = {d["metric"]: d["points"] for d in snap["dimensions"]}
        if card == key:
            expected = _independent_total(snap)
            want = min(expected, Decimal(40)) + points[first] / 10
            assert row.total == want.quantize(Decimal("0.01"), ROUND_HALF_UP), row.employee_id
            assert row.band == band_for(row.total, demo.scoring.config.bands)
        else:
            others += 1
    assert others > 0  # people on other scorecards keep the weighted total


def _independent_total(snap):  # type: ignore[no-untyped-def]
    """The weighted total from the stored lines (what the formula starts from)."""
    dims = snap["dimensions"]
    coverage = sum((d["weight"] for d in dims if d["attainment"] is not None), Decimal(0))
    points = sum((d["points"] for d in dims), Decimal(0))
    return (
        (points * 100 / coverage).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if coverage
        else Decimal("0.00")
    )


def test_a_formula_that_cannot_be_computed_keeps_the_weighted_total_and_says_why(demo):
    from handlers.scores.compute import score_all

    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).order_by(Period.starts_on.desc()))
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        before = uow.session.scalar(
            select(Score.total).where(Score.employee_id == ana.id, Score.period_id == period.id)
        )
    setup = _with_formulas(demo.scoring, {ana.scorecard: "total / (coverage - coverage)"})
    score_all(period.key, uow=demo.uow(), setup=setup)
    with demo.uow() as uow:
        snap = breakdowns(uow.session, period.id, [ana.id])[ana.id]
    assert Decimal(snap["total"]) == before
    assert "division by zero" in snap["formula_error"]
