"""In-memory fake of store/queries/reports.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from store.models import Appeal, Branch, Employee, Goal, IncentiveFlag, Period, Team
from store.queries.reports import ReportsQueries, TeamScoreRow
from tests.fakes.queries.base import FakeQueries


class FakeReportsQueries(FakeQueries, ReportsQueries):
    """Answers the reports queries from the fake unit of work's rows; scores are the
    breakdowns the test stored in the fake scores queries (`uow.scores.stored`)."""

    def _scores(self, period_id: int) -> dict[int, dict[str, Any]]:
        stored: dict[tuple[int, int], dict[str, Any]] = self.uow.scores.stored
        return {e: b for (e, p), b in stored.items() if p == period_id}

    def employee_goal_counts(self, period_id: int, ids: Sequence[int]) -> tuple[int, int]:
        goals = [
            g
            for g in self.all(Goal)
            if g.period_id == period_id and g.level == "employee" and g.employee_id in ids
        ]
        return len(goals), sum(1 for g in goals if g.status == "acknowledged")

    def appeals_opened(
        self, ids: Sequence[int], start: datetime, end: datetime
    ) -> list[tuple[str, datetime, datetime | None]]:
        return [
            (a.status, a.created_at, a.resolved_at)
            for a in self.all(Appeal)
            if a.employee_id in ids and start <= a.created_at < end
        ]

    def previous_period(self, period: Period) -> Period | None:
        before = [
            p for p in self.all(Period) if p.ends_on < period.starts_on and p.kind == period.kind
        ]
        return max(before, key=lambda p: p.ends_on, default=None)

    def team_scores(
        self, period_id: int, previous_id: int | None, ids: Sequence[int]
    ) -> list[TeamScoreRow]:
        now, before = self._scores(period_id), self._scores(previous_id or -1)
        rows: list[TeamScoreRow] = []
        for e in self.all(Employee):
            if e.id not in ids or e.scorecard is None:
                continue
            branch = self.uow.get(Branch, e.branch_id)
            if branch is None:
                continue  # an inner join
            team = self.uow.get(Team, e.team_id) if e.team_id is not None else None
            b, pb = now.get(e.id), before.get(e.id)
            rows.append(
                (
                    e.id,
                    e.name,
                    team.name if team else None,
                    branch.name,
                    Decimal(str(b["total"])) if b else None,
                    b.get("band") if b else None,
                    Decimal(str(pb["total"])) if pb else None,
                )
            )
        return sorted(rows, key=lambda r: (r[4] is None, -(r[4] or 0), r[1]))

    def incentive_flags(self, period_id: int) -> list[tuple[int, str]]:
        return [
            (f.employee_id, f.kind) for f in self.all(IncentiveFlag) if f.period_id == period_id
        ]

    def scored_branches(self, period_id: int) -> dict[int, int]:
        return {
            e: emp.branch_id
            for e in self._scores(period_id)
            if (emp := self.uow.get(Employee, e)) is not None
        }

    def placed_scores(self, period_id: int) -> list[tuple[int, Decimal, str, str | None, str]]:
        out = []
        for e, b in self._scores(period_id).items():
            emp = self.uow.get(Employee, e)
            branch = self.uow.get(Branch, emp.branch_id) if emp else None
            if emp is not None and branch is not None:
                out.append(
                    (e, Decimal(str(b["total"])), b.get("band", ""), emp.scorecard, branch.name)
                )
        return out

    def periods_before(self, period: Period, limit: int) -> list[int]:
        before = [
            p for p in self.all(Period) if p.kind == period.kind and p.ends_on < period.starts_on
        ]
        return [p.id for p in sorted(before, key=lambda p: p.starts_on, reverse=True)[:limit]]

    def bands(self, period_ids: Collection[int]) -> dict[tuple[int, int], str]:
        stored: dict[tuple[int, int], dict[str, Any]] = self.uow.scores.stored
        return {k: b.get("band", "") for k, b in stored.items() if k[1] in period_ids}
