"""Write one batch of source records: match employees, upsert facts, void, set aside the rest.

Shared by the sync engine, push ingestion and history import, so all three store facts
the same way: idempotent on (source, record id, metric).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy.orm import Session

from connectors.records import SourceRecord
from store.facts_upsert import FactRow, upsert_facts, void_facts, void_records
from store.sync_state import Unmatched, clear_unmatched, employee_ids, keep_unmatched, mark_seen

MAX_RAW = 4096  # bytes of a source record kept with its facts; longer ones are trimmed
MAX_VALUE = Decimal("1e14")  # NUMERIC(18, 4) holds 14 integer digits


@dataclass(frozen=True)
class Rejected:
    """A raw record that could not be mapped; `record_id` when it had one."""

    raw: Any
    reason: str
    record_id: str | None


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    voided: int = 0
    unmatched: int = 0
    rejected: int = 0
    first_day: date | None = None
    last_day: date | None = None
    employees: set[int] = field(default_factory=set)

    def add(self, other: Counts) -> None:
        self.new += other.new
        self.changed += other.changed
        self.voided += other.voided
        self.unmatched += other.unmatched
        self.rejected += other.rejected
        self.employees |= other.employees
        self.days(other.first_day, other.last_day)

    def days(self, first: date | None, last: date | None) -> None:
        if first is not None:
            self.first_day = first if self.first_day is None else min(self.first_day, first)
        if last is not None:
            self.last_day = last if self.last_day is None else max(self.last_day, last)


class Batch:
    """Records of one transaction, the last version of each record id winning."""

    def __init__(self) -> None:
        self.entries: dict[str, list[SourceRecord] | Rejected] = {}
        self.size = 0

    def add_records(self, records: Iterable[SourceRecord]) -> None:
        grouped: dict[str, list[SourceRecord]] = {}
        for r in records:
            grouped.setdefault(r.record_id, []).append(r)
        for record_id, group in grouped.items():
            self.entries.pop(record_id, None)
            self.entries[record_id] = group
        self.size += len(grouped)

    def add_rejected(self, rejected: Rejected) -> None:
        key = rejected.record_id or "raw:" + raw_json(rejected.raw)[1][:16]
        self.entries.pop(key, None)
        self.entries[key] = rejected
        self.size += 1


def raw_json(raw: Any) -> tuple[str, str]:
    """(JSON text to keep, SHA-256 of the whole record); long records are trimmed to fit."""
    data = orjson.dumps(raw, default=str)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_RAW:
        data = orjson.dumps({"_trimmed": True, **_shallow(raw)}, default=str)[:MAX_RAW]
        if len(data) >= MAX_RAW:  # still too long: keep only that it was there
            data = orjson.dumps({"_trimmed": True, "_bytes": len(data)})
    # PostgreSQL's jsonb refuses NUL characters
    text = data.decode().replace("\\u0000", "")
    return text, digest


def _shallow(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {"value": str(raw)[:200]}
    out: dict[str, Any] = {}
    for key, value in list(raw.items())[:40]:
        if isinstance(value, str):
            out[str(key)] = value[:200]
        elif isinstance(value, dict | list):
            out[str(key)] = "…"
        else:
            out[str(key)] = value
    return out


class BatchWriter:
    """Writes batches for one source; remembers employee keys it has looked up."""

    def __init__(self, source: str, *, full: bool = False, unmatched_exist: bool = True) -> None:
        self.source = source
        self.full = full
        self.unmatched_exist = unmatched_exist  # False: skip clearing set-aside records
        self._emails: dict[str, int | None] = {}
        self._externals: dict[str, int | None] = {}

    def write(self, session: Session, batch: Batch, now: datetime) -> Counts:
        """Store the batch in the caller's transaction; returns what changed."""
        counts = Counts()
        live: list[SourceRecord] = []
        dead: list[tuple[str, str]] = []
        aside: list[Unmatched] = []
        rejected_ids: list[str] = []
        for record_id, entry in batch.entries.items():
            if isinstance(entry, Rejected):
                aside.append(Unmatched(record_id, "*", "", entry.reason, _as_dict(entry.raw)))
                rejected_ids.append(record_id)
                continue
            for r in entry:
                problem = _invalid(r)
                if problem:
                    aside.append(
                        Unmatched(record_id, r.metric, r.employee_key, problem, _as_dict(r.raw))
                    )
                    dead.append(r.key[1:])
                elif r.void:
                    dead.append(r.key[1:])
                else:
                    live.append(r)
                counts.days(r.occurred_on, r.occurred_on)
        self._resolve(session, live)
        rows: list[FactRow] = []
        raws: dict[int, tuple[str, str]] = {}
        matched: list[tuple[str, str]] = []
        for r in live:
            employee = self._employee(r)
            if employee is None:
                kind = "e-mail" if r.employee_key_kind == "email" else "external id"
                reason = f"no employee with {kind} {r.employee_key}"
                aside.append(
                    Unmatched(r.record_id, r.metric, r.employee_key, reason, _as_dict(r.raw))
                )
                dead.append(r.key[1:])
                continue
            text, digest = raws.get(id(r.raw)) or raws.setdefault(id(r.raw), raw_json(r.raw))
            link = r.link if r.link is None or len(r.link) <= 500 else None
            row = (employee, r.metric, r.value, r.occurred_on, self.source, r.record_id, link)
            rows.append(FactRow(*row, text, digest))
            matched.append(r.key[1:])
            counts.employees.add(employee)
        upserted = upsert_facts(session, rows, now)
        counts.new, counts.changed = upserted.new, upserted.changed
        counts.voided = void_facts(session, self.source, dead, now)
        counts.voided += void_records(session, self.source, rejected_ids, now)
        counts.unmatched = sum(1 for a in aside if a.metric != "*")
        counts.rejected = len(rejected_ids)
        if self.unmatched_exist:
            clear_unmatched(session, self.source, matched + dead)  # set-aside ones come back below
        keep_unmatched(session, self.source, aside, now)
        self.unmatched_exist = self.unmatched_exist or bool(aside)
        if self.full:
            mark_seen(session, self.source, list(batch.entries))
        return counts

    def _resolve(self, session: Session, records: list[SourceRecord]) -> None:
        emails = {r.employee_key for r in records if r.employee_key_kind == "email"}
        externals = {r.employee_key for r in records if r.employee_key_kind == "external_id"}
        emails -= self._emails.keys()
        externals -= self._externals.keys()
        if not emails and not externals:
            return
        by_email, by_external = employee_ids(session, sorted(emails), sorted(externals))
        self._emails.update({k: by_email.get(k) for k in emails})
        self._externals.update({k: by_external.get(k) for k in externals})

    def _employee(self, r: SourceRecord) -> int | None:
        table = self._emails if r.employee_key_kind == "email" else self._externals
        return table.get(r.employee_key)


def _invalid(r: SourceRecord) -> str | None:
    """Why a mapped record cannot be stored as it is, or None."""
    if len(r.record_id) > 128:
        return "record id longer than 128 characters"
    if not r.metric or len(r.metric) > 64:
        return "metric name empty or longer than 64 characters"
    if not r.void and abs(r.value) >= MAX_VALUE:
        return f"value {r.value} out of range (at most 14 digits before the point)"
    return None


def _as_dict(raw: Any) -> dict[str, Any]:
    text, _ = raw_json(raw)
    loaded = orjson.loads(text)
    return loaded if isinstance(loaded, dict) else {"value": loaded}
