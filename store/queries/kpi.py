"""Queries of the kpi use cases (handlers/kpi/)."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Goal, KpiAdjustment
from store.queries.base import Queries
from store.queries.goals import personal_goals


class KpiQueries(Queries):
    """Named queries for handlers/kpi/."""

    def goal_for_metric(self, period_id: int, employee_id: int, metric: str) -> Goal | None:
        """A person's newest own goal for a metric in a period."""
        return self.session.scalar(
            personal_goals(period_id, employee_id, metric).order_by(Goal.id.desc())
        )

    def pending_adjustment(self, goal_id: int) -> KpiAdjustment | None:
        """The target change of a goal still waiting for HR."""
        return self.session.scalar(
            select(KpiAdjustment).where(
                KpiAdjustment.goal_id == goal_id, KpiAdjustment.status == "pending"
            )
        )
