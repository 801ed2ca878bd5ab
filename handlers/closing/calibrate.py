"""HR calibrates a person's final result before close (R9): the computed total stays in the
score, the calibrated one and its reason, author and time are kept beside it, audited."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from handlers import strings as t
from handlers.format import num
from scoring.bands import band_for
from scoring.scorecard import ScoringConfig
from store.models import Calibration, Employee, Period
from store.uow import UnitOfWork

TOP = Decimal(200)  # above any capped total (120%) with room for a formula's


class CalibrationError(ValueError):
    """A calibration that can't be made: no reason, out of range, no score, closed period."""


@dataclass(frozen=True)
class Calibrated:
    name: str
    period: str
    computed: Decimal
    final: Decimal
    band: str
    reason: str
    previous: Decimal | None  # the calibration it replaced, if any

    def text(self) -> str:
        """One line for the person who calibrated."""
        line = t.CAL_DONE.format(
            final=num(self.final), band=self.band, computed=num(self.computed), reason=self.reason
        )
        return (
            line if self.previous is None else f"{line} {t.CAL_WAS.format(old=num(self.previous))}"
        )


def calibrate(
    uow: UnitOfWork,
    *,
    period: Period,
    person: Employee,
    total: Decimal,
    reason: str,
    by: str,
    config: ScoringConfig,
) -> Calibrated:
    """Set (or change) the final total of one person's period; the caller commits."""
    reason = reason.strip()
    if period.status == "closed":
        raise CalibrationError(t.CAL_CLOSED.format(period=period.key))
    if not reason:
        raise CalibrationError(t.CAL_NEEDS_REASON)
    if not Decimal(0) <= total <= TOP:
        raise CalibrationError(t.CAL_RANGE.format(top=num(TOP), value=num(total)))
    total = total.quantize(Decimal("0.01"))  # totals are kept to cents
    score = uow.closing.score_of(person.id, period.id)
    if score is None or score.coverage <= 0:
        raise CalibrationError(t.CAL_NO_SCORE.format(name=person.name, period=period.key))
    row = uow.closing.calibration_of(person.id, period.id)
    previous = None if row is None else Decimal(row.final_total)
    before = {"computed_total": str(score.total), "final_total": str(previous or score.total)}
    if row is None:
        row = Calibration(employee_id=person.id, period_id=period.id)
        uow.add(row)
    row.computed_total, row.final_total, row.reason = score.total, total, reason
    row.by, row.at = by, uow.clock()
    uow.flush()
    band = band_for(total, config.bands) if config.bands else ""
    uow.audit_row(
        score,
        by,
        "score.calibrate",
        before=before,
        after={
            "computed_total": str(score.total),
            "final_total": str(total),
            "band": band,
            "reason": reason,
            "calibration": row.id,
        },
    )
    return Calibrated(person.name, period.key, Decimal(score.total), total, band, reason, previous)
