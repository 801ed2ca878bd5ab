"""In-memory fake of store/queries/scores.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.queries.scores import ScoresQueries
from tests.fakes.queries.base import FakeQueries


class FakeScoresQueries(FakeQueries, ScoresQueries):
    """Answers the scores queries from the fake unit of work's rows; breakdowns are set by
    the test (`stored[(employee_id, period_id)] = {...}`), as scoring would have stored them."""

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.stored: dict[tuple[int, int], dict[str, Any]] = {}

    def breakdown(self, employee_id: int, period_id: int) -> dict[str, Any] | None:
        return self.stored.get((employee_id, period_id))

    def breakdowns(
        self, period_id: int, employee_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, Any]]:
        return {
            e: b
            for (e, p), b in self.stored.items()
            if p == period_id and (employee_ids is None or e in employee_ids)
        }
