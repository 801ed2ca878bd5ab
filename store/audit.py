"""The hash-chained audit log: append inside a transaction, verify the whole chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from store.models import AuditEvent

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """A JSON-safe copy (decimals, dates as strings), so stored and hashed forms agree."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
) -> str:
    """SHA-256 over the previous hash and a canonical form of the event."""
    body = json.dumps(
        [prev_hash, at.isoformat(), actor, action, entity, entity_id, before, after],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event to the chain; call inside the transaction that made the change."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders until commit, so two transactions never share a predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(7263827)"))
    session.flush()
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = prev or GENESIS
    before, after = jsonable(before), jsonable(after)
    at = at.astimezone(UTC).replace(microsecond=(at.microsecond // 1000) * 1000)
    row = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        prev_hash=prev,
        hash=event_hash(prev, at, actor, action, entity, entity_id, before, after),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    problem: str


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; name the first event whose hash or link doesn't hold."""
    prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked, None, "")
        for ev in rows:
            if ev.prev_hash != prev:
                return ChainReport(checked, ev.id, "previous event missing or changed")
            want = event_hash(
                prev, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.before, ev.after
            )
            if want != ev.hash:
                return ChainReport(checked, ev.id, "content edited after it was written")
            prev, checked, last_id = ev.hash, checked + 1, ev.id
        session.expunge_all()
