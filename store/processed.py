"""Claim a platform event id once: the unique key makes every replica agree who acts on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import ProcessedEvent


def claim(session: Session, *, platform: str, event_id: str, now: datetime) -> bool:
    """Record the event id; True for the first caller, False for every retry after it."""
    values = dict(platform=platform, event_id=event_id[:128], at=now)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt: Any = (
        dialect.insert(ProcessedEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    # RETURNING says reliably (rowcount doesn't, on every driver) whether a row went in.
    return session.execute(stmt.returning(ProcessedEvent.id)).first() is not None


def prune(session: Session, *, before: datetime) -> int:
    """Forget event ids claimed before `before` (Slack retries for minutes, not days)."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
