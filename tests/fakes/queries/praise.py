"""In-memory fake of store/queries/praise.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from store.models import MetricFact, Praise
from store.queries.praise import PraiseQueries
from tests.fakes.queries.base import FakeQueries


class FakePraiseQueries(FakeQueries, PraiseQueries):
    """Answers the praise queries from the fake unit of work's rows."""

    def lock_giver(self, giver_id: int) -> None:
        """One thread in memory: nothing to serialise."""

    def given_between(self, giver_id: int, start: datetime, end: datetime) -> int:
        return sum(1 for p in self.all(Praise) if p.giver_id == giver_id and start <= p.at < end)

    def received_counts(self, period_id: int, employee_ids: Sequence[int]) -> dict[int, int]:
        return dict(
            Counter(
                p.receiver_id
                for p in self.all(Praise)
                if p.period_id == period_id and p.receiver_id in employee_ids
            )
        )

    def mentioned_facts(
        self, employee_id: int, record_ids: Sequence[str], limit: int
    ) -> list[MetricFact]:
        found = [
            f
            for f in self.all(MetricFact)
            if f.employee_id == employee_id and f.record_id in record_ids and not f.void
        ]
        return sorted(found, key=lambda f: (f.occurred_on, f.id))[:limit]
