"""The holiday file: every problem named by branch and entry, never a crash."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.holidays import HolidaysError, load_holidays
from handlers.i18n import say, speaking


def test_dates_by_branch(tmp_path: Path) -> None:
    f = tmp_path / "h.yaml"
    f.write_text("all: [2026-12-25]\nShanghai HQ: ['2026-10-01', 2026-10-02]\n")
    assert load_holidays(f) == {
        "all": {date(2026, 12, 25)},
        "Shanghai HQ": {date(2026, 10, 1), date(2026, 10, 2)},
    }
    assert load_holidays(None) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Berlin: [2026-02-30]", "Berlin: entry 1 ('2026-02-30') is not a date"),
        ("Berlin: 2026-10-03", "Berlin: expected a list of dates"),
        ("- 2026-10-03", "expected `branch name: [YYYY-MM-DD, ...]` entries"),
        ("Berlin: [", "can't read the holiday list"),
    ],
)
def test_problems_are_named(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "h.yaml"
    f.write_text(text)
    with pytest.raises(HolidaysError) as err:
        load_holidays(f)
    assert message in str(err.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HolidaysError, match="can't read"):
        load_holidays(tmp_path / "nope.yaml")


def test_problems_are_said_in_the_readers_language(tmp_path: Path) -> None:
    f = tmp_path / "h.yaml"
    f.write_text("Berlin: [2026-02-30]\nParis: 2026-07-14\n")
    with pytest.raises(HolidaysError) as err:
        load_holidays(f)
    assert str(err.value) == (
        f"{f}: Berlin: entry 1 ('2026-02-30') is not a date (YYYY-MM-DD);"
        " Paris: expected a list of dates"
    )
    with speaking("zh_CN"):
        assert say(err.value) == (
            f"{f}：Berlin：第 1 项（'2026-02-30'）不是日期（YYYY-MM-DD）；Paris：应为日期列表"
        )
