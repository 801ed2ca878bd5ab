"""In-memory fake of store/queries/goals.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from store.actuals import SpecLike
from store.models import Employee, Goal, KpiAdjustment, Period, Team
from store.queries.goals import ApprovedTarget, GoalOwner, GoalsQueries, TeamShare
from tests.fakes.queries.base import FakeQueries

M = TypeVar("M")


class FakeGoalsQueries(FakeQueries, GoalsQueries):
    """Answers the goals queries from the fake unit of work's rows; actuals are set by the
    test (`stored_actuals[(metric, period start, employee_id)] = value`), as the facts of
    that period would add up."""

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.stored_actuals: dict[tuple[str, date, int], Decimal | None] = {}

    def all(self, model: type[M]) -> list[M]:
        """Every row of a model in numeric id order (the fake's own orders ids as text)."""
        return sorted(super().all(model), key=lambda r: getattr(r, "id", 0))

    def confirmed_goals(self, employee_id: int, goal_id: int | None = None) -> list[Goal]:
        return [
            g
            for g in self.all(Goal)
            if g.employee_id == employee_id
            and g.status == "confirmed"
            and (goal_id is None or g.id == goal_id)
        ]

    def employee_goals(self, employee_id: int, period_id: int) -> list[Goal]:
        return [
            g
            for g in self.all(Goal)
            if g.period_id == period_id and g.employee_id == employee_id and g.level == "employee"
        ]

    def children(self, goal_id: int) -> list[Goal]:
        mine = [g for g in self.all(Goal) if g.parent_id == goal_id]
        return sorted(mine, key=lambda g: g.employee_id or 0)

    def approved_targets(
        self, period_id: int, metric: str, employee_ids: list[int]
    ) -> list[ApprovedTarget]:
        approved = {a.goal_id for a in self.all(KpiAdjustment) if a.status == "approved"}
        return [
            ApprovedTarget(g.employee_id, g.id, g.key, g.parent_id, g.target)
            for g in self.all(Goal)
            if g.period_id == period_id
            and g.level == "employee"
            and g.metric == metric
            and g.employee_id in employee_ids
            and g.id in approved
        ]

    def company_goal(self, period_id: int, metric: str) -> Goal | None:
        return next(
            (
                g
                for g in self.all(Goal)
                if g.period_id == period_id and g.level == "company" and g.metric == metric
            ),
            None,
        )

    def team_names_carrying(self, scorecards: Collection[str]) -> tuple[str, ...]:
        team_ids = {e.team_id for e in self.all(Employee) if e.active and e.scorecard in scorecards}
        return tuple(sorted({tm.name for tm in self.all(Team) if tm.id in team_ids}))

    def team_shares(self, company_goal_id: int) -> list[TeamShare]:
        shares = [
            TeamShare(
                team.name, g.rule, g.proposed_target if g.proposed_target is not None else g.target
            )
            for g in self.all(Goal)
            if g.parent_id == company_goal_id
            and g.level == "team"
            and (team := self.uow.get(Team, g.team_id)) is not None
        ]
        return sorted(shares, key=lambda s: s.name)

    def teams(self) -> list[Team]:
        return self.all(Team)

    def team_members(self, team_id: int) -> list[Employee]:
        return [
            e
            for e in self.all(Employee)
            if e.team_id == team_id and e.active and e.scorecard is not None
        ]

    def goal_by_key(self, period_id: int, key: str) -> Goal | None:
        return next((g for g in self.all(Goal) if g.period_id == period_id and g.key == key), None)

    def own_goal(self, period_id: int, employee_id: int, metric: str) -> Goal | None:
        return next(
            (
                g
                for g in self.all(Goal)
                if g.period_id == period_id
                and g.employee_id == employee_id
                and g.metric == metric
                and g.level == "employee"
                and g.parent_id is None
            ),
            None,
        )

    def twin_goals(
        self, period_id: int, metric: str, employee_ids: list[int], keys: list[str]
    ) -> list[GoalOwner]:
        twins = [
            GoalOwner(g.employee_id, g.key)
            for g in self.all(Goal)
            if g.period_id == period_id
            and g.level == "employee"
            and g.metric == metric
            and g.employee_id in employee_ids
            and g.parent_id is not None
            and g.key not in keys
        ]
        return sorted(twins, key=lambda o: o.employee_id)

    def period_before(self, day: date) -> Period | None:
        before = [p for p in self.all(Period) if p.ends_on < day]
        return max(before, key=lambda p: p.ends_on, default=None)

    def actuals(
        self, specs: Sequence[SpecLike], start: date, end: date, employee_ids: list[int]
    ) -> dict[int, Decimal | None]:
        metrics = {s.name for s in specs}
        return {
            e: v
            for (m, since, e), v in self.stored_actuals.items()
            if m in metrics and since == start and e in employee_ids
        }
