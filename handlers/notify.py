"""Queue notices for other people in the caller's unit of work (never sent from here)."""

from __future__ import annotations

from handlers.cards import Card, Notice
from store.uow import UnitOfWork


def notify(
    uow: UnitOfWork,
    *,
    kind: str,
    dedupe_key: str,
    card: Card,
    recipient_id: int | None = None,
    channel: str | None = None,
) -> Notice | None:
    """Write an outbox row with the card; None when the dedupe key was already queued."""
    added = uow.enqueue(
        dedupe_key=dedupe_key,
        kind=kind,
        payload=card.to_dict(),
        recipient_id=recipient_id,
        channel=channel,
    )
    if not added:
        return None
    return Notice(card=card, dedupe_key=dedupe_key, recipient_id=recipient_id, channel=channel)
