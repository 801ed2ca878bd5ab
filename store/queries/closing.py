"""Queries of the closing use cases (handlers/closing/)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update

from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike
from store.models import Branch, Calibration, Employee, IncentiveFlag, Period, Score
from store.period_results import (
    ResultRow,
    dimensions_without_data,
    earlier_closed,
    final_bands,
    result_rows,
)
from store.queries.base import Queries
from store.scoring_sql import score_period


class ClosingQueries(Queries):
    """Named queries for handlers/closing/."""

    # --- who is told -----------------------------------------------------------------------

    def refusal_recipients(self) -> list[int]:
        """Ids of every active HR person; without any, of every active admin."""
        return list(
            self.session.scalars(
                select(Employee.id).where(Employee.role == "hr", Employee.active.is_(True))
            )
        ) or list(
            self.session.scalars(
                select(Employee.id).where(Employee.role == "admin", Employee.active.is_(True))
            )
        )

    def active_hr(self) -> list[Employee]:
        """Every active HR person."""
        return list(
            self.session.scalars(
                select(Employee).where(Employee.role == "hr", Employee.active.is_(True))
            )
        )

    def hq_branch_ids(self) -> set[int]:
        """The ids of the headquarters branches."""
        return set(self.session.scalars(select(Branch.id).where(Branch.is_hq.is_(True))))

    def branch_timezones(self) -> set[str]:
        """Every branch's time zone (each once)."""
        return set(self.session.scalars(select(Branch.timezone)))

    # --- periods ---------------------------------------------------------------------------

    def next_to_close(self, today: date) -> Period | None:
        """The oldest open period that ended before `today`."""
        return self.session.scalar(
            select(Period)
            .where(Period.status == "open", Period.ends_on < today)
            .order_by(Period.starts_on)
            .limit(1)
        )

    def earlier_closed(self, period: Period, n: int) -> list[Period]:
        """Up to `n` closed periods of the same kind just before `period`, newest first,
        unbroken by an open one."""
        return earlier_closed(self.session, period, n)

    # --- results ---------------------------------------------------------------------------

    def result_rows(self, period_id: int, scorecards: Collection[str]) -> list[ResultRow]:
        """Everyone active on a known scorecard, with their score and calibration if any."""
        return result_rows(self.session, period_id, scorecards)

    def final_bands(
        self, period_ids: Sequence[int]
    ) -> list[tuple[int, int, str, Decimal | None, Decimal]]:
        """(period, employee, computed band, calibrated total or None, coverage) per score."""
        return final_bands(self.session, period_ids)

    def dimensions_without_data(self, period_id: int) -> list[tuple[int, int]]:
        """(employee, dimension position) of every scored dimension that has no data."""
        return dimensions_without_data(self.session, period_id)

    def score_of(self, employee_id: int, period_id: int) -> Score | None:
        """A person's score of a period."""
        return self.session.scalar(
            select(Score).where(Score.employee_id == employee_id, Score.period_id == period_id)
        )

    def calibration_of(self, employee_id: int, period_id: int) -> Calibration | None:
        """HR's calibration of a person's period result, if any."""
        return self.session.scalar(
            select(Calibration).where(
                Calibration.employee_id == employee_id, Calibration.period_id == period_id
            )
        )

    # --- freezing and thawing --------------------------------------------------------------

    def freeze_scores(self, period_id: int) -> int:
        """Freeze every score of a period (one statement); how many."""
        return self._set_frozen(period_id, True)

    def thaw_scores(self, period_id: int) -> int:
        """Unfreeze every score of a period (one statement); how many."""
        return self._set_frozen(period_id, False)

    def _set_frozen(self, period_id: int, frozen: bool) -> int:
        stmt = update(Score).where(Score.period_id == period_id).values(frozen=frozen)
        return len(self.session.execute(stmt.returning(Score.id)).all())

    def rescore_frozen(
        self,
        config: ScoringConfig,
        specs: Sequence[SpecLike],
        period: Period,
        employee_id: int,
        now: datetime,
    ) -> None:
        """Recompute one person's frozen score of a closed period; it stays frozen (thawed
        for the scoring statement only: the engine leaves frozen scores alone)."""
        mine = (Score.employee_id == employee_id, Score.period_id == period.id)
        self.session.execute(update(Score).where(*mine).values(frozen=False))
        score_period(self.session, config, specs, period, now, [employee_id])
        self.session.execute(update(Score).where(*mine).values(frozen=True))

    # --- incentive flags -------------------------------------------------------------------

    def incentive_flags(self, period_id: int) -> list[IncentiveFlag]:
        """Every incentive flag of a period."""
        return list(
            self.session.scalars(select(IncentiveFlag).where(IncentiveFlag.period_id == period_id))
        )

    def flags_of(self, employee_id: int, period_id: int) -> list[tuple[str, str]]:
        """(rule, reason) of a person's incentive flags of a period, by rule."""
        rows = self.session.execute(
            select(IncentiveFlag.kind, IncentiveFlag.reason)
            .where(IncentiveFlag.employee_id == employee_id, IncentiveFlag.period_id == period_id)
            .order_by(IncentiveFlag.kind)
        )
        return [(kind, reason) for kind, reason in rows]

    def drop_incentive_flags(self, period_id: int) -> None:
        """Delete every incentive flag of a period (one statement)."""
        self.session.execute(delete(IncentiveFlag).where(IncentiveFlag.period_id == period_id))

    def drop_flags_of(self, employee_id: int, period_id: int) -> None:
        """Delete a person's incentive flags of a period."""
        self.session.execute(
            delete(IncentiveFlag).where(
                IncentiveFlag.employee_id == employee_id, IncentiveFlag.period_id == period_id
            )
        )

    def replace_flags(
        self, period_id: int, employee_ids: Sequence[int], rows: Sequence[dict[str, Any]]
    ) -> None:
        """Delete these people's flags of a period, then insert `rows` (one executemany)."""
        self.session.execute(
            delete(IncentiveFlag).where(
                IncentiveFlag.period_id == period_id, IncentiveFlag.employee_id.in_(employee_ids)
            )
        )
        if rows:
            self.session.execute(insert(IncentiveFlag), rows)
