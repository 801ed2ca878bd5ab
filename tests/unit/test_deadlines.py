"""The appeal window in business days: weekends and holidays don't count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.deadlines import add_business_days, appeal_deadline, is_business_day
from scoring.pace import business_days


@pytest.mark.parametrize(
    "closed_on, days, holidays, due",
    [
        (date(2026, 11, 5), 10, (), date(2026, 11, 19)),  # Thursday: two weeks on
        (date(2026, 11, 6), 10, (), date(2026, 11, 20)),  # Friday
        (date(2026, 11, 7), 10, (), date(2026, 11, 20)),  # closed on a Saturday
        (date(2026, 11, 8), 1, (), date(2026, 11, 9)),  # Sunday -> Monday
        (date(2026, 11, 5), 0, (), date(2026, 11, 5)),  # no window: the close day only
        (date(2026, 12, 21), 5, (date(2026, 12, 25), date(2027, 1, 1)), date(2026, 12, 29)),
        (date(2026, 12, 30), 2, (date(2027, 1, 1),), date(2027, 1, 4)),  # over New Year
        (date(2028, 2, 25), 3, (), date(2028, 3, 1)),  # over 29 February (a Tuesday)
    ],
)
def test_the_deadline_is_the_nth_business_day_after_the_close(closed_on, days, holidays, due):
    assert appeal_deadline(closed_on, days, holidays) == due


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_business_days(date(2026, 11, 5), -1)


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 60))
def test_exactly_n_business_days_lie_between_and_the_deadline_is_one(start, n):
    due = add_business_days(start, n)
    assert business_days(start + timedelta(days=1), due) == n
    assert n == 0 or is_business_day(due)
