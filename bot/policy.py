"""Settings to the dispatcher's and the sweep's plain policy objects."""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.holidays import HolidaysError, load_holidays
from bot.outbox_dispatcher import DispatchPolicy
from handlers.nudges.sweep_calendar import SweepPolicy

log = logging.getLogger(__name__)


def dispatch_policy(settings: Settings) -> DispatchPolicy:
    """The dispatcher's retry and lease settings from PERFBOT_OUTBOX_*: all of them but the
    idle poll, which is the serving loop's (the rest of the policy keeps its defaults)."""
    return DispatchPolicy(**settings.outbox.model_dump(exclude={"poll_seconds"}))


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
        remind_after_days=n.remind_after_days,
        holidays=load_holidays(n.holidays),
    )


def pace_policy(settings: Settings) -> SweepPolicy:
    """The sweep's calendar and minimum elapsed share, for showing pace in /score and /team.
    A bad holiday file is logged and ignored here (the sweep itself refuses it), so it
    can't stop every command."""
    try:
        return sweep_policy(settings)
    except HolidaysError as exc:
        log.warning("pace shown without holidays: %s", exc)
        n = settings.nudge
        return SweepPolicy(threshold=n.threshold, min_elapsed=n.min_elapsed)
