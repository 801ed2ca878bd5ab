"""Which branches work today, how much of each open period has gone, and the nudge week."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers import strings_en as en
from said import Said
from scoring.pace import branch_holidays, pace
from store.sweep_sql import BranchDay
from store.uow import UnitOfWork

_EPOCH_MONDAY = date(2001, 1, 1)


@dataclass(frozen=True)
class SweepPolicy:
    """Thresholds in percent of pace; holidays by branch name ("all": every branch)."""

    threshold: Decimal = Decimal(80)
    thresholds: Mapping[str, Decimal] = field(default_factory=dict)
    min_elapsed: Decimal = Decimal(20)
    every_weeks: int = 1
    nudge_employee: bool = False
    remind_after_days: int = 3  # business days before a pending goal or change is reminded
    holidays: Mapping[str, Collection[date]] = field(default_factory=dict)

    def holidays_for(self, branch: str) -> frozenset[date]:
        return branch_holidays(self.holidays, branch)


@dataclass(frozen=True)
class Window:
    """Branches on the same local date in the same open period: one SQL statement."""

    period_id: int
    period_key: str
    starts_on: date
    ends_on: date
    today: date
    bucket: str
    days: tuple[BranchDay, ...]


@dataclass(frozen=True)
class Skipped:
    branch: str
    reason: Said  # weekend | holiday | too early in <period> | no open period


def bucket_of(today: date, every_weeks: int = 1) -> str:
    """The nudge week of a date, `2026-W47`; with every_weeks > 1, the first week of its
    block of weeks, so a goal is nudged at most once per block."""
    monday = today - timedelta(days=today.weekday())
    weeks = (monday - _EPOCH_MONDAY).days // 7
    start = _EPOCH_MONDAY + timedelta(weeks=weeks - weeks % every_weeks)
    iso = start.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def windows(
    uow: UnitOfWork, policy: SweepPolicy, now: datetime, branch_ids: Collection[int] | None
) -> tuple[list[Window], list[Skipped]]:
    """The working branches grouped by (open period, local date), and why others sit out."""
    periods = uow.nudges.open_periods()
    groups: dict[tuple[int, date], list[BranchDay]] = {}
    skipped: list[Skipped] = []
    for branch in uow.nudges.branches(branch_ids):
        today = now.astimezone(ZoneInfo(branch.timezone)).date()
        holidays = policy.holidays_for(branch.name)
        if today.weekday() >= 5 or today in holidays:
            why = en.SWEEP_SKIP_WEEKEND if today.weekday() >= 5 else en.SWEEP_SKIP_HOLIDAY
            skipped.append(Skipped(branch.name, Said(why)))
            continue
        current = [p for p in periods if p.starts_on <= today <= p.ends_on]
        if not current:
            skipped.append(Skipped(branch.name, Said(en.SWEEP_SKIP_NO_PERIOD)))
        for p in current:
            span = pace(None, None, p.starts_on, p.ends_on, today, holidays)
            if not span.total_days or span.fraction * 100 < policy.min_elapsed:
                skipped.append(Skipped(branch.name, Said(en.SWEEP_SKIP_TOO_EARLY, period=p.key)))
                continue
            groups.setdefault((p.id, today), []).append(
                BranchDay(branch.id, span.elapsed_days, span.total_days)
            )
    by_id = {p.id: p for p in periods}
    out = [
        Window(
            pid,
            by_id[pid].key,
            by_id[pid].starts_on,
            by_id[pid].ends_on,
            today,
            bucket_of(today, policy.every_weeks),
            tuple(days),
        )
        for (pid, today), days in sorted(groups.items())
    ]
    return out, skipped
