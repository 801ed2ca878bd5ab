"""In-memory fake of store/queries/ratings.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from store.models import Employee, ManagerRating, SelfAssessment
from store.queries.ratings import RatingsQueries
from store.ratings import ReportRow
from tests.fakes.queries.base import FakeQueries


class FakeRatingsQueries(FakeQueries, RatingsQueries):
    """Answers the ratings queries from the fake unit of work's rows (queued keys from its
    outbox)."""

    def _rated(self, e: Employee, scorecards: Sequence[str]) -> bool:
        """An active report (not their own manager) on a rated scorecard."""
        return e.active and e.id != e.manager_id and e.scorecard in scorecards

    def card_rows(
        self, manager_ids: Collection[int], period_id: int, scorecards: Sequence[str]
    ) -> list[ReportRow]:
        rows = []
        for e in self.all(Employee):
            if e.manager_id not in manager_ids or not self._rated(e, scorecards):
                continue
            r = self.rating(e.id, period_id)
            rater = self.uow.get(Employee, r.rater_id) if r else None
            own = self.self_assessment(e.id, period_id)
            rows.append(
                ReportRow(
                    manager_id=e.manager_id or 0,
                    employee_id=e.id,
                    name=e.name,
                    email=e.email,
                    rating=r.rating if r else None,
                    note=(r.note if r else "") or "",
                    rater=rater.name if rater and r and r.rater_id != e.manager_id else None,
                    self_text=own.text if own else None,
                )
            )
        return sorted(rows, key=lambda r: (r.manager_id, r.name, r.employee_id))

    def managers_with_unrated(
        self, period_id: int, branch_ids: Collection[int], scorecards: Sequence[str]
    ) -> list[tuple[int, int]]:
        found = set()
        for e in self.all(Employee):
            m = self.uow.get(Employee, e.manager_id) if e.manager_id is not None else None
            if (
                m is not None
                and m.active
                and m.branch_id in branch_ids
                and self._rated(e, scorecards)
                and self.rating(e.id, period_id) is None
            ):
                found.add((m.id, m.branch_id))
        return sorted(found)

    def queued_keys(self, prefix: str) -> set[str]:
        return {r["dedupe_key"] for r in self.uow.outbox if r["dedupe_key"].startswith(prefix)}

    def rating(self, employee_id: int, period_id: int) -> ManagerRating | None:
        return next(
            (
                r
                for r in self.all(ManagerRating)
                if r.employee_id == employee_id and r.period_id == period_id
            ),
            None,
        )

    def self_assessment(self, employee_id: int, period_id: int) -> SelfAssessment | None:
        return next(
            (
                s
                for s in self.all(SelfAssessment)
                if s.employee_id == employee_id and s.period_id == period_id
            ),
            None,
        )

    def save_self_assessment(
        self, employee_id: int, period_id: int, text: str, now: datetime
    ) -> tuple[SelfAssessment, str | None]:
        row = self.self_assessment(employee_id, period_id)
        if row is None:
            row = SelfAssessment(employee_id=employee_id, period_id=period_id, text=text, at=now)
            self.uow.add(row)
            return row, None
        before, row.text, row.at = row.text, text, now
        return row, before
