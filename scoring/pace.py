"""Pace: where an employee should be by today, in business days, and who is falling behind."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from scoring.attainment import HUNDRED, Direction, attainment, round2

_FRACTION_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Pace:
    """Progress against the elapsed part of a period; ratio is in percent (100 = on pace)."""

    elapsed_days: int
    total_days: int
    fraction: Decimal
    expected: Decimal | None
    ratio: Decimal | None


def local_today(now_utc: datetime, tz: str) -> date:
    """The calendar date in time zone `tz` (e.g. "Asia/Shanghai") at the aware instant `now_utc`."""
    if now_utc.tzinfo is None or now_utc.utcoffset() is None:
        raise ValueError("now_utc must be timezone-aware")
    return now_utc.astimezone(ZoneInfo(tz)).date()


def branch_holidays(holidays: Mapping[str, Collection[date]], branch: str) -> frozenset[date]:
    """A branch's holidays from a calendar by branch name: its own and those under "all"."""
    return frozenset(holidays.get("all", ())) | frozenset(holidays.get(branch, ()))


def business_days(start: date, end: date, holidays: Collection[date] = ()) -> int:
    """Mondays to Fridays from start to end inclusive, minus holidays; 0 when end < start."""
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    # Whole weeks hold 5 weekdays each; only the leftover days need looking at.
    count = weeks * 5 + sum(1 for i in range(extra) if (start.weekday() + i) % 7 < 5)
    return count - sum(1 for day in set(holidays) if start <= day <= end and day.weekday() < 5)


def pace(
    actual: Decimal | None,
    target: Decimal | None,
    period_start: date,
    period_end: date,
    today: date,
    holidays: Collection[date] = (),
    direction: Direction = "higher",
) -> Pace:
    """Compare actual with the target prorated over business days elapsed by `today`.

    `today` is the branch-local date (see local_today) and counts as elapsed.
    fraction = elapsed / total business days (4 places; 0 for a period with none).
    higher: expected = ROUND_HALF_UP(target * elapsed / total, 2) and
    ratio = ROUND_HALF_UP(actual / expected * 100, 2); None without data or when expected is 0.
    lower (bug rate...): a rate is not accumulated, so expected = target and ratio
    = attainment(actual, target, "lower"), with its edge cases and 120 cap.
    """
    if period_end < period_start:
        raise ValueError(f"period ends ({period_end}) before it starts ({period_start})")
    total = business_days(period_start, period_end, holidays)
    elapsed = business_days(period_start, min(today, period_end), holidays)
    fraction = Decimal(0)
    if total:
        fraction = (Decimal(elapsed) / total).quantize(_FRACTION_PLACES, rounding=ROUND_HALF_UP)
    if direction == "lower":
        return Pace(elapsed, total, fraction, target, attainment(actual, target, "lower"))
    expected = None
    if target is not None and target.is_finite():
        expected = round2(target * elapsed / total) if total else round2(Decimal(0))
    ratio = None
    if actual is not None and actual.is_finite() and expected:
        ratio = round2(actual * HUNDRED / expected)
    return Pace(elapsed, total, fraction, expected, ratio)


def is_at_risk(
    p: Pace, threshold: Decimal = Decimal(80), min_fraction: Decimal = Decimal("0.2")
) -> bool:
    """Behind pace: ratio below `threshold` percent, once at least `min_fraction` has elapsed.

    Early in a period a single slow day swings the ratio wildly, hence min_fraction.
    """
    return p.ratio is not None and p.fraction >= min_fraction and p.ratio < threshold
