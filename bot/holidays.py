"""The holiday list (PERFBOT_NUDGE_HOLIDAYS): branch name, or `all`, to a list of dates.

all: [2026-12-25, 2027-01-01]
Shanghai HQ: [2026-10-01, 2026-10-02]
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from bot import strings as bs
from said import Said, joined


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
        raise HolidaysError(Said(bs.HOLIDAYS_UNREADABLE, path=str(path), error=str(exc))) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise HolidaysError(Said(bs.HOLIDAYS_NOT_MAPPING, path=str(path)))
    out: dict[str, frozenset[date]] = {}
    problems: list[str] = []
    for branch, days in data.items():
        if not isinstance(days, list):
            problems.append(Said(bs.HOLIDAYS_NOT_LIST, branch=str(branch)))
            continue
        good = set()
        for i, day in enumerate(days, 1):
            try:
                good.add(date.fromisoformat(str(day)))
            except ValueError:
                problems.append(Said(bs.HOLIDAYS_NOT_DATE, branch=str(branch), i=i, day=day))
        out[str(branch)] = frozenset(good)
    if problems:
        said = Said(bs.HOLIDAYS_PROBLEMS, path=str(path), problems=joined("; ", problems))
        raise HolidaysError(said)
    return out
