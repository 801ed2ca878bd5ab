"""Whatever today's date is: the demo, the daily commands and the month end work on the real
clock (no PERFBOT_NOW), with the host's date moved by time-machine to the awkward days."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from click.testing import CliRunner

from bot.cli import main

# Instants in UTC; the demo's headquarters is Shanghai (UTC+8), Berlin is UTC+1.
DATES = {
    "first-day-of-month": datetime(2027, 3, 1, 1, 0, tzinfo=UTC),  # 09:00 in Shanghai
    "last-day-of-month": datetime(2027, 4, 30, 9, 0, tzinfo=UTC),
    "new-years-eve-utc": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 1 Jan in Shanghai
    "leap-day": datetime(2028, 2, 29, 4, 0, tzinfo=UTC),
    "a-sunday": datetime(2027, 8, 15, 6, 0, tzinfo=UTC),
}


def month_key(at: datetime, shift: int = 0) -> str:
    local = at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    y, m = divmod(local.year * 12 + local.month - 1 + shift, 12)
    return f"{y}-{m + 1:02d}"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"PERFBOT_NOW": None})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.slow
@pytest.mark.parametrize("at", DATES.values(), ids=DATES.keys())
def test_the_demo_and_a_month_end_at_any_date(at: datetime, tmp_path):
    db = f"sqlite:///{tmp_path}/demo.db"
    this, last = month_key(at), month_key(at, -1)
    with time_machine.travel(at, tick=True):
        assert date.today() == at.date()  # the host's clock really moved
        code, out = run("demo", "--seed-only", "--db", db)
        assert code == 0, out
        assert f"{last} closed: results, incentives and everyone's result card" in out
        nudges = re.search(r"at-risk sweep: (\d+) nudges queued", out)
        assert nudges and int(nudges.group(1)) > 0, out
        code, out = run(
            "console", "--db", db, "--as", "chen.jing@acme.example",
            "--run", "/score ana.li@acme.example", "--run", "/team", "--run", "/goals",
        )  # fmt: skip
        assert code == 0, out
        assert f"Score · Ana Li · {this}" in out
        assert "Something went wrong" not in out and "has not been set up" not in out
        code, out = run("sweep", "--dry-run", "--db", db)
        assert code == 0, out
        # The demo again: idempotent, the closed month stays as it was.
        code, again = run("demo", "--seed-only", "--db", db)
        assert code == 0 and "closed: results" not in again, again
        code, out = run(
            "console", "--db", db, "--as", "ana.li@acme.example",
            "--run", f"/score {last}", "--run", "/appeal",
        )  # fmt: skip
        assert code == 0 and f"Score · Ana Li · {last}" in out, out
        assert "Sales" in out.split("> /appeal", 1)[1], out
