"""The holiday list (PERFBOT_NUDGE_HOLIDAYS): branch name, or `all`, to a list of dates.

all: [2026-12-25, 2027-01-01]
Shanghai HQ: [2026-10-01, 2026-10-02]
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml


class _Loader(yaml.SafeLoader):
    """Dates stay text, so a bad one (2026-13-01) is reported by entry, not raised by YAML."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)


class HolidaysError(ValueError):
    """The holiday file can't be used; the message lists every problem."""


def load_holidays(path: Path | None) -> dict[str, frozenset[date]]:
    """Branch name (or "all") -> its holidays; empty without a file."""
    if path is None:
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader
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
            try:
                good.add(date.fromisoformat(str(day)))
            except ValueError:
                problems.append(f"{branch}: entry {i} ({day!r}) is not a date (YYYY-MM-DD)")
        out[str(branch)] = frozenset(good)
    if problems:
        raise HolidaysError(f"{path}: " + "; ".join(problems))
    return out
