"""Decomposition: split a parent target among children so the parts sum EXACTLY to it."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from math import floor
from typing import Literal, TypeVar

K = TypeVar("K", bound=Hashable)
Rule = Literal["equal", "headcount", "weights", "last_share"]


def decompose(total: Decimal, shares: Mapping[K, Decimal], places: int = 0) -> dict[K, Decimal]:
    """Split `total` in proportion to `shares`, rounded to `places` decimals, summing to `total`.

    Largest-remainder method: everyone gets their exact quota rounded down to a
    unit (10**-places), and the units left over go to the largest remainders;
    equal remainders go to the key that comes first in `shares`. `places` may be
    negative (-3 = whole thousands). Raises ValueError for no shares, a share that
    is not positive, or a total that is not a whole number of units.
    """
    if not shares:
        raise ValueError("nothing to decompose into: no shares given")
    for key, share in shares.items():
        if not share.is_finite() or share <= 0:
            raise ValueError(f"share for {key!r} must be greater than 0, got {share}")
    if not total.is_finite():
        raise ValueError(f"total must be a finite number, got {total}")
    # Work in whole units with exact fractions: no float, no intermediate rounding.
    units = Fraction(total) * Fraction(10) ** places
    if units.denominator != 1:
        raise ValueError(f"total {total} has more than {places} decimal places")
    whole = Fraction(sum(shares.values()))
    quotas = {key: units * Fraction(share) / whole for key, share in shares.items()}
    parts = {key: floor(quota) for key, quota in quotas.items()}
    leftover = int(units) - sum(parts.values())  # 0 <= leftover < len(shares)
    # sorted() is stable, so equal remainders keep the order of `shares`.
    by_remainder = sorted(shares, key=lambda key: quotas[key] - parts[key], reverse=True)
    for key in by_remainder[:leftover]:
        parts[key] += 1
    return {key: _from_units(parts[key], places) for key in shares}


def _from_units(count: int, places: int) -> Decimal:
    # scaleb keeps the exponent, so 12345 units at 2 places prints as 123.45 and 0 as 0.00.
    return Decimal(count).scaleb(-places) if places >= 0 else Decimal(count * 10**-places)


def equal(keys: Iterable[K]) -> dict[K, Decimal]:
    """Equal shares for every key."""
    return {key: Decimal(1) for key in keys}


def by_headcount(headcounts: Mapping[K, int]) -> dict[K, Decimal]:
    """Shares proportional to headcount (a team of 0 is rejected by decompose)."""
    return {key: Decimal(count) for key, count in headcounts.items()}


def by_weights(weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Shares given directly, e.g. a manager's 50/30/20."""
    return dict(weights)


def by_last_share(last_actuals: Mapping[K, Decimal | None]) -> dict[K, Decimal]:
    """Shares proportional to last period's actuals.

    Falls back to equal when no one has a positive last actual. A child without
    one (new team, None, 0 or negative) gets the average of the others' shares,
    so nobody is handed a zero target just for being new.
    """
    known = {k: v for k, v in last_actuals.items() if v is not None and v.is_finite() and v > 0}
    if not known:
        return equal(last_actuals)
    average = sum(known.values(), Decimal(0)) / len(known)
    return {key: known.get(key, average) for key in last_actuals}


class CannotSplit(ValueError):
    """Fixed parts leave nothing (or less than nothing) for the others to carry."""

    def __init__(self, total: Decimal, fixed: Decimal, others: int) -> None:
        self.total, self.fixed, self.left, self.others = total, fixed, total - fixed, others
        super().__init__(
            f"fixed parts {fixed} leave {total - fixed} of {total} for {others} other part(s)"
        )


def decompose_around(
    total: Decimal,
    shares: Mapping[K, Decimal],
    fixed: Mapping[K, Decimal],
    places: int = 0,
) -> dict[K, Decimal]:
    """Split `total` among `shares`, keeping the `fixed` parts as they are.

    The rest (total minus the fixed parts) is split among the other keys by `decompose`
    at `places`; what is finer than a unit (a fixed part or the total not being a whole
    number of units) goes to the largest share, so the parts always sum to `total`.
    Raises CannotSplit when the fixed parts take the whole total or more while others need
    a part, or leave a rest when nobody else is left to carry it.
    """
    keep = {key: fixed[key] for key in shares if key in fixed}
    free = {key: share for key, share in shares.items() if key not in fixed}
    left = total - sum(keep.values(), Decimal(0))
    if not free:
        if left != 0:
            raise CannotSplit(total, total - left, 0)
        return {key: keep[key] for key in shares}
    if left < 0 or (left == 0 and keep):  # a total of 0 with nothing fixed is all zeros
        raise CannotSplit(total, total - left, len(free))
    unit = Decimal(1).scaleb(-places)
    whole = (left / unit).to_integral_value(rounding=ROUND_FLOOR) * unit
    parts = (
        decompose(whole, free, places)
        if whole > 0
        else {key: _from_units(0, places) for key in free}
    )
    rest = left - whole  # 0 <= rest < one unit
    if rest:
        largest = max(free, key=lambda key: free[key])  # the first on ties
        parts[largest] += rest
    return {key: keep[key] if key in keep else parts[key] for key in shares}
