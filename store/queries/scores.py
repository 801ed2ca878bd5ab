"""Queries of the scores use cases (handlers/scores/), and the breakdowns other features show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.breakdowns import breakdown_of, breakdowns
from store.queries.base import Queries


class ScoresQueries(Queries):
    """Named queries for handlers/scores/ (and a score's breakdown, which many features show)."""

    def breakdown(self, employee_id: int, period_id: int) -> dict[str, Any] | None:
        """A person's stored breakdown for a period; None when no score was computed."""
        return breakdown_of(self.session, employee_id, period_id)

    def breakdowns(
        self, period_id: int, employee_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, Any]]:
        """Breakdowns of a period by employee id (everyone scored, or just `employee_ids`)."""
        return breakdowns(self.session, period_id, employee_ids)
