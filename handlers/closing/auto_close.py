"""The scheduler's close: a period that may not close stays open and HR is told why, once
per period and day (the outbox's dedupe key), instead of anything being decided."""

from __future__ import annotations

from handlers import strings as t
from handlers.cards import Card
from handlers.closing.close import CloseRefused, close_period
from handlers.closing.preview import ClosePolicy
from handlers.notify import notify
from handlers.scores.compute import ScoringSetup
from store.uow import UnitOfWork


def close_or_tell_hr(
    key: str, *, uow: UnitOfWork, scoring: ScoringSetup, policy: ClosePolicy
) -> str:
    """Close the period if it may close; otherwise queue HR a card with the reason."""
    try:
        report = close_period(key, uow=uow, scoring=scoring, actor="scheduler", policy=policy)
    except CloseRefused as refused:
        told = tell_hr_refused(key, str(refused), uow=uow)
        return f"refused {key} (HR told: {told})"
    return f"closed {key} ({report.result_cards} result cards)"


def tell_hr_refused(key: str, why: str, *, uow: UnitOfWork) -> int:
    """Each active HR person (none: each admin) gets the refusal; at most once a day each."""
    with uow:
        period = uow.org.period_by_key(key)
        assert period is not None
        people = uow.closing.refusal_recipients()

        def card() -> Card:  # in each reader's language (`why` is the close's own words)
            return Card(
                t.CLOSE_REFUSED_TITLE.format(period=key),
                (*why.splitlines(), t.CLOSE_REFUSED_HOW.format(period=key)),
            )

        day = uow.clock().date().isoformat()
        told = sum(
            notify(
                uow,
                kind="period.close_refused",
                dedupe_key=f"close-refused:{period.id}:{day}:{emp}",
                card=card,
                recipient_id=emp,
            )
            is not None
            for emp in people
        )
        uow.commit()
    return told
