"""How long an appeal has waited: business days after the filing day, in the branch's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.appeals.sla import waited

FRI_10_SHANGHAI = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def at(day: int, hour: int = 2) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def test_the_filing_day_and_the_weekend_do_not_count():
    assert waited(FRI_10_SHANGHAI, FRI_10_SHANGHAI, "Asia/Shanghai") == 0
    assert waited(FRI_10_SHANGHAI, at(21), "Asia/Shanghai") == 0  # Saturday
    assert waited(FRI_10_SHANGHAI, at(22), "Asia/Shanghai") == 0  # Sunday
    assert waited(FRI_10_SHANGHAI, at(23), "Asia/Shanghai") == 1  # Monday
    assert waited(FRI_10_SHANGHAI, at(27), "Asia/Shanghai") == 5  # next Friday
    assert waited(FRI_10_SHANGHAI, at(30), "Asia/Shanghai") == 6  # Monday after


def test_days_turn_at_local_midnight():
    assert waited(FRI_10_SHANGHAI, at(23, 15), "Asia/Shanghai") == 1  # Mon 23:00 local
    assert waited(FRI_10_SHANGHAI, at(23, 16), "Asia/Shanghai") == 2  # Tue 00:00 local
    # The same instants in Berlin (UTC+1): still Monday afternoon.
    assert waited(FRI_10_SHANGHAI, at(23, 16), "Europe/Berlin") == 1


def test_filed_late_friday_in_one_zone_is_saturday_in_another():
    late_friday_utc = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # Sat 04:00 in Shanghai
    assert waited(late_friday_utc, at(23, 3), "Asia/Shanghai") == 1  # Monday counts
    assert waited(late_friday_utc, at(23, 3), "Europe/Berlin") == 1
    assert waited(late_friday_utc, at(24, 3), "Asia/Shanghai") == 2
