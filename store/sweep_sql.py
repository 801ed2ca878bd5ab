"""The at-risk sweep as one set-based SELECT per (period, local date): every employee goal
behind pace, plus every goal that was behind before (so the caller can see it recover).

Exact on every database: figures become integers (actual and target in 1/10,000, the
expected figure in cents), so the comparison with the threshold is integer arithmetic
that agrees with scoring.pace (ROUND_HALF_UP to cents, then `ratio < threshold`):
  higher: expected_cents E = round_half_up(T * elapsed / total / 100),
          ratio = A / E and round2(A / E) < thr  <=>  200 * A < (200 * thr - 1) * E
  lower:  ratio = min(100 * T / A, cap) and round2(...) < thr
          <=>  20000 * T < (200 * thr - 1) * A       (A > 0; thr <= 120 <= cap)
where A and T are the actual and the target times 10,000.

The actuals follow store/actuals.py (sum/count per fact metric, numerator * scale /
denominator, NULL without any fact or with a zero denominator, rounded half-up to 4
places), computed here as one row per employee with a column per fact metric: joining
goals to that is about twice as fast as to one row per employee and metric (measured
at 100,000 employees); tests/integration/sweep compares both with a Python reference.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from store.actuals import SpecLike, TermLike
from store.goal_targets import COUNTED_STATUSES
from store.models import Employee, Goal, MetricFact, NudgeState, Team
from store.sqlfn import round2, rows_table

LEAVE_METRIC = "leave_days"
SWEPT_STATUSES = COUNTED_STATUSES  # a pending proposal is not a target to chase yet


@dataclass(frozen=True)
class BranchDay:
    """One branch's working day within one open period (computed in Python: a few rows)."""

    branch_id: int
    elapsed: int  # business days elapsed, today included
    total: int  # business days in the period


@dataclass(frozen=True)
class SweepDay:
    """What one sweep statement covers: a period (from `starts_on`) on the local date
    `today`, each branch's working day in it, and the behind-pace thresholds in percent
    (per metric, else the default)."""

    period_id: int
    starts_on: date
    today: date
    days: Sequence[BranchDay]
    thresholds: Mapping[str, Decimal]
    default_threshold: Decimal


def _big(expr: Any) -> ColumnElement[Any]:
    return cast(func.round(expr * 10000), BigInteger)


def k_of(threshold: Decimal) -> int:
    """200 * threshold - 1: the integer the comparisons use (threshold has <= 2 decimals)."""
    k = threshold * 200 - 1
    if k != k.to_integral_value():
        raise ValueError(f"threshold {threshold} has more than 2 decimal places")
    return int(k)


