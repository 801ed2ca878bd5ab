"""Queries of the goals use cases (handlers/goals/)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, func, or_, select

from store.actuals import SpecLike, actuals_select
from store.goal_targets import approved_goals
from store.models import Employee, Goal, Period, Team
from store.queries.base import Queries


def personal_goals(period_id: int, employee_id: int, metric: str) -> Select[Goal]:
    """A person's employee-level goals for a metric in a period (cascaded or their own)."""
    return select(Goal).where(
        Goal.period_id == period_id,
        Goal.employee_id == employee_id,
        Goal.metric == metric,
        Goal.level == "employee",
    )


class ApprovedTarget(NamedTuple):
    """A person's goal whose target HR approved (a /kpi change)."""

    employee_id: int
    id: int
    key: str | None
    parent_id: int | None
    target: Decimal | None


class TeamShare(NamedTuple):
    """A team goal under a company goal: the team, its people's split rule, its newest target."""

    name: str
    rule: str
    latest: Decimal | None


class GoalOwner(NamedTuple):
    """Who carries a goal, and the goal's key."""

    employee_id: int
    key: str | None


class GoalsQueries(Queries):
    """Named queries for handlers/goals/."""

    def confirmed_goals(self, employee_id: int, goal_id: int | None = None) -> list[Goal]:
        """A person's confirmed goals (just `goal_id`, if given), any period."""
        q = select(Goal).where(Goal.employee_id == employee_id, Goal.status == "confirmed")
        if goal_id is not None:
            q = q.where(Goal.id == goal_id)
        return list(self.session.scalars(q).all())

    def employee_goals(self, employee_id: int, period_id: int) -> list[Goal]:
        """A person's own (employee level) goals of a period, in id order."""
        return list(
            self.session.scalars(
                select(Goal)
                .where(
                    Goal.period_id == period_id,
                    Goal.employee_id == employee_id,
                    Goal.level == "employee",
                )
                .order_by(Goal.id)
            ).all()
        )

    def children(self, goal_id: int) -> list[Goal]:
        """The goals split from a goal, by owner's id."""
        return list(
            self.session.scalars(
                select(Goal).where(Goal.parent_id == goal_id).order_by(Goal.employee_id)
            )
        )

    def approved_targets(
        self, period_id: int, metric: str, employee_ids: list[int]
    ) -> list[ApprovedTarget]:
        """The people's goals for a metric whose target HR approved, in id order: no cascade
        nor adjustment may override them."""
        rows = approved_goals(self.session, period_id, metric, employee_ids)
        return [ApprovedTarget(*r) for r in rows]

    def company_goal(self, period_id: int, metric: str) -> Goal | None:
        """The period's company goal for a metric."""
        return self.session.scalar(
            select(Goal).where(
                Goal.period_id == period_id, Goal.level == "company", Goal.metric == metric
            )
        )

    def team_names_carrying(self, scorecards: Collection[str]) -> tuple[str, ...]:
        """Teams (by name, sorted) with an active member on one of these scorecards."""
        return tuple(
            self.session.scalars(
                select(Team.name)
                .join(Employee, Employee.team_id == Team.id)
                .where(Employee.scorecard.in_(scorecards), Employee.active.is_(True))
                .distinct()
                .order_by(Team.name)
            )
        )

    def team_shares(self, company_goal_id: int) -> list[TeamShare]:
        """The team goals under a company goal, by team name."""
        rows = self.session.execute(
            select(
                Team.name,
                Goal.rule,
                func.coalesce(Goal.proposed_target, Goal.target).label("latest"),
            )
            .join(Goal, Goal.team_id == Team.id)
            .where(Goal.parent_id == company_goal_id, Goal.level == "team")
            .order_by(Team.name)
        ).all()
        return [TeamShare(*r) for r in rows]

    def teams(self) -> list[Team]:
        """Every team."""
        return list(self.session.scalars(select(Team)))

    def team_members(self, team_id: int) -> list[Employee]:
        """The people who carry a team's goals: its active members with a scorecard, by id."""
        return list(
            self.session.scalars(
                select(Employee)
                .where(
                    Employee.team_id == team_id,
                    Employee.active.is_(True),
                    Employee.scorecard.is_not(None),
                )
                .order_by(Employee.id)
            )
        )

    def goal_by_key(self, period_id: int, key: str) -> Goal | None:
        """The period's goal with this cascade key."""
        return self.session.scalar(select(Goal).where(Goal.period_id == period_id, Goal.key == key))

    def own_goal(self, period_id: int, employee_id: int, metric: str) -> Goal | None:
        """A person's first goal for a metric outside any cascade (no parent)."""
        return self.session.scalar(
            personal_goals(period_id, employee_id, metric)
            .where(Goal.parent_id.is_(None))
            .order_by(Goal.id)
            .limit(1)
        )

    def twin_goals(
        self, period_id: int, metric: str, employee_ids: list[int], keys: list[str]
    ) -> list[GoalOwner]:
        """The people's cascaded goals for a metric whose key is none of `keys`, by owner."""
        rows = self.session.execute(
            select(Goal.employee_id, Goal.key)
            .where(
                Goal.period_id == period_id,
                Goal.level == "employee",
                Goal.metric == metric,
                Goal.employee_id.in_(employee_ids),
                Goal.parent_id.is_not(None),
                or_(Goal.key.is_(None), Goal.key.not_in(keys)),
            )
            .order_by(Goal.employee_id)
        ).all()
        # employee_id IN (...) leaves no row without an owner.
        return [GoalOwner(e, key) for e, key in rows if e is not None]

    def period_before(self, day: date) -> Period | None:
        """The latest period that ended before a day."""
        return self.session.scalar(
            select(Period).where(Period.ends_on < day).order_by(Period.ends_on.desc()).limit(1)
        )

    def actuals(
        self, specs: Sequence[SpecLike], start: date, end: date, employee_ids: list[int]
    ) -> dict[int, Decimal | None]:
        """The people's actuals of a metric (one spec) between two days, by employee id."""
        dialect = self.session.get_bind().dialect.name
        rows = self.session.execute(actuals_select(dialect, specs, start, end, employee_ids))
        return {r.employee_id: r.actual for r in rows}
