"""The holiday list (PERFBOT_NUDGE_HOLIDAYS): branch name, or `all`, to a list of dates.

all: [2026-12-25, 2027-01-01]
Shanghai HQ: [2026-10-01, 2026-10-02]
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml


class HolidaysError(ValueError):
    """The holiday file can't be used; the message lists every problem."""


def load_holidays(path: Path | None) -> dict[str, frozenset[date]]:
    """Branch name (or "all") -> its holidays; empty without a file."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HolidaysError(f"{path}: can't read the holiday list: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise HolidaysError(f"{path}: expected `branch name: [YYYY-MM-DD, ...]` entries")
    out, problems = {}, []
    for branch, days in data.items():
        if not isinstance(days, list):
            problems.append(f"{branch}: expected a list of dates")
            continue
        good = set()
        for i, day in enumerate(days, 1):
            if isinstance(day, date):
                good.add(day)
            else:
                problems.append(f"{branch}: entry {i} ({day!r}) is not a date (YYYY-MM-DD)")
        out[str(branch)] = frozenset(good)
    if problems:
        raise HolidaysError(f"{path}: " + "; ".join(problems))
    return out
