"""The figures the brief judges success by (R13): completion, disputes, time to resolve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from statistics import median

from store.models import Period
from store.uow import UnitOfWork

RESOLVED = ("accepted", "rejected")


@dataclass(frozen=True)
class ProcessFigures:
    goals_total: int
    goals_acknowledged: int
    appeals_opened: int
    appeals_resolved: int
    median_hours_to_resolve: Decimal | None

    @property
    def completion_rate(self) -> Decimal | None:
        """Share of employee goals acknowledged, in percent."""
        if not self.goals_total:
            return None
        return (Decimal(self.goals_acknowledged) * 100 / self.goals_total).quantize(Decimal("0.1"))


def process_figures(uow: UnitOfWork, period: Period, ids: Sequence[int]) -> ProcessFigures:
    """Goals acknowledged, appeals opened and resolved in the period, median time to resolve."""
    total, acked = uow.reports.employee_goal_counts(period.id, ids)
    start = datetime.combine(period.starts_on, time.min, tzinfo=UTC)
    end = datetime.combine(period.ends_on + timedelta(days=1), time.min, tzinfo=UTC)
    appeals = uow.reports.appeals_opened(ids, start, end)
    durations = [
        (r - c).total_seconds() / 3600 for st, c, r in appeals if st in RESOLVED and r is not None
    ]
    return ProcessFigures(
        total,
        acked,
        len(appeals),
        len(durations),
        Decimal(str(round(median(durations), 1))) if durations else None,
    )
