"""Each platform event acts once: its id claimed in the processed-event table (one table
for every platform and replica), old ids forgotten now and then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from store.uow import UnitOfWork

# Platforms re-deliver an unconfirmed event for minutes (Slack) up to a day (Telegram).
KEEP = timedelta(days=1)
PRUNE_EVERY = 500  # claims between two prunes of old ids


class EventClaims:
    """Claims event ids for one platform; `claim` is blocking (call it from a thread)."""

    def __init__(self, uow: Callable[[], UnitOfWork], platform: str) -> None:
        self.uow, self.platform = uow, platform
        self.count = 0  # claims so far; every PRUNE_EVERY-th prunes first

    def claim(self, key: str) -> bool:
        """True for the first claim of `key`, False for every re-delivery after it."""
        with self.uow() as uow:
            now = uow.clock()
            first = uow.delivery.claim_event(self.platform, key, now)
            self.count += 1
            if self.count % PRUNE_EVERY == 1:  # now and then, not on every event
                uow.delivery.prune_events(now - KEEP)
            uow.commit()
            return first
