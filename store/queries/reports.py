"""Queries of the reports use cases (handlers/reports/)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from store.models import Appeal, Branch, Employee, Goal, IncentiveFlag, Period, Score, Team
from store.queries.base import Queries

TeamScoreRow = tuple[int, str, str | None, str, Decimal | None, str | None, Decimal | None]
"""employee id, name, team, branch, total, band, the previous period's total."""


class ReportsQueries(Queries):
    """Named queries for handlers/reports/."""

    def employee_goal_counts(self, period_id: int, ids: Sequence[int]) -> tuple[int, int]:
        """(all, acknowledged) employee-level goals of these people in the period."""
        s = self.session
        goals = select(Goal.status).where(
            Goal.period_id == period_id, Goal.level == "employee", Goal.employee_id.in_(ids)
        )
        total = s.scalar(select(func.count()).select_from(goals.subquery())) or 0
        acked = (
            s.scalar(
                select(func.count()).select_from(
                    goals.where(Goal.status == "acknowledged").subquery()
                )
            )
            or 0
        )
        return total, acked

    def appeals_opened(
        self, ids: Sequence[int], start: datetime, end: datetime
    ) -> list[tuple[str, datetime, datetime | None]]:
        """(status, opened, resolved) of these people's appeals opened in [start, end)."""
        rows = self.session.execute(
            select(Appeal.status, Appeal.created_at, Appeal.resolved_at).where(
                Appeal.employee_id.in_(ids), Appeal.created_at >= start, Appeal.created_at < end
            )
        ).all()
        return [(st, c, r) for st, c, r in rows]

    def previous_period(self, period: Period) -> Period | None:
        """The stored period of the same kind just before this one."""
        return self.session.scalar(
            select(Period)
            .where(Period.ends_on < period.starts_on, Period.kind == period.kind)
            .order_by(Period.ends_on.desc())
            .limit(1)
        )

    def team_scores(
        self, period_id: int, previous_id: int | None, ids: Sequence[int]
    ) -> list[TeamScoreRow]:
        """These people (those with a scorecard) with their team, branch, total and band of
        the period and total of the previous one; best first, unscored last (one statement)."""
        now, before = aliased(Score), aliased(Score)
        rows = self.session.execute(
            select(
                Employee.id,
                Employee.name,
                Team.name,
                Branch.name,
                now.total,
                now.band,
                before.total,
            )
            .join(Branch, Branch.id == Employee.branch_id)
            .outerjoin(Team, Team.id == Employee.team_id)
            .outerjoin(now, (now.employee_id == Employee.id) & (now.period_id == period_id))
            .outerjoin(
                before,
                (before.employee_id == Employee.id)
                & (before.period_id == (previous_id if previous_id is not None else -1)),
            )
            .where(Employee.id.in_(ids), Employee.scorecard.is_not(None))
            .order_by(now.total.desc().nulls_last(), Employee.name)
        ).all()
        return [(i, n, tm, br, tot, band, pv) for i, n, tm, br, tot, band, pv in rows]

    def incentive_flags(self, period_id: int) -> list[tuple[int, str]]:
        """(employee, kind) of the incentive flags stored for a period at close."""
        rows = self.session.execute(
            select(IncentiveFlag.employee_id, IncentiveFlag.kind).where(
                IncentiveFlag.period_id == period_id
            )
        )
        return [(emp, kind) for emp, kind in rows]

    def scored_branches(self, period_id: int) -> dict[int, int]:
        """employee -> their branch, of everyone scored in the period."""
        return dict(
            self.session.execute(
                select(Score.employee_id, Employee.branch_id)
                .join(Employee, Employee.id == Score.employee_id)
                .where(Score.period_id == period_id)
            ).all()
        )

    def placed_scores(self, period_id: int) -> list[tuple[int, Decimal, str, str | None, str]]:
        """(employee, total, band, scorecard, branch name) of everyone scored in the period."""
        rows = self.session.execute(
            select(Score.employee_id, Score.total, Score.band, Employee.scorecard, Branch.name)
            .join(Employee, Employee.id == Score.employee_id)
            .join(Branch, Branch.id == Employee.branch_id)
            .where(Score.period_id == period_id)
        )
        return [(emp, total, band, card, branch) for emp, total, band, card, branch in rows]

    def periods_before(self, period: Period, limit: int) -> list[int]:
        """Ids of the `limit` periods of the same kind before this one, newest first."""
        return list(
            self.session.scalars(
                select(Period.id)
                .where(Period.kind == period.kind, Period.ends_on < period.starts_on)
                .order_by(Period.starts_on.desc())
                .limit(limit)
            )
        )

    def bands(self, period_ids: Collection[int]) -> dict[tuple[int, int], str]:
        """(employee, period) -> band of everyone scored in these periods."""
        rows = self.session.execute(
            select(Score.employee_id, Score.period_id, Score.band).where(
                Score.period_id.in_(period_ids)
            )
        )
        return {(emp, pid): band for emp, pid, band in rows}
