"""The audit log: a keyed hash chain, appended inside a transaction and verified whole.

Each event's link is an HMAC (the key comes from settings and never reaches the database)
over the previous link, when, what and on which entity, and a salted digest of who and the
before/after content. The content itself (e-mails, reasons, notes) stays readable beside
the link and may be erased for a person without breaking the chain: an erased event keeps
its digest, and verify checks that an erasure event names it. Events written before the
chain was keyed (no digest) are verified as they were written: plain SHA-256 over the whole
content. Anchors of the head, kept outside the database (store/audit_anchor.py), catch what
a chain cannot: its newest events deleted, or all of it rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from said import Said
from store import strings as ss
from store.models import AuditEvent

GENESIS = "0" * 64
ERASE_ACTION = "person.erase"  # its `after["events"]` lists the event ids whose content it cleared


def jsonable(value: Any) -> Any:
    """A JSON-safe copy (decimals, dates as strings), so stored and hashed forms agree."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _canonical(parts: list[Any]) -> bytes:
    return json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def legacy_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
) -> str:
    """The unkeyed link of events written before digests: SHA-256 over all of the event."""
    parts = [prev_hash, at.isoformat(), actor, action, entity, entity_id, before, after]
    return hashlib.sha256(_canonical(parts)).hexdigest()


def content_digest(salt: str, actor: str, before: Any, after: Any) -> str:
    """The salted digest of an event's personal content (who, before, after)."""
    return hashlib.sha256(salt.encode() + _canonical([actor, before, after])).hexdigest()


def link(
    key: bytes | None,
    prev_hash: str,
    at: datetime,
    action: str,
    entity: str,
    entity_id: str,
    digest: str,
) -> str:
    """An event's link: HMAC-SHA-256 with the audit key (SHA-256 when none is configured)."""
    body = _canonical([prev_hash, at.isoformat(), action, entity, entity_id, digest])
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


class Change(TypedDict):
    """What an event records: who did what to which kind of entity; the content before
    and after (JSON-able; none when left out)."""

    actor: str
    action: str
    entity: str
    before: NotRequired[Any]
    after: NotRequired[Any]


def append(
    session: Session,
    *,
    key: bytes | None,
    at: datetime,
    entity_id: str = "",
    **change: Unpack[Change],
) -> AuditEvent:
    """Append one event to the chain; call inside the transaction that made the change."""
    actor, action, entity = change["actor"], change["action"], change["entity"]
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders until commit, so two transactions never share a predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(7263827)"))
    session.flush()
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = prev or GENESIS
    before, after = jsonable(change.get("before")), jsonable(change.get("after"))
    at = at.astimezone(UTC).replace(microsecond=(at.microsecond // 1000) * 1000)
    salt = secrets.token_hex(16)
    digest = content_digest(salt, actor, before, after)
    row = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        salt=salt,
        digest=digest,
        keyed=key is not None,
        erased=False,
        prev_hash=prev,
        hash=link(key, prev, at, action, entity, entity_id, digest),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainReport:
    """What verifying the chain found: the events checked, the first bad one and why, and
    the head it ends in."""

    checked: int
    first_bad_id: int | None
    problem: str
    head: Head | None = None
    erased: int = 0  # events whose content an erasure cleared (their links still hold)


@dataclass(frozen=True)
class Head:
    """The newest event of the chain: how many there are, its id and its link."""

    count: int
    last_id: int
    hash: str


def _problem(ev: AuditEvent, prev: str, key: bytes | None, keyed_seen: bool) -> str:
    """What is wrong with one event given the link before it ("" when nothing is)."""
    if ev.prev_hash != prev:
        return Said(ss.PREVIOUS_CHANGED)
    if ev.digest is None:  # written before digests: the whole content is in the link
        want = legacy_hash(
            prev, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.before, ev.after
        )
        if keyed_seen:
            return Said(ss.UNKEYED_AFTER_KEYED)
        return "" if want == ev.hash else Said(ss.CONTENT_EDITED)
    if ev.keyed and key is None:
        return Said(ss.NO_AUDIT_KEY)
    if not ev.keyed and keyed_seen:
        return Said(ss.UNKEYED_AFTER_KEYED)
    if link(key if ev.keyed else None, prev, ev.at, ev.action, ev.entity, ev.entity_id,
            ev.digest) != ev.hash:  # fmt: skip
        return Said(ss.LINK_MISMATCH)
    if not ev.erased and content_digest(ev.salt or "", ev.actor, ev.before, ev.after) != ev.digest:
        return Said(ss.CONTENT_EDITED)
    return ""


def verify(session: Session, key: bytes | None = None, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; name the first event whose link or content doesn't
    hold, and any erased content no erasure event accounts for."""
    prev, checked, last_id, keyed_seen = GENESIS, 0, 0, False
    erased: list[int] = []
    accounted: set[int] = set()
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        for ev in rows:
            problem = _problem(ev, prev, key, keyed_seen)
            if problem:
                return ChainReport(checked, ev.id, problem, Head(checked, last_id, prev))
            if ev.erased:
                erased.append(ev.id)
            if ev.action == ERASE_ACTION and isinstance(ev.after, dict):
                accounted.update(int(i) for i in ev.after.get("events", ()))
            keyed_seen = keyed_seen or ev.keyed
            prev, checked, last_id = ev.hash, checked + 1, ev.id
        if not rows:
            break
        session.expunge_all()
    head = Head(checked, last_id, prev)
    stray = [i for i in erased if i not in accounted]
    if stray:
        return ChainReport(checked, stray[0], Said(ss.STRAY_ERASURE), head)
    return ChainReport(checked, None, "", head, erased=len(erased))


def erase_content(session: Session, event_ids: list[int], pseudonym: str) -> int:
    """Clear the personal content of these events (who becomes `pseudonym`); their links
    and digests stay, so the chain still verifies. The caller audits the erasure, naming
    the ids (ERASE_ACTION, after={"events": [...]})."""
    rows = session.scalars(select(AuditEvent).where(AuditEvent.id.in_(event_ids))).all()
    for ev in rows:
        ev.actor, ev.before, ev.after, ev.erased = pseudonym, None, None, True
    session.flush()
    return len(rows)
