"""The queries a period's results need: each person's computed and calibrated total, the
dimensions without data, and the bands of earlier closed periods. One statement each."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import takewhile

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from store.models import Branch, Calibration, Employee, Period, Score, ScoreLine


@dataclass(frozen=True)
class ResultRow:
    """One person's result: the computed score (None: never scored) and any calibration."""

    employee_id: int
    email: str
    name: str
    scorecard: str
    branch: str
    branch_id: int
    computed: Decimal | None
    coverage: Decimal  # percent of the scorecard's weight with data; 0 without a score
    band: str
    calibrated: Decimal | None
    reason: str | None
    calibrated_by: str | None
    calibrated_at: datetime | None


def result_rows(
    session: Session, period_id: int, scorecards: Collection[str], ids: Sequence[int] | None = None
) -> list[ResultRow]:
    """Everyone active on a known scorecard, with their score of the period if any."""
    cal = Calibration
    query = (
        select(
            Employee.id,
            Employee.email,
            Employee.name,
            Employee.scorecard,
            Branch.name,
            Branch.id,
            Score.total,
            Score.coverage,
            Score.band,
            cal.final_total,
            cal.reason,
            cal.by,
            cal.at,
        )
        .join(Branch, Branch.id == Employee.branch_id)
        .outerjoin(Score, and_(Score.employee_id == Employee.id, Score.period_id == period_id))
        .outerjoin(cal, and_(cal.employee_id == Employee.id, cal.period_id == period_id))
        .where(Employee.active.is_(True), Employee.scorecard.in_(list(scorecards)))
        .order_by(Employee.id)
    )
    if ids is not None:
        query = query.where(Employee.id.in_(list(ids)))
    return [
        ResultRow(
            r[0],
            r[1],
            r[2],
            r[3] or "",
            r[4],
            r[5],
            None if r[6] is None else Decimal(r[6]),
            Decimal(r[7] or 0),
            r[8] or "",
            None if r[9] is None else Decimal(r[9]),
            r[10],
            r[11],
            r[12],
        )
        for r in session.execute(query)
    ]


def dimensions_without_data(session: Session, period_id: int) -> list[tuple[int, int]]:
    """(employee, dimension position) of every scored dimension that has no data."""
    line = ScoreLine.__table__.c
    return [
        (e, p)
        for e, p in session.execute(
            select(line.employee_id, line.pos)
            .where(line.period_id == period_id, line.attainment.is_(None))
            .order_by(line.employee_id, line.pos)
        )
    ]


def earlier_closed(session: Session, period: Period, n: int) -> list[Period]:
    """The up to `n` periods of the same kind just before `period`, newest first, as far
    back as they run unbroken by an open one (an open period's results aren't final)."""
    if n <= 0:
        return []
    before = session.scalars(
        select(Period)
        .where(Period.kind == period.kind, Period.starts_on < period.starts_on)
        .order_by(Period.starts_on.desc())
        .limit(n)
    ).all()
    return closed_run(before)


def closed_run(newest_first: Iterable[Period]) -> list[Period]:
    """The periods up to the first one not closed (an open period's results aren't final)."""
    return list(takewhile(lambda p: p.status == "closed", newest_first))


def final_bands(
    session: Session, period_ids: Sequence[int], ids: Sequence[int] | None = None
) -> list[tuple[int, int, str, Decimal | None, Decimal]]:
    """(period, employee, computed band, calibrated total or None, coverage) per score."""
    if not period_ids:
        return []
    query = (
        select(
            Score.period_id, Score.employee_id, Score.band, Calibration.final_total, Score.coverage
        )
        .outerjoin(
            Calibration,
            and_(
                Calibration.employee_id == Score.employee_id,
                Calibration.period_id == Score.period_id,
            ),
        )
        .where(Score.period_id.in_(list(period_ids)))
    )
    if ids is not None:
        query = query.where(Score.employee_id.in_(list(ids)))
    return [
        (p, e, b, None if c is None else Decimal(c), Decimal(v))
        for p, e, b, c, v in session.execute(query)
    ]
