"""Queries of the appeals use cases (handlers/appeals/)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from store import locks
from store.actuals import SpecLike
from store.breakdowns import breakdowns_by_period
from store.corrections import (
    NewCorrection,
    add_correction,
    changed_since,
    corrections_of,
    watched_metrics,
)
from store.models import (
    Appeal,
    AuditEvent,
    Branch,
    Employee,
    FigureCorrection,
    ManagerRating,
    MetricFact,
    Period,
)
from store.queries.base import Queries

UNDECIDED = ("open", "needs_info")

AppealListRow = tuple[Appeal, str, str | None]
"""An appeal, its period's key, its handler's name (None: no handler)."""

SlaRow = tuple[Appeal, Employee, Period, str]
"""An appeal waiting on its handler, its person, its period, the person's branch time zone."""

FactTotal = tuple[str, Decimal | None, int]
"""A fact metric, the sum of its values, how many records."""


class AppealsQueries(Queries):
    """Named queries for handlers/appeals/."""

    def locked_appeal(self, appeal_id: int) -> Appeal | None:
        """The appeal with this id, row-locked against a concurrent decision."""
        return self.session.get(Appeal, appeal_id, with_for_update=True)

    def lock_filing(self, employee_id: int) -> None:
        """Serialise filing by this person until commit (the duplicate check is then race-free)."""
        locks.hold(self.session, locks.APPEAL_EMPLOYEE, employee_id)

    def open_appeal_for(self, employee_id: int, period_id: int, metric: str) -> int | None:
        """The id of the person's undecided appeal of this figure, if any."""
        return self.session.scalar(
            select(Appeal.id).where(
                Appeal.employee_id == employee_id,
                Appeal.period_id == period_id,
                Appeal.metric == metric,
                Appeal.status.in_(UNDECIDED),
            )
        )

    def add_appeal(self, appeal: Appeal) -> bool:
        """Insert a new appeal now (it gets its id); False when an undecided appeal of the
        same figure got in first (the partial unique index): the caller rolls back."""
        self.session.add(appeal)
        try:
            self.session.flush()
        except IntegrityError:
            return False
        return True

    def filed_by(self, employee_id: int, limit: int) -> list[AppealListRow]:
        """The person's latest appeals, newest first, with period key and handler's name."""
        handler = aliased(Employee)
        rows = self.session.execute(
            select(Appeal, Period.key, handler.name)
            .join(Period, Period.id == Appeal.period_id)
            .outerjoin(handler, handler.id == Appeal.handler_id)
            .where(Appeal.employee_id == employee_id)
            .order_by(Appeal.created_at.desc(), Appeal.id.desc())
            .limit(limit)
        ).all()
        return [(a, key, name) for a, key, name in rows]

    def waiting_on_handlers(self) -> list[SlaRow]:
        """Open appeals not yet both reminded and escalated, in id order, row-locked (a
        second scheduler skips the rows this one is working on)."""
        rows = self.session.execute(
            select(Appeal, Employee, Period, Branch.timezone)
            .join(Employee, Employee.id == Appeal.employee_id)
            .join(Period, Period.id == Appeal.period_id)
            .join(Branch, Branch.id == Employee.branch_id)
            .where(
                Appeal.status == "open",
                or_(Appeal.reminded_at.is_(None), Appeal.escalated_at.is_(None)),
            )
            .order_by(Appeal.id)
            .with_for_update(skip_locked=True, of=Appeal)
        ).all()
        return [(a, person, period, tz) for a, person, period, tz in rows]

    def times_done(self, appeal_id: int, action: str) -> int:
        """How many times a step (an audited action) happened on this appeal so far."""
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(
                    AuditEvent.entity == "appeal",
                    AuditEvent.entity_id == str(appeal_id),
                    AuditEvent.action == action,
                )
            )
            or 0
        )

    def breakdowns_by_period(
        self, employee_id: int, period_ids: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        """One person's stored breakdowns by period id."""
        return breakdowns_by_period(self.session, employee_id, period_ids)

    def corrections(self, employee_id: int, period_id: int) -> dict[str, FigureCorrection]:
        """A person's corrections in force for a period, by metric."""
        return corrections_of(self.session, employee_id, period_id)

    def rating(self, employee_id: int, period_id: int) -> ManagerRating | None:
        """The manager's rating of the person for the period."""
        return self.session.scalar(
            select(ManagerRating).where(
                ManagerRating.employee_id == employee_id, ManagerRating.period_id == period_id
            )
        )

    def latest_facts(
        self, employee_id: int, metrics: Collection[str], period: Period, limit: int
    ) -> list[MetricFact]:
        """The person's latest non-void records of these fact metrics in the period."""
        return list(
            self.session.scalars(
                select(MetricFact)
                .where(*_facts_of(employee_id, metrics, period))
                .order_by(MetricFact.occurred_on.desc(), MetricFact.id.desc())
                .limit(limit)
            ).all()
        )

    def fact_totals(
        self, employee_id: int, metrics: Collection[str], period: Period
    ) -> list[FactTotal]:
        """Per fact metric: the sum and count of the person's non-void records in the period."""
        rows = self.session.execute(
            select(MetricFact.metric, func.sum(MetricFact.value), func.count())
            .where(*_facts_of(employee_id, metrics, period))
            .group_by(MetricFact.metric)
        ).all()
        return [(m, s, int(n)) for m, s, n in rows]

    def add_correction(
        self, new: NewCorrection, spec: SpecLike | None, now: datetime
    ) -> FigureCorrection:
        """Store a correction in force (the figure's previous one stays on record, no longer
        in force), fingerprinting the records behind the figure (`spec` None: a rating)."""
        return add_correction(self.session, new, spec, now)

    def watched_metrics(self) -> list[str]:
        """Metrics of corrections in force whose records are still watched."""
        return watched_metrics(self.session)

    def changed_corrections(
        self, specs: Sequence[SpecLike], now: datetime
    ) -> list[tuple[FigureCorrection, str]]:
        """Watched corrections whose records changed since, with the records' fingerprint
        now; marked as told at `now`, so each comes once."""
        return changed_since(self.session, specs, now)


def _facts_of(employee_id: int, metrics: Collection[str], period: Period) -> tuple[Any, ...]:
    return (
        MetricFact.employee_id == employee_id,
        MetricFact.metric.in_(metrics),
        MetricFact.occurred_on >= period.starts_on,
        MetricFact.occurred_on <= period.ends_on,
        MetricFact.void.is_(False),
    )
