"""Queries of the ratings use cases (handlers/ratings/)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from store import ratings
from store.models import ManagerRating, SelfAssessment
from store.queries.base import Queries
from store.ratings import ReportRow


class RatingsQueries(Queries):
    """Named queries for handlers/ratings/."""

    def card_rows(
        self, manager_ids: Collection[int], period_id: int, scorecards: Sequence[str]
    ) -> list[ReportRow]:
        """The active direct reports of these managers scored on `scorecards`, with their
        rating and self-assessment for the period; by manager, then name (one statement)."""
        return ratings.reports(self.session, manager_ids, period_id, scorecards)

    def managers_with_unrated(
        self, period_id: int, branch_ids: Collection[int], scorecards: Sequence[str]
    ) -> list[tuple[int, int]]:
        """(manager, their branch) of the active managers in these branches with someone
        on a rated scorecard still unrated for the period."""
        return ratings.managers_with_unrated(self.session, period_id, branch_ids, scorecards)

    def queued_keys(self, prefix: str) -> set[str]:
        """The outbox dedupe keys starting with `prefix` (what a round already queued)."""
        return ratings.queued_keys(self.session, prefix)

    def rating(self, employee_id: int, period_id: int) -> ManagerRating | None:
        """A person's rating for a period, locked for an update."""
        return ratings.rating(self.session, employee_id, period_id)

    def self_assessment(self, employee_id: int, period_id: int) -> SelfAssessment | None:
        """A person's self-assessment for a period, locked for an update."""
        return ratings.self_assessment(self.session, employee_id, period_id)

    def save_self_assessment(
        self, employee_id: int, period_id: int, text: str, now: datetime
    ) -> tuple[SelfAssessment, str | None]:
        """Write a self-assessment; the row and the previous text (None: the first one)."""
        return ratings.upsert_self(self.session, employee_id, period_id, text, now)
