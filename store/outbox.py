"""Queue notifications in the caller's transaction; a unique dedupe key makes it idempotent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from said import data_of
from store.models import Outbox


class Message(TypedDict):
    """A notification to queue: its dedupe key, kind and payload, for a person
    (`recipient_id`) or a channel."""

    dedupe_key: str
    kind: str
    payload: dict[str, Any]
    recipient_id: NotRequired[int | None]
    channel: NotRequired[str | None]


def enqueue(session: Session, *, now: datetime, **message: Unpack[Message]) -> bool:
    """Insert a pending row unless its dedupe key exists; True when a row was added."""
    stmt = _insert_new(session).values(**_pending(message, now))
    # RETURNING tells reliably (rowcount doesn't, on every driver) whether a row went in.
    return session.execute(stmt.returning(Outbox.id)).first() is not None


def _insert_new(session: Session) -> Any:
    """INSERT into the outbox that skips a row whose dedupe key exists (PostgreSQL, SQLite)."""
    dialect = session.get_bind().dialect.name
    ins = (postgresql if dialect == "postgresql" else sqlite).insert(Outbox)
    return ins.on_conflict_do_nothing(index_elements=["dedupe_key"])


def _pending(message: Mapping[str, object], now: datetime) -> dict[str, object]:
    """The row of a newly queued message: pending, first tried `now`."""
    return {
        "recipient_id": None,
        "channel": None,
        **message,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


# --- The dispatcher's side: claim with a lease, then settle each row -------------------
#
# A claim moves next_attempt_at to the end of a lease and counts the attempt, in a short
# transaction of its own (PostgreSQL: FOR UPDATE SKIP LOCKED, so replicas never claim the
# same row; SQLite: BEGIN IMMEDIATE already serialises writers). Delivery happens outside
# any transaction; the row is settled right after, and only if the claim still holds
# (same attempt number, still pending), so a row is never marked twice. A dispatcher that
# dies between claim and settle leaves the row to be claimed again when the lease ends.


@dataclass(frozen=True)
class Claimed:
    """A row taken for delivery; `attempt` is this claim's number and its fencing token."""

    id: int
    attempt: int
    kind: str
    dedupe_key: str
    recipient_id: int | None
    channel: str | None
    payload: dict[str, Any]


def claim_due(
    session: Session, *, now: datetime, lease_until: datetime, limit: int
) -> list[Claimed]:
    """Take up to `limit` due pending rows, oldest first, for the length of a lease."""
    # A row never tried is due from the moment it exists, whatever our clock says: with
    # PERFBOT_NOW each process's clock starts at the same instant, so a notice queued late
    # in one command carries a time another process's clock has not reached yet. A row put
    # back to wait (a 429's pause) has moved off its created_at and still waits.
    first_try = and_(Outbox.attempts == 0, Outbox.next_attempt_at == Outbox.created_at)
    due = (
        select(Outbox.id)
        .where(Outbox.status == "pending", or_(Outbox.next_attempt_at <= now, first_try))
        .order_by(Outbox.next_attempt_at, Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(due))
    if not ids:
        return []
    rows = session.execute(
        update(Outbox)
        .where(Outbox.id.in_(ids))
        .values(attempts=Outbox.attempts + 1, next_attempt_at=lease_until)
        .returning(
            Outbox.id,
            Outbox.attempts,
            Outbox.kind,
            Outbox.dedupe_key,
            Outbox.recipient_id,
            Outbox.channel,
            Outbox.payload,
        )
        .execution_options(synchronize_session=False)
    ).all()
    return sorted((Claimed(*r) for r in rows), key=lambda c: c.id)


def _settle(session: Session, claim: Claimed, **values: Any) -> bool:
    result = session.execute(
        update(Outbox)
        .where(
            Outbox.id == claim.id,
            Outbox.attempts == claim.attempt,
            Outbox.status == "pending",
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def mark_sent(session: Session, claim: Claimed, *, now: datetime, platform_ref: str) -> bool:
    """The platform took the message; False if the claim no longer held."""
    return _settle(
        session,
        claim,
        status="sent",
        sent_at=now,
        platform_ref=platform_ref[:200],
        last_error=None,
        last_error_said=None,
    )


def retry_at(
    session: Session, claim: Claimed, *, at: datetime, error: str | None, counted: bool = True
) -> bool:
    """Put the row back for a later attempt; `counted=False` gives the attempt back
    (the platform asked us to wait, or we never tried)."""
    values: dict[str, Any] = {"next_attempt_at": at, **_error(error)}
    if not counted:
        values["attempts"] = claim.attempt - 1
    return _settle(session, claim, **values)


def mark_failed(session: Session, claim: Claimed, *, error: str) -> bool:
    """Give up on the row, keeping the reason."""
    return _settle(session, claim, status="failed", **_error(error))


def _error(error: str | None) -> dict[str, Any]:
    """The reason in English, and as msgid and values when it is a Said (else None)."""
    return {"last_error": error and str(error)[:2000], "last_error_said": data_of(error)}


def requeue(session: Session, row_id: int, *, now: datetime) -> Outbox | None:
    """A failed row back to pending, due now, with a fresh attempt count; None if not failed."""
    row = session.get(Outbox, row_id, with_for_update=True)
    if row is None or row.status != "failed":
        return None
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
    session.flush()
    return row


def listing(session: Session, *, status: str | None, limit: int) -> Sequence[Outbox]:
    """Rows, newest first, optionally of one status."""
    q = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
    if status:
        q = q.where(Outbox.status == status)
    return session.scalars(q).all()


def enqueue_many(session: Session, *, now: datetime, rows: Sequence[dict[str, Any]]) -> None:
    """Queue many rows at once (keys: dedupe_key, kind, payload, recipient_id, channel);
    rows whose dedupe key exists are skipped. One executemany, for bulk producers."""
    if not rows:
        return
    session.execute(_insert_new(session), [_pending(r, now) for r in rows])
