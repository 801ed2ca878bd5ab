"""The one clock: every "now" and "today" in perfbot comes from the clock built here."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from store.uow import Clock


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def parse_now(text: str) -> datetime:
    """An ISO date or time (`2026-11-30`, `2026-11-30T18:00+08:00`); naive means UTC."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"PERFBOT_NOW={text!r} is not an ISO date or time (e.g. 2026-11-30T09:00:00+08:00)"
        ) from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class ShiftedClock:
    """Starts at a given instant and runs at the real pace from there.

    A frozen clock would stall a running server (outbox back-off, leases, conversation
    time-outs never elapse), so `PERFBOT_NOW` moves the calendar, not the passing of time."""

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._start, self._monotonic = start, monotonic
        self._origin = monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=self._monotonic() - self._origin)


def clock_for(now: datetime | None) -> Clock:
    """The real clock, or one that starts at `now` (from PERFBOT_NOW)."""
    return system_clock if now is None else ShiftedClock(now)
