"""Queries of delivery (bot/outbox_dispatcher.py, bot/event_claims.py, the deliverers):
the outbox's claims and settlements (store/outbox.py), event ids claimed once
(store/processed.py), where a person is reached."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import update

from store import outbox, processed
from store.models import ChatIdentity
from store.outbox import Claimed
from store.queries.base import Queries
from store.recipients import Reach, reach


class DeliveryQueries(Queries):
    """Named reads and writes of sending notices and receiving platform events."""

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        """Take up to `limit` due outbox rows for a lease (SKIP LOCKED: replicas share)."""
        return outbox.claim_due(self.session, now=now, lease_until=lease_until, limit=limit)

    def mark_sent(self, claim: Claimed, now: datetime, platform_ref: str) -> bool:
        """The platform took the message; False if the claim no longer held."""
        return outbox.mark_sent(self.session, claim, now=now, platform_ref=platform_ref)

    def retry_at(
        self, claim: Claimed, at: datetime, error: str | None, counted: bool = True
    ) -> bool:
        """Put the row back for an attempt at `at`; False if the claim no longer held."""
        return outbox.retry_at(self.session, claim, at=at, error=error, counted=counted)

    def mark_failed(self, claim: Claimed, error: str) -> bool:
        """Give up on the row, keeping the reason; False if the claim no longer held."""
        return outbox.mark_failed(self.session, claim, error=error)

    def reach(self, employee_ids: Collection[int]) -> dict[int, Reach]:
        """Addresses and languages of these employees (three queries, whatever the batch)."""
        return reach(self.session, employee_ids)

    def claim_event(self, platform: str, event_id: str, now: datetime) -> bool:
        """Record a platform event id; True for the first claim, False for a re-delivery."""
        return processed.claim(self.session, platform=platform, event_id=event_id, now=now)

    def prune_events(self, before: datetime) -> int:
        """Forget event ids claimed before `before`; how many."""
        return processed.prune(self.session, before=before)

    def remember_dm(self, platform: str, user_id: str, channel: str) -> None:
        """The DM channel a platform user is reached on (one statement, no audit)."""
        self.session.execute(
            update(ChatIdentity)
            .where(ChatIdentity.platform == platform)
            .where(ChatIdentity.platform_user_id == user_id)
            .values(dm_channel=channel)
        )
