"""The lines that say how a figure stands: corrected by an appeal (R4), rated by a manager,
in a closed period. Shared by /explain, /score and the appeal cards."""

from __future__ import annotations

from handlers import strings as t
from handlers.appeals.figures import Disputed
from handlers.format import amount, day
from store.models import Employee, FigureCorrection, Period
from store.uow import UnitOfWork


def correction_lines(uow: UnitOfWork, fix: FigureCorrection, unit: str) -> tuple[str, ...]:
    """'Corrected by appeal #7: 95 → 98 (Chen Jing, 2026-11-19)' and its note; `unit`: the
    figure's, so money reads as money (¥ in Chinese)."""
    by = uow.get(Employee, fix.by_id) if fix.by_id is not None else None
    line = t.CORRECTION_LINE.format(
        appeal=fix.appeal_id or "—",
        before=amount(fix.value_before, unit),
        after=amount(fix.value_after, unit),
        by=by.name if by is not None else "—",
        on=day(fix.at.date()),
    )
    return (line, t.CORRECTION_NOTE.format(note=fix.note)) if fix.note else (line,)


def figure_notes(uow: UnitOfWork, d: Disputed, period: Period, name: str) -> tuple[str, ...]:
    """What an appeal card says about the figure besides its records."""
    lines: list[str] = []
    if period.status == "closed":
        lines.append(t.AP_CARD_CLOSED.format(period=period.key, name=name))
    if d.is_rating:
        r = d.rating
        rater = uow.get(Employee, r.rater_id) if r is not None else None
        if r is None:
            lines.append(t.AP_CARD_NOT_RATED.format(period=period.key))
        else:
            who = rater.name if rater is not None else "—"
            lines.append(t.AP_CARD_RATED.format(rating=r.rating, rater=who, on=day(r.at.date())))
            lines += [t.AP_CARD_RATING_NOTE.format(note=r.note)] if r.note else []
    if d.correction is not None:
        lines += correction_lines(uow, d.correction, d.unit)
    return tuple(lines)