def tune_for_batch(session: Session) -> None:
    """PostgreSQL, this transaction only: one process with room to sort and no JIT. With
    parallel workers each one rebuilt the whole fact aggregation (2 cores here), the
    default work_mem spilled the sorts to disk, and JIT compiling cost more than it saved."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(text("SET LOCAL work_mem = '128MB'"))
        session.execute(text("SET LOCAL jit = off"))


def metrics_with_data(
    session: Session, specs: Sequence[SpecLike], start: date, end: date
) -> set[str]:
    """The cumulative metrics with at least one fact in the window (one probe each, which
    stops at the first fact found): the rest have no source feeding them yet."""
    found = set()
    for s in specs:
        if s.denominator is None:
            probe = select(MetricFact.id).where(
                MetricFact.metric.in_(s.numerator.facts),
                MetricFact.occurred_on >= start,
                MetricFact.occurred_on <= end,
                MetricFact.void.is_(False),
            )
            if session.scalar(probe.limit(1)) is not None:
                found.add(s.name)
    return found


def _facts_of(spec: SpecLike) -> tuple[str, ...]:
    den = spec.denominator
    return spec.numerator.facts + (den.facts if den else ())


def _pivot(dialect: str, specs: Sequence[SpecLike], start: date, end: date) -> Any:
    """One row per employee with each metric's actual (x0, x1, ... in the order of
    `specs`, times 10,000, NULL without data), computed where the facts are grouped:
    once per employee, not once per goal."""
    f = MetricFact
    sums = {
        name: func.sum(case((f.metric == name, f.value)))
        for name in sorted({fact for sp in specs for fact in _facts_of(sp)})
    }

    def term(t: TermLike) -> Any:
        if t.op == "count":
            return sum((func.count(case((f.metric == x, 1))) for x in t.facts), literal(0))
        return sum((func.coalesce(sums[x], 0) for x in t.facts), literal(0))

    cols: list[Any] = [f.employee_id.label("employee_id")]
    for j, sp in enumerate(specs):
        # SUM over no matching fact is NULL: that alone tells "no data".
        seen = or_(*[sums[x].is_not(None) for x in sorted(set(_facts_of(sp)))])
        num, scale = term(sp.numerator), literal(sp.scale)
        if sp.denominator is None:
            value: Any = num * scale
        else:
            den = term(sp.denominator)
            value = case((den == 0, None), else_=num * scale / den)
        cols.append(_big(case((seen, round2(dialect, value, 4)))).label(f"x{j}"))
    return (
        select(*cols)
        .where(
            f.void.is_(False),
            f.occurred_on >= start,
            f.occurred_on <= end,
            f.metric.in_(list(sums) or [""]),
        )
        .group_by(f.employee_id)
        .subquery("p")
    )


def sweep_select(
    dialect: str, specs: Sequence[SpecLike], day: SweepDay, with_data: Collection[str] = ()
) -> Any:
    """Rows: goal, employee, manager, the figures as integers (target_x and actual_x in
    1/10,000, expected_c in cents), at_risk, and the goal's nudge state."""
    today, thresholds = day.today, day.thresholds
    spec_rows = [
        (
            s.name,
            s.denominator is None,
            s.name in with_data,
            k_of(thresholds.get(s.name, day.default_threshold)),
        )
        for s in specs
    ]
    m = rows_table(
        "m",
        [("metric", String()), ("cumulative", Boolean()), ("has_data", Boolean()),
         ("k", Integer())],
        spec_rows or [("", False, False, 0)],
    )  # fmt: skip
    cal = rows_table(
        "cal",
        [("branch_id", Integer()), ("elapsed", Integer()), ("total", Integer())],
        [(d.branch_id, d.elapsed, d.total) for d in day.days],
    )
    p = _pivot(dialect, specs, day.starts_on, today)
    g, e, ns = Goal, Employee, NudgeState
    # A cumulative metric that some people have data for: the others are at zero so far
    # (one without any data at all is a source not connected yet: no nudges on it).
    figure = case(*[(g.metric == sp.name, p.c[f"x{j}"]) for j, sp in enumerate(specs)])
    actual_x = case(
        (figure.is_not(None), figure),
        (and_(m.c.cumulative, m.c.has_data), literal(0)),
    )
    big_t = _big(g.target)
    # NOT IN (a hashed set of today's absentees), not NOT EXISTS: PostgreSQL under-estimates
    # the rare leave facts and ran the anti-join as a nested loop (34M comparisons at 100k).
    on_leave = select(MetricFact.employee_id).where(
        MetricFact.metric == LEAVE_METRIC,
        MetricFact.occurred_on == today,
        MetricFact.void.is_(False),
        MetricFact.value > 0,
    )
    manager = func.coalesce(e.manager_id, Team.manager_id)
    # Inner layer: one row per goal swept, its figures as integers, computed once.
    r = (
        select(
            g.id.label("goal_id"),
            g.employee_id,
            func.coalesce(e.display_name, e.name).label("name"),
            e.branch_id,
            case((manager != e.id, manager)).label("manager_id"),
            g.metric,
            g.title,
            g.unit,
            g.direction,
            big_t.label("target_x"),
            actual_x.label("actual_x"),
            ((2 * big_t * cal.c.elapsed + 100 * cal.c.total) // (200 * cal.c.total)).label("e"),
            m.c.cumulative,
            m.c.k,
            ns.behind_since,
            ns.last_bucket,
            ns.snoozed_until,
        )
        .select_from(g)
        .join(e, e.id == g.employee_id)
        .join(cal, cal.c.branch_id == e.branch_id)
        .join(m, m.c.metric == g.metric)
        .outerjoin(Team, Team.id == e.team_id)
        .outerjoin(p, p.c.employee_id == g.employee_id)
        .outerjoin(ns, ns.goal_id == g.id)
        .where(
            g.period_id == day.period_id,
            g.level == "employee",
            g.status.in_(SWEPT_STATUSES),
            e.active.is_(True),
            g.employee_id.not_in(on_leave),
        )
        # OFFSET 0 keeps this a layer of its own: flattened into the outer query, the
        # actual's expression was evaluated once per reference (5x) instead of once.
        .offset(0)
    ).subquery("r")
    a_, t_, e_ = r.c.actual_x, r.c.target_x, r.c.e
    higher_risk = and_(r.c.cumulative, t_ > 0, e_ > 0, 200 * a_ < r.c.k * e_)
    lower_risk = and_(a_ > 0, t_ >= 0, 20000 * t_ < r.c.k * a_)
    at_risk = and_(a_.is_not(None), case((r.c.direction == "lower", lower_risk), else_=higher_risk))
    keep = [c for c in r.c if c.name not in ("e", "cumulative", "k")]
    return select(
        *keep,
        case((r.c.direction == "lower", None), else_=e_).label("expected_c"),
        cast(at_risk, Boolean).label("at_risk"),
    ).where(or_(at_risk, r.c.behind_since.is_not(None)))
