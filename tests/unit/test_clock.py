"""The one clock: PERFBOT_NOW moves the calendar, time still passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.clock import ShiftedClock, clock_for, parse_now, system_clock
from bot.config import Settings


def test_an_iso_time_with_an_offset_is_kept_as_that_instant():
    at = parse_now("2026-11-30T18:00:00+08:00")
    assert at == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_a_date_or_a_naive_time_is_utc():
    assert parse_now("2028-02-29") == datetime(2028, 2, 29, tzinfo=UTC)
    assert parse_now(" 2026-12-31T23:59:59 ") == datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", "30/11/2026", ""])
def test_anything_else_is_refused_with_an_example(text):
    with pytest.raises(ValueError, match="not an ISO date or time"):
        parse_now(text)


def test_the_shifted_clock_starts_there_and_runs_at_the_real_pace():
    ticks = iter([100.0, 100.0, 161.5])
    clock = ShiftedClock(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), lambda: next(ticks))
    assert clock() == datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    assert clock() == datetime(2027, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)


def test_without_perfbot_now_it_is_the_system_clock(monkeypatch):
    monkeypatch.delenv("PERFBOT_NOW", raising=False)
    assert Settings().now is None
    assert clock_for(Settings().now) is system_clock
    assert abs(system_clock() - datetime.now(UTC)) < timedelta(seconds=5)


def test_perfbot_now_sets_the_clock_every_command_builds(monkeypatch):
    monkeypatch.setenv("PERFBOT_NOW", "2027-01-01T00:30:00+01:00")
    now = clock_for(Settings().now)()
    assert now.astimezone(timezone(timedelta(hours=1))).date().isoformat() == "2027-01-01"
    assert now.year == 2026  # 23:30 UTC on New Year's Eve


def test_a_bad_perfbot_now_stops_a_command_with_one_line(tmp_path):
    result = CliRunner().invoke(
        main, ["score", "--db", f"sqlite:///{tmp_path}/x.db"], env={"PERFBOT_NOW": "soon"}
    )
    assert result.exit_code == 1
    assert "bad configuration: now: " in result.output
    assert "PERFBOT_NOW='soon' is not an ISO date or time" in result.output
    assert "Traceback" not in result.output
