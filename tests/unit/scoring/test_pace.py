from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.pace import Pace, business_days, is_at_risk, local_today, pace

D = Decimal
# June 2026: Mon 1st ... Tue 30th, 22 weekdays.
JUNE_START, JUNE_END = date(2026, 6, 1), date(2026, 6, 30)


def test_business_days_skips_weekends() -> None:
    assert business_days(JUNE_START, JUNE_END) == 22
    assert business_days(date(2026, 6, 5), date(2026, 6, 8)) == 2  # Fri..Mon
    assert business_days(date(2026, 6, 6), date(2026, 6, 7)) == 0  # Sat..Sun
    assert business_days(date(2026, 6, 3), date(2026, 6, 3)) == 1  # inclusive


def test_business_days_skips_holidays_on_weekdays_only() -> None:
    holidays = {date(2026, 6, 19), date(2026, 6, 20), date(2026, 7, 1)}  # Fri, Sat, outside
    assert business_days(JUNE_START, JUNE_END, holidays) == 21
    assert business_days(JUNE_START, JUNE_END, [date(2026, 6, 19)] * 2) == 21  # duplicates


def test_business_days_empty_range() -> None:
    assert business_days(JUNE_END, JUNE_START) == 0


@given(st.dates(), st.integers(min_value=0, max_value=800), st.sets(st.dates(), max_size=10))
def test_business_days_matches_day_by_day_count(
    start: date, length: int, holidays: set[date]
) -> None:
    end = date.fromordinal(min(start.toordinal() + length, date.max.toordinal()))
    days = (date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1))
    expected = sum(1 for day in days if day.weekday() < 5 and day not in holidays)
    assert business_days(start, end, holidays) == expected


def test_pace_on_track_midway() -> None:
    p = pace(D(50000), D(100000), JUNE_START, JUNE_END, date(2026, 6, 15))  # Mon: 11 of 22
    assert p == Pace(11, 22, D("0.5000"), D("50000.00"), D("100.00"))


def test_pace_behind_is_at_risk() -> None:
    p = pace(D(40000), D(100000), JUNE_START, JUNE_END, date(2026, 6, 15))
    assert p.ratio == D("80.00")
    assert not is_at_risk(p)  # exactly at the threshold is not behind
    p = pace(D(39999), D(100000), JUNE_START, JUNE_END, date(2026, 6, 15))
    assert p.ratio == D("80.00") and not is_at_risk(p)  # judged on the ratio people see
    p = pace(D(39990), D(100000), JUNE_START, JUNE_END, date(2026, 6, 15))
    assert p.ratio == D("79.98") and is_at_risk(p)


def test_weekend_today_counts_up_to_friday() -> None:
    saturday = pace(D(1), D(22), JUNE_START, JUNE_END, date(2026, 6, 6))
    friday = pace(D(1), D(22), JUNE_START, JUNE_END, date(2026, 6, 5))
    assert saturday.elapsed_days == friday.elapsed_days == 5
    assert saturday.expected == D("5.00")


def test_before_and_after_the_period() -> None:
    before = pace(D(0), D(100), JUNE_START, JUNE_END, date(2026, 5, 20))
    assert (before.elapsed_days, before.fraction, before.expected, before.ratio) == (
        0,
        D(0),
        D("0.00"),
        None,
    )
    after = pace(D(90), D(100), JUNE_START, JUNE_END, date(2026, 8, 1))
    assert (after.elapsed_days, after.fraction, after.ratio) == (22, D(1), D("90.00"))


def test_early_in_period_is_not_at_risk_yet() -> None:
    p = pace(D(0), D(100), JUNE_START, JUNE_END, date(2026, 6, 2))  # 2 of 22 days
    assert p.ratio == D("0.00")
    assert not is_at_risk(p)
    assert is_at_risk(p, min_fraction=D(0))


def test_no_data_is_never_at_risk() -> None:
    assert pace(None, D(100), JUNE_START, JUNE_END, date(2026, 6, 20)).ratio is None
    no_target = pace(D(5), None, JUNE_START, JUNE_END, date(2026, 6, 20))
    assert no_target.expected is None and no_target.ratio is None
    zero_target = pace(D(5), D(0), JUNE_START, JUNE_END, date(2026, 6, 20))
    assert zero_target.ratio is None
    assert not is_at_risk(zero_target)


def test_period_of_only_weekend_and_holidays() -> None:
    p = pace(D(5), D(100), date(2026, 6, 6), date(2026, 6, 7), date(2026, 6, 7))
    assert (p.total_days, p.fraction, p.ratio) == (0, D(0), None)


def test_lower_is_better_is_not_prorated() -> None:
    p = pace(D(2), D(1), JUNE_START, JUNE_END, date(2026, 6, 15), direction="lower")
    assert p.expected == D(1)
    assert p.ratio == D("50.00")
    assert is_at_risk(p)
    perfect = pace(D(0), D(1), JUNE_START, JUNE_END, date(2026, 6, 15), direction="lower")
    assert perfect.ratio == D("120.00")


def test_period_ending_before_start_is_an_error() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        pace(D(1), D(1), JUNE_END, JUNE_START, JUNE_END)


def test_local_today_uses_branch_time_zone() -> None:
    now = datetime(2026, 6, 30, 17, 30, tzinfo=UTC)
    assert local_today(now, "Asia/Shanghai") == date(2026, 7, 1)  # already tomorrow
    assert local_today(now, "America/Los_Angeles") == date(2026, 6, 30)
    assert local_today(datetime(2026, 7, 1, 1, 0, tzinfo=UTC), "America/New_York") == date(
        2026, 6, 30
    )


def test_local_today_needs_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_today(datetime(2026, 6, 30, 12), "Asia/Shanghai")
