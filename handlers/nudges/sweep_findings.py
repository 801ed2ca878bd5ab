"""Rows of the sweep's SELECT to findings: what is behind, by how much, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from handlers.nudges.sweep_calendar import Window
from scoring.attainment import attainment, round2


@dataclass(slots=True)
class Finding:
    """One goal behind pace (or back on it), and what the sweep does about it.
    (Not frozen: a sweep makes tens of thousands, and frozen init costs 3x.)"""

    goal_id: int
    employee_id: int
    name: str
    manager_id: int | None
    metric: str
    label: str
    unit: str
    direction: str
    actual: Decimal
    target: Decimal
    expected: Decimal | None  # None for lower-is-better goals (not prorated)
    ratio: Decimal | None
    period_key: str
    ends_on: str
    bucket: str
    behind_since: datetime | None
    decision: str  # nudge | already nudged | snoozed | no manager | recovered


# The sweep's columns, in the order _finding reads them.
FIELDS = (
    "goal_id", "employee_id", "name", "manager_id", "metric", "title", "unit", "direction",
    "actual_x", "target_x", "expected_c", "at_risk", "snoozed_until", "last_bucket",
    "behind_since",
)  # fmt: skip


def findings_of(rows: Any, w: Window, now: datetime, labels: dict[str, str]) -> list[Finding]:
    """Rows to findings: tens of thousands at scale, so by position, not by name."""
    get = itemgetter(*(list(rows.keys()).index(name) for name in FIELDS))
    out = []
    end = w.ends_on.isoformat()
    for row in rows:
        (goal_id, emp, name, manager, metric, title, unit, direction, a, t, e, at_risk,
         snoozed, bucket, since) = get(row)  # fmt: skip
        actual = Decimal(0) if a is None else Decimal(a).scaleb(-4)
        target = Decimal(t).scaleb(-4)
        if direction == "lower":
            expected, ratio = None, attainment(actual if a is not None else None, target, "lower")
        else:
            expected = Decimal(e).scaleb(-2) if e is not None else None
            ratio = round2(Decimal(a) / Decimal(e)) if a is not None and e else None
        if not at_risk:
            decision = "recovered"
        elif snoozed is not None and snoozed > now:
            decision = "snoozed"
        elif bucket == w.bucket:
            decision = "already nudged"
        elif manager is None:
            decision = "no manager"
        else:
            decision = "nudge"
        out.append(
            Finding(goal_id, emp, name, manager, metric, labels.get(metric) or title, unit or "",
                    direction, actual, target, expected, ratio, w.period_key, end, w.bucket,
                    since, decision)
        )  # fmt: skip
    return out
