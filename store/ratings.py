"""Manager ratings and self-assessments: the reads the rating card and its reminders need.

Every read here is one statement for any number of managers (no per-person loop).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from store.models import Employee, ManagerRating, Outbox, SelfAssessment


@dataclass(frozen=True)
class ReportRow:
    """One direct report on a manager's rating card."""

    manager_id: int
    employee_id: int
    name: str
    email: str
    rating: int | None
    note: str
    rater: str | None  # who gave the current rating, when it wasn't the manager
    self_text: str | None


def reports(
    session: Session, manager_ids: Collection[int], period_id: int, scorecards: Sequence[str]
) -> list[ReportRow]:
    """The active direct reports of these managers scored on `scorecards`, with their
    rating and self-assessment for the period; by manager, then name."""
    if not manager_ids or not scorecards:
        return []
    rater = aliased(Employee)
    rows = session.execute(
        select(
            Employee.manager_id,
            Employee.id,
            Employee.name,
            Employee.email,
            ManagerRating.rating,
            ManagerRating.note,
            rater.name,
            ManagerRating.rater_id,
            SelfAssessment.text,
        )
        .outerjoin(
            ManagerRating,
            and_(ManagerRating.employee_id == Employee.id, ManagerRating.period_id == period_id),
        )
        .outerjoin(rater, rater.id == ManagerRating.rater_id)
        .outerjoin(
            SelfAssessment,
            and_(SelfAssessment.employee_id == Employee.id, SelfAssessment.period_id == period_id),
        )
        .where(
            Employee.manager_id.in_(list(manager_ids)),
            Employee.id != Employee.manager_id,
            Employee.active.is_(True),
            Employee.scorecard.in_(list(scorecards)),
        )
        .order_by(Employee.manager_id, Employee.name, Employee.id)
    ).all()
    return [
        ReportRow(
            manager_id=m or 0,  # never None: filtered on manager_id
            employee_id=e,
            name=name,
            email=email,
            rating=rating,
            note=note or "",
            rater=rater_name if rater_id not in (None, m) else None,
            self_text=text,
        )
        for m, e, name, email, rating, note, rater_name, rater_id, text in rows
    ]


def managers_with_unrated(
    session: Session, period_id: int, branch_ids: Collection[int], scorecards: Sequence[str]
) -> list[tuple[int, int]]:
    """(manager, their branch) for the active managers in these branches with at least one
    active direct report on a rated scorecard who has no rating for the period."""
    if not branch_ids or not scorecards:
        return []
    manager = aliased(Employee)
    rows = session.execute(
        select(manager.id, manager.branch_id)
        .join(Employee, Employee.manager_id == manager.id)
        .outerjoin(
            ManagerRating,
            and_(
                ManagerRating.employee_id == Employee.id,
                ManagerRating.period_id == period_id,
            ),
        )
        .where(
            manager.active.is_(True),
            manager.branch_id.in_(list(branch_ids)),
            Employee.id != manager.id,
            Employee.active.is_(True),
            Employee.scorecard.in_(list(scorecards)),
            ManagerRating.id.is_(None),
        )
        .group_by(manager.id, manager.branch_id)
        .order_by(manager.id)
    ).all()
    return [(m, b) for m, b in rows]


def queued_keys(session: Session, prefix: str) -> set[str]:
    """The outbox dedupe keys starting with `prefix` (what a job already queued)."""
    return set(
        session.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.like(f"{prefix}%")))
    )


def self_assessment(session: Session, employee_id: int, period_id: int) -> SelfAssessment | None:
    """A person's self-assessment for a period, locked for an update."""
    return session.scalar(
        select(SelfAssessment)
        .where(SelfAssessment.employee_id == employee_id, SelfAssessment.period_id == period_id)
        .with_for_update()
    )


def rating(session: Session, employee_id: int, period_id: int) -> ManagerRating | None:
    """A person's rating for a period, locked for an update."""
    return session.scalar(
        select(ManagerRating)
        .where(ManagerRating.employee_id == employee_id, ManagerRating.period_id == period_id)
        .with_for_update()
    )


def upsert_self(
    session: Session, employee_id: int, period_id: int, text: str, now: datetime
) -> tuple[SelfAssessment, str | None]:
    """Write a self-assessment; returns the row and the previous text (None: first one)."""
    row = self_assessment(session, employee_id, period_id)
    if row is None:
        row = SelfAssessment(employee_id=employee_id, period_id=period_id, text=text, at=now)
        session.add(row)
        session.flush()
        return row, None
    before, row.text, row.at = row.text, text, now
    return row, before
