"""Settings to the dispatcher's and the sweep's plain policy objects."""

from __future__ import annotations

from bot.config import Settings
from bot.outbox_dispatcher import DispatchPolicy


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
