"""Queue notices for other people in the caller's unit of work (never sent from here).

A notice is written in its reader's language: pass the card as a builder (`card=lambda:
Card(...)`), which runs in the recipient's locale, or build it inside `speaking_to`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from handlers.cards import Card, Notice
from handlers.i18n import speaking
from store.uow import UnitOfWork


@contextmanager
def speaking_to(uow: UnitOfWork, recipient_id: int | None) -> Iterator[str]:
    """Speak the recipient's language inside the block (a channel, None: as it was)."""
    if recipient_id is None:
        yield ""
        return
    with speaking(uow.org.locale_of(recipient_id)) as spoken:
        yield spoken


def notify(
    uow: UnitOfWork,
    *,
    kind: str,
    dedupe_key: str,
    card: Card | Callable[[], Card],
    recipient_id: int | None = None,
    channel: str | None = None,
    locale: str | None = None,
) -> Notice | None:
    """Write an outbox row with the card; None when the dedupe key was already queued. A
    builder runs in the recipient's language (a channel's: `locale`, its branch's)."""
    if callable(card):
        if recipient_id is not None:
            with speaking_to(uow, recipient_id):
                card = card()
        else:
            with speaking(locale):
                card = card()
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
