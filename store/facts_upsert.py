"""Set-based writes of source facts: bulk upsert on (source, record_id, metric), and voids.

A row is rewritten only when its value, date, employee, void flag or raw hash changed, so
re-reading a source writes nothing. SQLite takes one INSERT ... SELECT over a JSON array
of the rows; PostgreSQL a COPY into a temporary staging table and one INSERT ... SELECT ...
ON CONFLICT (executemany there runs at a quarter of the speed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import CursorResult, func, select, tuple_, update
from sqlalchemy.orm import Session

from scoring.attainment import FIGURE_PLACES
from store.models import MetricFact

CHUNK = 500  # keys per IN (...) list: well under every database's parameter limit
COLUMNS = "employee_id, metric, value, occurred_on, source, record_id, link, raw, raw_hash"
CHANGED = (
    "metric_fact.void OR metric_fact.value <> excluded.value"
    " OR metric_fact.occurred_on <> excluded.occurred_on"
    " OR metric_fact.employee_id <> excluded.employee_id"
    " OR metric_fact.raw_hash {distinct} excluded.raw_hash"
)
SET = (
    "employee_id = excluded.employee_id, value = excluded.value,"
    " occurred_on = excluded.occurred_on, link = excluded.link,"
    " fetched_at = excluded.fetched_at, raw = excluded.raw, raw_hash = excluded.raw_hash,"
    " void = {false}"
)
# The same upsert row by row, for executemany (bench/sync_bench.py's floor).
SQLITE_UPSERT = (
    f"INSERT INTO metric_fact ({COLUMNS}, fetched_at, void)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
    " ON CONFLICT (source, record_id, metric) DO UPDATE SET "
    + SET.format(false="0")
    + " WHERE "
    + CHANGED.format(distinct="IS NOT")
)
# One statement over a JSON array of rows: the GIL is released once per batch instead of
# once per row, so the thread fetching the next pages does not slow the writes down.
SQLITE_UPSERT_JSON = (
    f"INSERT INTO metric_fact ({COLUMNS}, fetched_at, void) SELECT "
    + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(9))
    + ", ?, 0 FROM json_each(?) WHERE true"
    " ON CONFLICT (source, record_id, metric) DO UPDATE SET "
    + SET.format(false="0")
    + " WHERE "
    + CHANGED.format(distinct="IS NOT")
)
PG_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS fact_stage (employee_id integer, metric text,"
    " value numeric(18, 4), occurred_on date, source text, record_id text, link text,"
    " raw jsonb, raw_hash text) ON COMMIT DELETE ROWS"
)
PG_UPSERT = (
    f"WITH up AS (INSERT INTO metric_fact ({COLUMNS}, fetched_at, void)"
    f" SELECT {COLUMNS}, %(now)s, false FROM fact_stage"
    " ON CONFLICT (source, record_id, metric) DO UPDATE SET "
    + SET.format(false="false")
    + " WHERE "
    + CHANGED.format(distinct="IS DISTINCT FROM")
    + " RETURNING (xmax = 0) AS inserted)"
    " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up"
)


class FactRow(NamedTuple):
    """One live fact to store; `raw` is the (trimmed) source record as UTF-8 JSON."""

    employee_id: int
    metric: str
    value: Decimal
    occurred_on: date
    source: str
    record_id: str
    link: str | None
    raw: bytes
    raw_hash: str


@dataclass(frozen=True)
class Encoded:
    """Rows encoded for one database's bulk upsert: pure CPU work a caller may do ahead,
    on another thread (SQLite: one JSON array; PostgreSQL: COPY text)."""

    dialect: str
    rows: Sequence[FactRow]
    payload: str | bytes | None = None


# COPY text format: tab-separated, \N for NULL, backslash escapes in every field
_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _esc(text: str) -> str:
    # translate() is slow; nearly every field needs nothing, and four `in` tests are cheap
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _copy_text(rows: Sequence[FactRow]) -> bytes:
    days = {r[3]: r[3].isoformat() for r in rows}
    names = {v: _esc(v) for r in rows for v in (r[1], r[4])}
    lines = []
    for r in rows:
        raw = r[7].decode()
        if "\\" in raw:  # orjson escapes tabs and newlines itself: only backslashes remain
            raw = raw.replace("\\", "\\\\")
        link = _NULL if r[6] is None else _esc(r[6])
        lines.append(
            f"{r[0]}\t{names[r[1]]}\t{r[2]}\t{days[r[3]]}\t{names[r[4]]}\t{_esc(r[5])}\t"
            f"{link}\t{raw}\t{r[8]}\n"
        )
    return "".join(lines).encode()


def encode(dialect: str, rows: Sequence[FactRow]) -> Encoded:
    if dialect == "postgresql":
        return Encoded(dialect, rows, _copy_text(rows))
    # The representations SQLAlchemy writes on SQLite: floats for NUMERIC, ISO text for
    # dates; the raw record goes in as JSON (a Fragment: not escaped into a string again).
    fragment = orjson.Fragment
    days = {r[3]: r[3].isoformat() for r in rows}  # few distinct dates per batch
    payload = orjson.dumps(
        [
            (r[0], r[1], float(r[2]), days[r[3]], r[4], r[5], r[6], fragment(r[7]), r[8])
            for r in rows
        ]
    )
    return Encoded(dialect, rows, payload.decode())


@dataclass(frozen=True)
class Upserted:
    """What one batch did: facts inserted, and facts whose record had changed rewritten."""

    new: int
    changed: int


def upsert_facts(session: Session, rows: Sequence[FactRow] | Encoded, now: datetime) -> Upserted:
    """Insert new facts and rewrite changed ones; one key may appear only once in `rows`."""
    dialect = session.get_bind().dialect.name
    if not isinstance(rows, Encoded) or rows.dialect != dialect:
        rows = encode(dialect, rows.rows if isinstance(rows, Encoded) else rows)
    if not rows.rows:
        return Upserted(0, 0)
    if dialect == "postgresql":
        assert isinstance(rows.payload, bytes)
        return _upsert_pg(session, rows.payload, now)
    assert isinstance(rows.payload, str)
    return _upsert_sqlite(session, rows.payload, now)


def _upsert_sqlite(session: Session, payload: str, now: datetime) -> Upserted:
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        before = cur.execute("SELECT coalesce(max(id), 0) FROM metric_fact").fetchone()[0]
        cur.execute(SQLITE_UPSERT_JSON, (sqlite_time(now), payload))
        written = cur.execute("SELECT changes()").fetchone()[0]
        new = cur.execute("SELECT count(*) FROM metric_fact WHERE id > ?", (before,)).fetchone()[0]
    finally:
        cur.close()
    return Upserted(new, written - new)


def _upsert_pg(session: Session, data: bytes, now: datetime) -> Upserted:
    dbapi: Any = session.connection().connection.driver_connection
    with dbapi.cursor() as cur:
        cur.execute(PG_STAGE)  # empty: ON COMMIT DELETE ROWS, and a failed statement aborts
        with cur.copy(f"COPY fact_stage ({COLUMNS}) FROM STDIN") as copy:
            copy.write(data)
        cur.execute(PG_UPSERT, {"now": now})
        new, changed = cur.fetchone()
    return Upserted(new, changed)


def sqlite_time(moment: datetime) -> str:
    """A UTC timestamp as SQLAlchemy stores it on SQLite."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def void_facts(
    session: Session, source: str, keys: Sequence[tuple[str, str]], now: datetime
) -> int:
    """Mark the live facts with these (record_id, metric) keys void; returns how many."""
    f, done = MetricFact, 0
    for chunk in _chunks(keys):
        stmt = (
            update(f)
            .where(f.source == source, f.void.is_(False), tuple_(f.record_id, f.metric).in_(chunk))
            .values(void=True, fetched_at=now)
        )
        done += changed_rows(session, stmt)
    return done


