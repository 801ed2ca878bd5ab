"""Anchors of the audit chain's head, kept outside the database: one JSON line per anchor
in an append-only file. A chain checks itself link by link, but not its newest events
deleted nor all of it rewritten; an anchor written earlier does."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from said import Said
from store import strings as ss
from store.audit import Head, verify
from store.models import AuditEvent


class AnchorError(ValueError):
    """The anchor file can't be read or one of its lines was altered."""


@dataclass(frozen=True)
class Anchor:
    at: str
    count: int
    last_id: int
    hash: str


def _mac(key: bytes | None, anchor: Anchor) -> str | None:
    if key is None:
        return None
    body = json.dumps(asdict(anchor), sort_keys=True).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def write(path: Path, head: Head, at: datetime, key: bytes | None) -> Anchor:
    """Append the head as one line (its MAC too, when the chain is keyed), synced to disk."""
    anchor = Anchor(at.isoformat(), head.count, head.last_id, head.hash)
    line = json.dumps(asdict(anchor) | {"mac": _mac(key, anchor)}, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor


def latest(path: Path, key: bytes | None) -> Anchor | None:
    """The newest anchor in the file (None when there is no file or it is empty)."""
    if not path.exists():
        return None
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        return None
    try:
        raw = json.loads(lines[-1])
        anchor = Anchor(str(raw["at"]), int(raw["count"]), int(raw["last_id"]), str(raw["hash"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorError(Said(ss.NOT_AN_ANCHOR, path=path, error=str(exc))) from None
    want = _mac(key, anchor)
    if want is not None and raw.get("mac") is not None and raw["mac"] != want:
        raise AnchorError(Said(ss.ANCHOR_ALTERED, path=path))
    return anchor


def check(session: Session, anchor: Anchor) -> str:
    """What the database lost or rewrote since `anchor` was written ("" when nothing)."""
    found = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.last_id))
    if found is None:
        return Said(ss.HEAD_MISSING, id=anchor.last_id, at=anchor.at)
    if found != anchor.hash:
        return Said(ss.HEAD_DIFFERS, id=anchor.last_id, at=anchor.at)
    upto = session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.id <= anchor.last_id))
    if upto != anchor.count:
        return Said(
            ss.EVENTS_REMOVED, count=anchor.count, id=anchor.last_id, at=anchor.at, now=upto
        )
    return ""


def anchor_head(session: Session, path: Path, key: bytes | None, at: datetime) -> Anchor | None:
    """Verify the chain, then anchor its head; None (nothing written) when it is broken."""
    report = verify(session, key)
    if report.first_bad_id is not None or report.head is None:
        return None
    return write(path, report.head, at, key)
