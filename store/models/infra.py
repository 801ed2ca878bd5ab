"""Plumbing tables: outbox, audit chain, sync checkpoints and seen ids, event dedupe, link codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base


class Outbox(Base):
    """A notification written with the state change, delivered once by the dispatcher."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    channel: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]  # the neutral card, as Card.to_dict()
    status: Mapped[str] = mapped_column(String(10), default="pending")  # sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    # The same reason as msgid and values (said.to_data), when it was said: `perfbot outbox`
    # says it in the operator's language; last_error stays the English, read by SQL too.
    last_error_said: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    platform_ref: Mapped[str | None] = mapped_column(String(200))  # where it landed


class AuditEvent(Base):
    """The audit chain (store/audit.py): each row's link covers the previous link, what was
    done and a salted digest of who and the content; rows are never updated nor deleted
    (on PostgreSQL a trigger refuses it) except an erasure clearing the content."""

    __tablename__ = "audit_event"
    # Who did what lately (e.g. failed link attempts, throttled per chat account).
    __table_args__ = (Index("ix_audit_event_actor_at", "actor", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    salt: Mapped[str | None] = mapped_column(String(32))  # None: written before digests
    digest: Mapped[str | None] = mapped_column(String(64))
    keyed: Mapped[bool] = mapped_column(default=False, server_default=false())
    erased: Mapped[bool] = mapped_column(default=False, server_default=false())
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class SyncCheckpoint(Base):
    __tablename__ = "sync_checkpoint"
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    run_started_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    stats: Mapped[dict[str, Any] | None]


class SyncSeen(Base):
    """Record ids a full sync has read so far; when it ends, facts it did not see are voided."""

    __tablename__ = "sync_seen"
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(128), primary_key=True)


class ProcessedEvent(Base):
    """Platform event ids already acted on (Slack retries the same event up to 3 times)."""

    __tablename__ = "processed_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    at: Mapped[datetime]


class LinkCode(Base):
    """Single-use code that links a chat account (Telegram) to an employee."""

    __tablename__ = "link_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_by: Mapped[str] = mapped_column(String(254))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