def void_records(session: Session, source: str, record_ids: Sequence[str], now: datetime) -> int:
    """Mark every live fact of these records (all metrics) void; returns how many."""
    f, done = MetricFact, 0
    for chunk in _chunks(record_ids):
        stmt = (
            update(f)
            .where(f.source == source, f.void.is_(False), f.record_id.in_(chunk))
            .values(void=True, fetched_at=now)
        )
        done += changed_rows(session, stmt)
    return done


def changed_rows(session: Session, stmt: Any) -> int:
    """Run one UPDATE/DELETE and return how many rows it touched (exact for one statement)."""
    result = session.execute(stmt, execution_options={"synchronize_session": False})
    return int(cast(CursorResult[Any], result).rowcount)


def owners(session: Session, source: str, record_ids: Sequence[str]) -> set[int]:
    """Employees the stored facts of these records belong to (before they are rewritten)."""
    found: set[int] = set()
    for chunk in _chunks(record_ids):
        found.update(
            session.scalars(
                select(MetricFact.employee_id)
                .where(MetricFact.source == source, MetricFact.record_id.in_(chunk))
                .distinct()
            )
        )
    return found


def live_totals(session: Session, source: str) -> dict[str, tuple[int, Decimal]]:
    """Count and sum of the live facts of a source per metric (reports and tests)."""
    f = MetricFact
    rows = session.execute(
        select(f.metric, func.count(), func.sum(f.value))
        .where(f.source == source, f.void.is_(False))
        .group_by(f.metric)
    )
    return {m: (n, Decimal(str(s)).quantize(FIGURE_PLACES)) for m, n, s in rows}
