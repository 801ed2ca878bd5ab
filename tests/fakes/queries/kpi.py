"""In-memory fake of store/queries/kpi.py."""

from __future__ import annotations

from store.models import Goal, KpiAdjustment
from store.queries.kpi import KpiQueries
from tests.fakes.queries.base import FakeQueries


class FakeKpiQueries(FakeQueries, KpiQueries):
    """Answers the kpi queries from the fake unit of work's rows."""

    def goal_for_metric(self, period_id: int, employee_id: int, metric: str) -> Goal | None:
        mine = [
            g
            for g in self.all(Goal)
            if g.period_id == period_id
            and g.employee_id == employee_id
            and g.metric == metric
            and g.level == "employee"
        ]
        return max(mine, key=lambda g: g.id, default=None)

    def pending_adjustment(self, goal_id: int) -> KpiAdjustment | None:
        return next(
            (a for a in self.all(KpiAdjustment) if a.goal_id == goal_id and a.status == "pending"),
            None,
        )
