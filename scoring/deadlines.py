"""Deadlines counted in business days (Mondays to Fridays that are not holidays)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday to Friday, and not a holiday."""
    return day.weekday() < 5 and day not in holidays


def add_business_days(start: date, n: int, holidays: Collection[date] = ()) -> date:
    """The n-th business day after `start` (`start` itself when n is 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, left = start, n
    while left:
        day += timedelta(days=1)
        left -= is_business_day(day, holidays)
    return day


def appeal_deadline(closed_on: date, days: int, holidays: Collection[date] = ()) -> date:
    """The last local date an appeal may be filed for a period closed on `closed_on`: the
    `days`-th business day after the close (closing on a Friday with 10 days: two weeks on)."""
    return add_business_days(closed_on, days, holidays)
