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

from connectors import strings as cs
from connectors.records import SourceRecord
from said import Said
from store.facts_upsert import Encoded, encode, upsert_facts, void_facts, void_records
from store.sync_state import (
    Unmatched,
    all_employee_keys,
    clear_unmatched,
    employee_ids,
    keep_unmatched,
    mark_seen,
)

Span = tuple[date | None, date | None]
MAX_RAW = 4096  # bytes of a source record kept with its facts; longer ones are trimmed
MAX_VALUE = Decimal("1e14")  # NUMERIC(18, 4) holds 14 integer digits


@dataclass(frozen=True)
class Rejected:
    """A raw record that could not be mapped; `record_id` when it had one."""

    raw: Any
    reason: str
    record_id: str | None


def widen(span: Span, first: date | None, last: date | None) -> Span:
    """The (first, last) day span stretched to take in `first` and `last` (None: nothing)."""
    lo, hi = span
    if first is not None:
        lo = first if lo is None else min(lo, first)
    if last is not None:
        hi = last if hi is None else max(hi, last)
    return lo, hi


@dataclass(kw_only=True)
class Tally:
    """What writing records came to: facts new, changed and voided, records unmatched and
    rejected, and the days the records cover."""

    new: int = 0
    changed: int = 0
    voided: int = 0
    unmatched: int = 0
    rejected: int = 0
    first_day: date | None = None
    last_day: date | None = None

    def add(self, other: Tally) -> None:
        self.new += other.new
        self.changed += other.changed
        self.voided += other.voided
        self.unmatched += other.unmatched
        self.rejected += other.rejected
        self.days(other.first_day, other.last_day)

    def days(self, first: date | None, last: date | None) -> None:
        self.first_day, self.last_day = widen((self.first_day, self.last_day), first, last)


@dataclass(kw_only=True)
class Counts(Tally):
    """One batch's tally, with the people whose facts it wrote."""

    employees: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Group:
    """The metrics of one source record: live ones, and void or unstorable ones (with why),
    with the record as kept (JSON) and its hash."""

    live: list[SourceRecord]
    dead: list[tuple[SourceRecord, str | None]]
    raw: bytes
    digest: str

    @classmethod
    def of(cls, records: list[SourceRecord]) -> Group:
        live: list[SourceRecord] = []
        dead: list[tuple[SourceRecord, str | None]] = []
        for r in records:
            problem = _invalid(r)
            if problem or r.void:
                dead.append((r, problem))
            else:
                live.append(r)
        return cls(live, dead, *raw_json(records[0].raw))


class Batch:
    """Records of one transaction, the last version of each record id winning.

    Building a batch (grouping, hashing, serialising) is pure Python work the sync engine
    does on its fetching thread, so the writing thread only matches and writes.
    """

    def __init__(self) -> None:
        self.entries: dict[str, Group | Rejected] = {}
        self.size = 0
        self.first_day: date | None = None
        self.last_day: date | None = None

    def add_records(self, records: Iterable[SourceRecord]) -> int:
        """Add mapped records (a source record's metrics come one after another, sharing
        its raw dict); returns how many source records they came from."""
        groups: list[list[SourceRecord]] = []
        raw: Any = None
        for r in records:
            if r.raw is raw:
                groups[-1].append(r)
            else:
                raw = r.raw
                groups.append([r])
        if not groups:
            return 0
        entries, of = self.entries, Group.of
        for group in groups:
            record_id = group[0].record_id
            if record_id in entries:
                del entries[record_id]  # re-insert: the newest version goes last
            entries[record_id] = of(group)
        days = {r.occurred_on for group in groups for r in group}
        self.first_day, self.last_day = widen((self.first_day, self.last_day), min(days), max(days))
        self.size += len(groups)
        return len(groups)

    def add_rejected(self, rejected: Rejected) -> None:
        key = rejected.record_id or "raw:" + raw_json(rejected.raw)[1][:16]
        self.entries.pop(key, None)
        self.entries[key] = rejected
        self.size += 1


def raw_json(raw: Any) -> tuple[bytes, str]:
    """(JSON to keep, SHA-256 of the whole record); long records are trimmed to fit."""
    data = orjson.dumps(raw, default=str)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_RAW:
        size = len(data)
        data = orjson.dumps({"_trimmed": True, **_shallow(raw)}, default=str)
        if len(data) > MAX_RAW:  # still too long: keep only that it was there
            data = orjson.dumps({"_trimmed": True, "_bytes": size})
    if b"\\u0000" in data:  # PostgreSQL's jsonb refuses NUL characters
        data = data.replace(b"\\u0000", b"")
    # orjson's bytes keep a 4 KB buffer however short they are: keep a right-sized copy
    return memoryview(data).tobytes(), digest


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


@dataclass
class Prepared:
    """A batch ready to write: facts encoded for the database, and what to void or set aside."""

    facts: Encoded
    dead: list[tuple[str, str]]
    aside: list[Unmatched]
    rejected_ids: list[str]
    seen: list[str]
    first_day: date | None
    last_day: date | None


