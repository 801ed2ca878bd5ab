"""Which targets count: a goal's target scores once its manager confirmed it.

Statuses: proposed -> confirmed (manager) -> acknowledged (employee). A proposal never
confirmed has no target that counts; a change proposed to a confirmed target waits in
`Goal.proposed_target` while the confirmed `target` keeps counting.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from store.models import Goal, KpiAdjustment

COUNTED_STATUSES = ("confirmed", "acknowledged")

# A goal waiting for its manager (a first proposal or a changed target): is_pending in SQL.
PENDING = or_(Goal.status == "proposed", Goal.proposed_target.is_not(None))

# A goal whose figures are written in a unit (`CNY`, `%`).
HAS_UNIT = and_(Goal.unit.is_not(None), Goal.unit != "")

# metric -> the unit its goal is in, for figures shown without their goal.
_UNITS = select(Goal.metric, Goal.unit).where(
    Goal.period_id == bindparam("period"),
    Goal.employee_id == bindparam("person"),
    Goal.level == "employee",
    Goal.metric.is_not(None),
    HAS_UNIT,
)


def is_pending(goal: Goal) -> bool:
    """Whether the goal waits for its manager: a first proposal or a changed target."""
    return goal.status == "proposed" or goal.proposed_target is not None


def latest_target(goal: Goal) -> Decimal | None:
    """The newest target: the one proposed if a change waits, else the current one."""
    return goal.proposed_target if goal.proposed_target is not None else goal.target


def goal_units(conn: Connection, person_id: int, period_id: int) -> dict[str, str]:
    """The units of a person's goals in a period, by metric (goals without one left out)."""
    rows = conn.execute(_UNITS, {"period": period_id, "person": person_id})
    return {metric: unit for metric, unit in rows if metric}


def approved_goals(session: Session, period_id: int, metric: str, employee_ids: list[int]) -> Any:
    """Rows (employee_id, goal_id, key, parent_id, target) of the people's goals for a
    metric whose target HR approved (a /kpi change): no cascade may override them."""
    return session.execute(
        select(Goal.employee_id, Goal.id, Goal.key, Goal.parent_id, Goal.target)
        .where(
            Goal.period_id == period_id,
            Goal.level == "employee",
            Goal.metric == metric,
            Goal.employee_id.in_(employee_ids),
            Goal.id.in_(select(KpiAdjustment.goal_id).where(KpiAdjustment.status == "approved")),
        )
        .order_by(Goal.id)
    ).all()
