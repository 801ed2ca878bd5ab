"""Settings to the dispatcher's and the sweep's plain policy objects."""

from __future__ import annotations

from bot.config import Settings
from bot.holidays import load_holidays
from bot.outbox_dispatcher import DispatchPolicy
from handlers.sweep_calendar import SweepPolicy


def dispatch_policy(settings: Settings) -> DispatchPolicy:
    """The dispatcher's retry and lease settings from PERFBOT_OUTBOX_*."""
    o = settings.outbox
    return DispatchPolicy(
        max_attempts=o.max_attempts,
        lease_seconds=o.lease_seconds,
        backoff_seconds=o.backoff_seconds,
        backoff_max_seconds=o.backoff_max_seconds,
        batch=o.batch,
    )


def sweep_policy(settings: Settings) -> SweepPolicy:
    """The at-risk sweep's thresholds and calendar from PERFBOT_NUDGE_* (may raise
    HolidaysError naming what is wrong with the holiday file)."""
    n = settings.nudge
    return SweepPolicy(
        threshold=n.threshold,
        thresholds=dict(n.thresholds),
        min_elapsed=n.min_elapsed,
        every_weeks=n.every_weeks,
        nudge_employee=n.employee,
        holidays=load_holidays(n.holidays),
    )