class BatchWriter:
    """Writes batches for one source; remembers employee keys it has looked up.

    `prepare` needs the database only for employees not looked up yet (none after
    `preload`), so the sync engine runs it on its fetching thread; `apply` writes.
    """

    def __init__(self, source: str, *, full: bool = False, unmatched_exist: bool = True) -> None:
        self.source = source
        self.full = full
        self.unmatched_exist = unmatched_exist  # False: skip clearing set-aside records
        self._emails: dict[str, int | None] = {}
        self._externals: dict[str, int | None] = {}
        self._preloaded = False

    def preload(self, session: Session) -> None:
        """Look every employee up once (memory grows with the organisation, not the source)."""
        emails, externals = all_employee_keys(session)
        self._emails.update(emails)
        self._externals.update(externals)
        self._preloaded = True

    def write(self, session: Session, batch: Batch, now: datetime) -> Counts:
        """Prepare and store the batch in the caller's transaction; returns what changed."""
        dialect = session.get_bind().dialect.name
        return self.apply(session, self.prepare(batch, dialect, session), now)

    def prepare(self, batch: Batch, dialect: str, lookup: Session | None = None) -> Prepared:
        """Match employees and encode the rows; no writes."""
        dead: list[tuple[str, str]] = []
        aside: list[Unmatched] = []
        rejected_ids: list[str] = []
        groups: list[Group] = []
        for record_id, entry in batch.entries.items():
            if isinstance(entry, Rejected):
                aside.append(Unmatched(record_id, "*", "", entry.reason, _as_dict(entry.raw)))
                rejected_ids.append(record_id)
                continue
            groups.append(entry)
            for r, problem in entry.dead:
                dead.append((r.record_id, r.metric))
                if problem:
                    aside.append(
                        Unmatched(record_id, r.metric, r.employee_key, problem, _as_dict(r.raw))
                    )
        if not self._preloaded:
            assert lookup is not None, "prepare() needs a session unless preloaded"
            self._resolve(lookup, groups)
        rows: list[Any] = []  # FactRow's fields as plain tuples: a NamedTuple costs more
        source, emails, externals = self.source, self._emails, self._externals
        for group in groups:
            for r in group.live:
                table = emails if r.employee_key_kind == "email" else externals
                employee = table.get(r.employee_key)
                if employee is None:
                    aside.append(_unknown(r))
                    dead.append((r.record_id, r.metric))
                    continue
                link = r.link if r.link is None or len(r.link) <= 500 else None
                rows.append(
                    (employee, r.metric, r.value, r.occurred_on, source, r.record_id, link,
                     group.raw, group.digest)
                )  # fmt: skip
        seen = list(batch.entries) if self.full else []
        facts = encode(dialect, rows)
        return Prepared(facts, dead, aside, rejected_ids, seen, batch.first_day, batch.last_day)

    def apply(self, session: Session, p: Prepared, now: datetime) -> Counts:
        """Write a prepared batch in the caller's transaction."""
        source = self.source
        upserted = upsert_facts(session, p.facts, now)
        counts = Counts(new=upserted.new, changed=upserted.changed)
        counts.first_day, counts.last_day = p.first_day, p.last_day
        counts.employees = {row[0] for row in p.facts.rows}
        counts.voided = void_facts(session, source, p.dead, now)
        counts.voided += void_records(session, source, p.rejected_ids, now)
        counts.unmatched = sum(1 for a in p.aside if a.metric != "*")
        counts.rejected = len(p.rejected_ids)
        if self.unmatched_exist:  # set-aside ones come back just below
            matched = [(r[5], r[1]) for r in p.facts.rows]  # (record_id, metric)
            clear_unmatched(session, source, matched + p.dead)
        keep_unmatched(session, source, p.aside, now)
        self.unmatched_exist = self.unmatched_exist or bool(p.aside)
        mark_seen(session, source, p.seen)
        return counts

    def _resolve(self, session: Session, groups: list[Group]) -> None:
        emails: set[str] = set()
        externals: set[str] = set()
        for group in groups:
            for r in group.live:
                (emails if r.employee_key_kind == "email" else externals).add(r.employee_key)
        emails -= self._emails.keys()
        externals -= self._externals.keys()
        if not emails and not externals:
            return
        by_email, by_external = employee_ids(session, sorted(emails), sorted(externals))
        self._emails.update({k: by_email.get(k) for k in emails})
        self._externals.update({k: by_external.get(k) for k in externals})


def _invalid(r: SourceRecord) -> Said | None:
    """Why a mapped record cannot be stored as it is, or None."""
    if len(r.record_id) > 128:
        return Said(cs.RECORD_ID_TOO_LONG, n=128)
    if not r.metric or len(r.metric) > 64:
        return Said(cs.METRIC_NAME_BAD, n=64)
    if not r.void and r.value and r.value.adjusted() >= 14:  # |value| >= 1e14
        return Said(cs.VALUE_TOO_LARGE, value=r.value, digits=14)
    return None


def _unknown(r: SourceRecord) -> Unmatched:
    said = (
        cs.NO_EMPLOYEE_WITH_EMAIL
        if r.employee_key_kind == "email"
        else cs.NO_EMPLOYEE_WITH_EXTERNAL_ID
    )
    reason = Said(said, key=r.employee_key)
    return Unmatched(r.record_id, r.metric, r.employee_key, reason, _as_dict(r.raw))


def _as_dict(raw: Any) -> dict[str, Any]:
    data, _ = raw_json(raw)
    loaded = orjson.loads(data)
    return loaded if isinstance(loaded, dict) else {"value": loaded}
