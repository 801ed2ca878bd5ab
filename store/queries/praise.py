"""Queries of the praise use cases (handlers/praise/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from store import locks
from store.models import MetricFact, Praise
from store.queries.base import Queries


class PraiseQueries(Queries):
    """Named queries for handlers/praise/."""

    def lock_giver(self, giver_id: int) -> None:
        """Serialise this giver's praise until commit (counting, then inserting)."""
        locks.hold(self.session, locks.PRAISE_GIVER, giver_id)

    def given_between(self, giver_id: int, start: datetime, end: datetime) -> int:
        """How many praises someone gave in [start, end)."""
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(Praise)
                .where(
                    Praise.giver_id == giver_id,
                    Praise.at >= start,
                    Praise.at < end,
                )
            )
            or 0
        )

    def received_counts(self, period_id: int, employee_ids: Sequence[int]) -> dict[int, int]:
        """Praise received in a period by person (only those with any), one GROUP BY."""
        rows = self.session.execute(
            select(Praise.receiver_id, func.count())
            .where(Praise.period_id == period_id, Praise.receiver_id.in_(employee_ids))
            .group_by(Praise.receiver_id)
        ).all()
        return {int(r): int(n) for r, n in rows}

    def mentioned_facts(
        self, employee_id: int, record_ids: Sequence[str], limit: int
    ) -> list[MetricFact]:
        """A person's live facts whose record id is one of these, oldest first, at most `limit`."""
        return list(
            self.session.scalars(
                select(MetricFact)
                .where(
                    MetricFact.employee_id == employee_id,
                    MetricFact.record_id.in_(record_ids),
                    MetricFact.void.is_(False),
                )
                .order_by(MetricFact.occurred_on, MetricFact.id)
                .limit(limit)
            ).all()
        )
