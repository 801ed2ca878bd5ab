"""Figure corrections (R4): stored beside the source records, used by scoring in place of
the aggregate, and watched for later changes of the records behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from scoring.attainment import FIGURE_PLACES
from store.actuals import SpecLike, spec_map
from store.models import FigureCorrection, MetricFact, Period


@dataclass(frozen=True)
class NewCorrection:
    """What an accepted appeal changes: one figure of one person in one period."""

    employee_id: int
    period_id: int
    metric: str
    kind: str  # metric | rating
    value_before: Decimal | None
    value_after: Decimal
    appeal_id: int | None
    by_id: int | None
    note: str


def in_force(session: Session, period_id: int) -> Any | None:
    """(employee_id, metric, value_after) of the period's corrections in force, as a
    subquery for the scoring engine; None when there are none (the usual run: no join)."""
    c = FigureCorrection
    where = (c.period_id == period_id, c.active.is_(True))
    if not session.scalar(select(exists().where(*where))):
        return None
    return select(c.employee_id, c.metric, c.value_after).where(*where).subquery("fixes")


def corrections_of(
    session: Session, employee_id: int, period_id: int
) -> dict[str, FigureCorrection]:
    """A person's corrections in force for a period, by metric."""
    c = FigureCorrection
    rows = session.scalars(
        select(c).where(c.employee_id == employee_id, c.period_id == period_id, c.active.is_(True))
    )
    return {row.metric: row for row in rows}


def add_correction(
    session: Session, new: NewCorrection, spec: SpecLike | None, now: datetime
) -> FigureCorrection:
    """Store a correction in force (the figure's previous one is kept, no longer in force),
    with the fingerprint of the records behind the figure now (`spec` None: a rating)."""
    c = FigureCorrection
    session.execute(
        update(c)
        .where(
            c.employee_id == new.employee_id,
            c.period_id == new.period_id,
            c.metric == new.metric,
            c.active.is_(True),
        )
        .values(active=False),
        execution_options={"synchronize_session": False},
    )
    row = FigureCorrection(**new.__dict__, at=now, active=True)
    session.add(row)
    session.flush()
    if spec is not None:
        row.fingerprint = fingerprints(session, [spec], [c.id == row.id]).get(
            row.id, _fp(0, 0, None)
        )
    return row


def fingerprints(
    session: Session, specs: Sequence[SpecLike], where: Sequence[Any]
) -> dict[int, str]:
    """Correction id -> the fingerprint of the live records behind its figure now, for the
    corrections `where` selects (their metrics among `specs`): one grouped statement."""
    c, f, p, m = FigureCorrection, MetricFact, Period, spec_map(specs)
    rows = session.execute(
        select(c.id, func.count(f.id), func.sum(f.value), func.max(f.fetched_at))
        .select_from(c)
        .join(p, p.id == c.period_id)
        .join(m, m.c.metric == c.metric)
        .outerjoin(
            f,
            and_(
                f.employee_id == c.employee_id,
                f.metric == m.c.fact,
                f.occurred_on >= p.starts_on,
                f.occurred_on <= p.ends_on,
                f.void.is_(False),
            ),
        )
        .where(*where)
        .group_by(c.id)
    ).all()
    return {cid: _fp(n, total, last) for cid, n, total, last in rows}


def watched_metrics(session: Session) -> list[str]:
    """Metrics of corrections in force whose records are still watched."""
    return list(session.scalars(select(FigureCorrection.metric).where(*_WATCHED).distinct()))


def changed_since(
    session: Session, specs: Sequence[SpecLike], now: datetime
) -> list[tuple[FigureCorrection, str]]:
    """Corrections whose records changed in the source since (new, changed or voided ones),
    each with the records' fingerprint now; marked as told at `now`, so each comes once."""
    current = fingerprints(session, specs, _WATCHED)
    c = FigureCorrection
    stored = {cid: fp for cid, fp in session.execute(select(c.id, c.fingerprint).where(*_WATCHED))}
    now_fp = {cid: current.get(cid, _fp(0, 0, None)) for cid in stored}
    ids = [cid for cid, fp in stored.items() if now_fp[cid] != fp]
    if not ids:
        return []
    found = list(session.scalars(select(c).where(c.id.in_(ids)).order_by(c.id)))
    session.execute(
        update(c).where(c.id.in_(ids)).values(source_changed_at=now),
        execution_options={"synchronize_session": False},
    )
    return [(row, now_fp[row.id]) for row in found]


def read_fingerprint(fp: str | None) -> tuple[int, Decimal]:
    """(records, their total) from a fingerprint."""
    n, total, _ = (fp or "0|0|-").split("|", 2)
    return int(n), Decimal(total)


def _fp(n: int, total: Any, last: datetime | None) -> str:
    """`count|sum|latest fetch` of the records: any new, changed or voided record moves it
    (a rewrite or a void sets the record's fetch time)."""
    summed = Decimal(str(total or 0)).quantize(FIGURE_PLACES)
    return f"{n}|{summed}|{last.isoformat() if last else '-'}"


_WATCHED = (
    FigureCorrection.active.is_(True),
    FigureCorrection.kind == "metric",
    FigureCorrection.source_changed_at.is_(None),
    FigureCorrection.fingerprint.is_not(None),
)
