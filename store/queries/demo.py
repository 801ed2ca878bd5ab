"""Queries of the demo company's seeding (bot/demo/): who it seeds, what a refresh clears."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select

from store.models import (
    Appeal,
    Employee,
    Goal,
    KpiAdjustment,
    ManagerRating,
    MetricFact,
    SyncCheckpoint,
    SyncSeen,
    Team,
    UnmatchedRecord,
)
from store.queries.base import Queries


class DemoQueries(Queries):
    """Named reads and writes of `perfbot demo`."""

    def scored_people(self) -> list[Employee]:
        """Everyone with a scorecard."""
        return list(self.session.scalars(select(Employee).where(Employee.scorecard.is_not(None))))

    def clear_seeded(self, employee_ids: Collection[int], period_ids: Collection[int]) -> None:
        """A refresh's clean slate: these people's facts, and their ratings and own goals
        (not cascaded ones) in these periods; three statements."""
        s = self.session
        s.execute(delete(MetricFact).where(MetricFact.employee_id.in_(employee_ids)))
        rating = ManagerRating
        s.execute(
            delete(rating).where(
                rating.employee_id.in_(employee_ids), rating.period_id.in_(period_ids)
            )
        )
        s.execute(
            delete(Goal).where(
                Goal.employee_id.in_(employee_ids),
                Goal.level == "employee",
                Goal.parent_id.is_(None),
                Goal.period_id.in_(period_ids),
            )
        )

    def cascaded_metrics(self, period_id: int, employee_id: int) -> set[str]:
        """Metrics of a person's goals in a period that came from the cascade."""
        query = select(Goal.metric).where(
            Goal.period_id == period_id,
            Goal.employee_id == employee_id,
            Goal.parent_id.is_not(None),
            Goal.metric.is_not(None),
        )
        return {m for m in self.session.scalars(query) if m is not None}

    def proposed_team_goals(self, period_id: int, but_team: str) -> list[tuple[int, int | None]]:
        """(goal id, team manager id) of the team goals still proposed, but one team's."""
        rows = self.session.execute(
            select(Goal.id, Team.manager_id)
            .join(Team, Team.id == Goal.team_id)
            .where(
                Goal.period_id == period_id,
                Goal.level == "team",
                Goal.status == "proposed",
                Team.name != but_team,
            )
        )
        return [(goal_id, manager_id) for goal_id, manager_id in rows]

    def any_target_change(self) -> bool:
        """Whether any target change was ever requested."""
        return self.session.scalar(select(KpiAdjustment.id).limit(1)) is not None

    def any_appeal_of(self, employee_id: int) -> bool:
        """Whether this person ever filed an appeal."""
        query = select(Appeal.id).where(Appeal.employee_id == employee_id).limit(1)
        return self.session.scalar(query) is not None

    def forget_sources(self, names: Collection[str]) -> None:
        """These sources' checkpoints, seen ids and set-aside records gone (a fresh sync)."""
        for model in (SyncCheckpoint, SyncSeen, UnmatchedRecord):
            self.session.execute(delete(model).where(model.source.in_(names)))
