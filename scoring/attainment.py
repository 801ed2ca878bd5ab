"""Attainment: how much of a target was reached, as a percent with 2 decimals.

Also holds `round2`, the one rounding rule every score figure uses
(2 decimal places, ROUND_HALF_UP), so the SQL port has a single rule to copy.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, Overflow, localcontext
from typing import Literal

Direction = Literal["higher", "lower"]

HUNDRED = Decimal(100)
FIGURE_PLACES = Decimal("0.0001")  # a figure (actual, target) as stored: NUMERIC(18, 4)
_CENT = Decimal("0.01")
ZERO = Decimal("0.00")  # a zero score figure, to the cent


def round2(value: Decimal) -> Decimal:
    """Round to 2 decimal places, half away from zero (ROUND_HALF_UP)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def attainment(
    actual: Decimal | None,
    target: Decimal | None,
    direction: Direction = "higher",
    cap: Decimal = Decimal(120),
) -> Decimal | None:
    """Percent of target reached, clamped to [0, cap] and rounded to 2 places; None = no data.

    Edge cases (the result is never negative and never above `cap`):
    - actual None, target None, or either not finite (NaN/Infinity) -> None.
    - higher: actual / target * 100. target 0 or negative -> None (a target of
      nothing can't be attained); negative actual (e.g. net of refunds) -> 0.
    - lower (bug rate, defects): target / actual * 100.
      actual 0 -> cap (perfect, whatever the target);
      target 0 and actual > 0 -> 0 (zero tolerance, missed);
      negative actual or target -> None (not a meaningful measurement).
    Raises ValueError only for a cap that is not positive (a programming error).
    """
    if not cap.is_finite() or cap <= 0:
        raise ValueError(f"cap must be a positive number, got {cap}")
    if actual is None or target is None or not actual.is_finite() or not target.is_finite():
        return None
    if direction == "higher":
        if target <= 0:
            return None
        if actual <= 0:
            return ZERO
        ratio = _percent(actual, target)
    else:
        if actual < 0 or target < 0:
            return None
        if actual == 0:
            return round2(cap)
        if target == 0:
            return ZERO
        ratio = _percent(target, actual)
    return round2(min(ratio, cap))


def _percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    # Both are positive here. Extreme magnitudes would overflow the default
    # context; Infinity is fine because it is capped right after.
    with localcontext() as ctx:
        ctx.traps[Overflow] = False
        return numerator * HUNDRED / denominator


def rating_attainment(rating: int | None, low: int = 1, high: int = 5) -> Decimal | None:
    """Map a manager rating on the scale low..high linearly onto 0-100 (on 1-5: 1->0, 3->50,
    5->100), rounded to 2 places; None = no rating.

    Raises ValueError for anything outside the scale (including booleans) or a scale
    whose low end is not below its high end.
    """
    if low >= high:
        raise ValueError(f"a rating scale needs low < high, got {low}..{high}")
    if rating is None:
        return None
    if isinstance(rating, bool) or not isinstance(rating, int) or not low <= rating <= high:
        raise ValueError(f"rating must be an integer from {low} to {high}, got {rating!r}")
    return round2(Decimal(rating - low) * HUNDRED / (high - low))
