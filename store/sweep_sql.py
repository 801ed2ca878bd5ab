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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from store.actuals import SpecLike, actuals_select
from store.models import Employee, Goal, MetricFact, NudgeState, Team
from store.sqlfn import rows_table

LEAVE_METRIC = "leave_days"
SWEPT_STATUSES = ("confirmed", "acknowledged")


@dataclass(frozen=True)
class BranchDay:
    """One branch's working day within one open period (computed in Python: a few rows)."""

    branch_id: int
    elapsed: int  # business days elapsed, today included
    total: int  # business days in the period


def _big(expr: Any) -> ColumnElement[Any]:
    return cast(func.round(expr * 10000), BigInteger)


def k_of(threshold: Decimal) -> int:
    """200 * threshold - 1: the integer the comparisons use (threshold has <= 2 decimals)."""
    k = threshold * 200 - 1
    if k != k.to_integral_value():
        raise ValueError(f"threshold {threshold} has more than 2 decimal places")
    return int(k)


def sweep_select(
    dialect: str,
    specs: Sequence[SpecLike],
    *,
    period_id: int,
    starts_on: date,
    today: date,
    days: Sequence[BranchDay],
    thresholds: Mapping[str, Decimal],
    default_threshold: Decimal,
) -> Any:
    """Rows: goal, employee, manager, the figures as integers (target_x and actual_x in
    1/10,000, expected_c in cents), at_risk, and the goal's nudge state."""
    spec_rows = [
        (s.name, s.denominator is None, k_of(thresholds.get(s.name, default_threshold)))
        for s in specs
    ]
    m = rows_table(
        "m",
        [("metric", String()), ("cumulative", Boolean()), ("k", Integer())],
        spec_rows or [("", False, 0)],
    )
    cal = rows_table(
        "cal",
        [("branch_id", Integer()), ("elapsed", Integer()), ("total", Integer())],
        [(d.branch_id, d.elapsed, d.total) for d in days],
    )
    full = actuals_select(dialect, specs, starts_on, today).subquery("full")
    # A CTE: read twice (the figures, and which metrics have any data) but computed once.
    acts = select(full.c.employee_id, full.c.metric, full.c.actual).cte("a")
    g, e, ns = Goal, Employee, NudgeState
    # A cumulative metric that some people have data for: the others are at zero so far.
    actual = case(
        (acts.c.actual.is_not(None), acts.c.actual),
        (and_(m.c.cumulative, g.metric.in_(select(acts.c.metric).distinct())), literal(0)),
    )
    big_a, big_t = _big(actual), _big(g.target)
    expected = (2 * big_t * cal.c.elapsed + 100 * cal.c.total) // (200 * cal.c.total)
    higher_risk = and_(m.c.cumulative, big_t > 0, expected > 0, 200 * big_a < m.c.k * expected)
    lower_risk = and_(big_a > 0, big_t >= 0, 20000 * big_t < m.c.k * big_a)
    at_risk = and_(
        big_a.is_not(None),
        case((g.direction == "lower", lower_risk), else_=higher_risk),
    )
    on_leave = exists().where(
        MetricFact.employee_id == g.employee_id,
        MetricFact.metric == LEAVE_METRIC,
        MetricFact.occurred_on == today,
        MetricFact.void.is_(False),
        MetricFact.value > 0,
    )
    manager = func.coalesce(e.manager_id, Team.manager_id)
    return (
        select(
            g.id.label("goal_id"),
            g.employee_id,
            e.name,
            e.branch_id,
            case((manager != e.id, manager)).label("manager_id"),
            g.metric,
            g.title,
            g.unit,
            g.direction,
            big_t.label("target_x"),
            big_a.label("actual_x"),
            case((g.direction == "lower", None), else_=expected).label("expected_c"),
            cal.c.elapsed,
            cal.c.total,
            cast(at_risk, Boolean).label("at_risk"),
            ns.behind_since,
            ns.last_bucket,
            ns.snoozed_until,
        )
        .select_from(g)
        .join(e, e.id == g.employee_id)
        .join(cal, cal.c.branch_id == e.branch_id)
        .join(m, m.c.metric == g.metric)
        .outerjoin(Team, Team.id == e.team_id)
        .outerjoin(acts, and_(acts.c.employee_id == g.employee_id, acts.c.metric == g.metric))
        .outerjoin(ns, ns.goal_id == g.id)
        .where(
            g.period_id == period_id,
            g.level == "employee",
            g.status.in_(SWEPT_STATUSES),
            e.active.is_(True),
            ~on_leave,
            or_(at_risk, ns.behind_since.is_not(None)),
        )
        .order_by(g.employee_id, g.id)
    )
