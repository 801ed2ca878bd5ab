"""What a sync keeps besides facts: checkpoints, ids a full run has seen, unmatched records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from said import data_of
from store.facts_upsert import CHUNK, changed_rows
from store.models import Employee, MetricFact, SyncCheckpoint, SyncSeen, UnmatchedRecord

LAST, SUCCEEDED_AT = "last", "succeeded_at"  # a checkpoint's last complete run, and its end


@dataclass(frozen=True)
class Unmatched:
    """A record kept aside: its employee is unknown, or it could not be read at all."""

    record_id: str
    metric: str  # "*" when the whole record was rejected
    employee_key: str
    reason: str  # a said.Said when the layer that set it aside worded it
    raw: dict[str, Any] | None


def bulk_writes(session: Session, on: bool) -> None:
    """SQLite: while a sync commits batch after batch, checkpoint the write-ahead log every
    ~80 MB instead of every 4 MB (each checkpoint syncs the database file to disk). The
    setting belongs to the connection, so the last batch puts the default back."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA wal_autocheckpoint = {20000 if on else 1000}"))


def checkpoint(session: Session, source: str) -> SyncCheckpoint | None:
    return session.get(SyncCheckpoint, source)


def save_checkpoint(
    session: Session,
    source: str,
    *,
    cursor: str | None,
    run_started_at: datetime | None,
    now: datetime,
    stats: dict[str, Any],
) -> None:
    """Write the checkpoint in the caller's transaction (the one holding the batch). The
    last complete run (`last`) and when it ended (`succeeded_at`) are kept while the next
    run is under way or after it fails, so an operator still sees the last success."""
    row = session.get(SyncCheckpoint, source)
    if row is None:
        row = SyncCheckpoint(source=source, updated_at=now)
        session.add(row)
    before = row.stats or {}
    kept = {k: before[k] for k in (LAST, SUCCEEDED_AT) if k in before and k not in stats}
    if (stats.get(LAST) or {}).get("complete"):
        kept[SUCCEEDED_AT] = now.isoformat()
    row.cursor, row.run_started_at, row.updated_at = cursor, run_started_at, now
    row.stats = {**stats, **kept}
    session.flush()


def employee_ids(
    session: Session, emails: Sequence[str], external_ids: Sequence[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Employees by e-mail and by external id, for the keys asked (one query each).

    People who left still own their past records, so inactive employees match too.
    """
    by_email: dict[str, int] = {}
    by_external: dict[str, int] = {}
    e = Employee
    for chunk in _chunks(emails):
        rows = session.execute(select(e.email, e.id).where(e.email.in_(chunk)))
        by_email.update({k.lower(): i for k, i in rows})
    for chunk in _chunks(external_ids):
        rows = session.execute(select(e.external_id, e.id).where(e.external_id.in_(chunk)))
        by_external.update({str(k): i for k, i in rows})
    return by_email, by_external


def all_employee_keys(session: Session) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """Every employee by e-mail and by external id (the sync engine's one lookup per run)."""
    rows = session.execute(select(Employee.id, Employee.email, Employee.external_id)).all()
    by_email: dict[str, int | None] = {email.lower(): i for i, email, _ in rows}
    by_external: dict[str, int | None] = {str(x): i for i, _, x in rows if x is not None}
    return by_email, by_external


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def keep_unmatched(session: Session, source: str, rows: Sequence[Unmatched], now: datetime) -> None:
    """Store (or refresh) records set aside, keyed like facts on (source, record, metric)."""
    if not rows:
        return
    stmt = _insert(session)(UnmatchedRecord)
    stmt = stmt.on_conflict_do_update(
        index_elements=["source", "record_id", "metric"],
        set_={
            "employee_key": stmt.excluded.employee_key,
            "reason": stmt.excluded.reason,
            "reason_said": stmt.excluded.reason_said,
            "raw": stmt.excluded.raw,
            "seen_at": stmt.excluded.seen_at,
        },
    )
    session.execute(
        stmt,
        [
            {
                "source": source,
                "record_id": r.record_id[:128],
                "metric": r.metric[:64],
                "employee_key": r.employee_key[:254],
                "reason": r.reason[:300],
                "reason_said": data_of(r.reason),
                "raw": r.raw,
                "seen_at": now,
            }
            for r in rows
        ],
    )


def has_unmatched(session: Session, source: str) -> bool:
    return bool(session.scalar(select(exists().where(UnmatchedRecord.source == source))))


def clear_unmatched(session: Session, source: str, keys: Sequence[tuple[str, str]]) -> None:
    """Forget records set aside earlier that now match (their employee became known)."""
    u = UnmatchedRecord
    for chunk in _chunks(keys):
        session.execute(
            delete(u).where(u.source == source, tuple_(u.record_id, u.metric).in_(chunk))
        )
    for chunk in _chunks(sorted({record_id for record_id, _ in keys})):
        session.execute(
            delete(u).where(u.source == source, u.metric == "*", u.record_id.in_(chunk))
        )


def mark_seen(session: Session, source: str, record_ids: Sequence[str]) -> None:
    """Remember ids a full run has read (committed with its batch, so a resume keeps them)."""
    if record_ids:
        stmt = _insert(session)(SyncSeen).on_conflict_do_nothing()
        session.execute(stmt, [{"source": source, "record_id": r} for r in record_ids])


def forget_seen(session: Session, source: str) -> None:
    session.execute(delete(SyncSeen).where(SyncSeen.source == source))


def sweep_unseen(session: Session, source: str, now: datetime) -> int:
    """End of a full run: void live facts and drop unmatched records it did not see."""
    f, s, u = MetricFact, SyncSeen, UnmatchedRecord
    seen = exists().where(s.source == source, s.record_id == f.record_id)
    voided = changed_rows(
        session,
        update(f)
        .where(f.source == source, f.void.is_(False), ~seen)
        .values(void=True, fetched_at=now),
    )
    gone = ~exists().where(s.source == source, s.record_id == u.record_id)
    session.execute(delete(u).where(u.source == source, gone))
    forget_seen(session, source)
    return int(voided)
