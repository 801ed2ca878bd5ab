"""The calendar /score and /team pace with: the sweep's, and a bad holiday file can't stop them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.config import NudgeSettings, Settings
from bot.policy import pace_policy


def settings(holidays: Path | None) -> Settings:
    nudge = NudgeSettings(min_elapsed=Decimal(25), holidays=holidays)
    return Settings(database_url="sqlite://", nudge=nudge)


def test_pace_uses_the_sweeps_holidays_and_minimum(tmp_path: Path) -> None:
    good = tmp_path / "holidays.yaml"
    good.write_text("all: [2026-12-25]\nBerlin: [2026-11-18]\n", encoding="utf-8")
    policy = pace_policy(settings(good))
    assert policy.min_elapsed == Decimal(25)
    assert policy.holidays_for("Berlin") == {date(2026, 12, 25), date(2026, 11, 18)}
    assert policy.holidays_for("Singapore") == {date(2026, 12, 25)}


def test_a_bad_holiday_file_is_ignored_for_pace_not_fatal(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "holidays.yaml"
    bad.write_text("all: [2026-13-01]\n", encoding="utf-8")
    policy = pace_policy(settings(bad))
    assert policy.holidays_for("Berlin") == frozenset() and policy.min_elapsed == Decimal(25)
    assert "pace shown without holidays" in caplog.text and "2026-13-01" in caplog.text
