"""Queue notifications in the caller's transaction; a unique dedupe key makes it idempotent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import Outbox


def enqueue(
    session: Session,
    *,
    now: datetime,
    dedupe_key: str,
    kind: str,
    payload: dict[str, Any],
    recipient_id: int | None = None,
    channel: str | None = None,
) -> bool:
    """Insert a pending row unless its dedupe key exists; True when a row was added."""
    values = dict(
        dedupe_key=dedupe_key,
        kind=kind,
        payload=payload,
        recipient_id=recipient_id,
        channel=channel,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = (
            postgresql.insert(Outbox)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
    elif dialect == "sqlite":
        stmt = (
            sqlite.insert(Outbox)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
    else:  # pragma: no cover - other databases are not supported
        stmt = insert(Outbox).values(**values)
    # RETURNING tells reliably (rowcount doesn't, on every driver) whether a row went in.
    return session.execute(stmt.returning(Outbox.id)).first() is not None
