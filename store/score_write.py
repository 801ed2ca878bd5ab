"""Store a period's freshly computed score lines and totals over the ones stored before.

Each database gets the write it does fastest (bench/score_bench.py, 100,000 people):
- SQLite deletes the people's lines and inserts the new ones, then upserts the totals
  grouped from them: its B-trees take a DELETE and INSERT of the same keys as cheaply
  as an upsert or an UPDATE (measured within 5%).
- PostgreSQL stages the new lines in a temporary table and updates the stored ones in
  place, inserting only the missing and removing the stale. A DELETE and INSERT of the
  same keys left 500,000 dead index entries that every new row's unique check visited
  (1-1.8 s); an UPDATE that changes no indexed column is heap-only (no index touched)
  when the page has room, hence the tables' fillfactor (store/models/performance.py).
  The totals go the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import cast as cast_type

from sqlalchemy import Table, column, delete, exists, func, insert, select, table, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from store.models import Employee, Score, ScoreLine

LINES = cast_type(Table, ScoreLine.__table__)
SCORES = cast_type(Table, Score.__table__)
LINE_COLS = [c.name for c in LINES.columns]  # the lines select yields them in this order
TOTAL_COLS = ["employee_id", "period_id", "total", "coverage", "band", "breakdown"]
TOTAL_COLS += ["computed_at", "frozen"]
_REPLACED = TOTAL_COLS[2:7]  # what a re-score changes in a stored total

# Given the table the lines are in, the select of each person's total from them.
TotalsOf = Callable[[Any], Any]


@dataclass(frozen=True)
class Fresh:
    """A period's new scores to write: for whom (`people`, the WHERE clause on Employee),
    the select of their lines, the select of their totals given the lines' table, and the
    fewest dimensions of any scorecard (every scored person has a line at each position
    below it)."""

    period_id: int
    people: list[Any]
    lines: Any
    totals_of: TotalsOf
    min_dims: int


def store(session: Session, fresh: Fresh) -> int:
    """Write the fresh lines as the period's lines of its people, then their totals; frozen
    totals stay as they are. Returns how many totals were written."""
    if session.get_bind().dialect.name == "postgresql":
        return _in_place(session, fresh)
    session.execute(
        delete(LINES).where(
            LINES.c.period_id == fresh.period_id,
            LINES.c.employee_id.in_(select(Employee.id).where(*fresh.people)),
        )
    )
    session.execute(insert(LINES).from_select(LINE_COLS, fresh.lines))
    upsert = sqlite.insert(SCORES).from_select(TOTAL_COLS, fresh.totals_of(LINES))
    upsert = upsert.on_conflict_do_update(
        index_elements=["employee_id", "period_id"],
        set_={c: upsert.excluded[c] for c in _REPLACED},
        where=SCORES.c.frozen.is_(False),
    )
    # SQLite's rowcount counts an upsert's updates and inserts (not the frozen it skips).
    return _rowcount(session.execute(upsert))


def _in_place(session: Session, fresh: Fresh) -> int:
    """PostgreSQL: stage, then update what is stored, insert what is not, drop the stale;
    a period's first score (nothing stored yet) is inserted straight away."""
    period_id, totals_of = fresh.period_id, fresh.totals_of
    if not _any_stored(session, period_id):
        # Staging and an UPDATE that matches nothing doubled the writes of a first score
        # (1.5-2.2x the baseline's two inserts, bench/README.md).
        session.execute(insert(LINES).from_select(LINE_COLS, fresh.lines))
        totals = totals_of(LINES)
        session.execute(insert(SCORES).from_select(TOTAL_COLS, totals))
        counted = select(func.count()).select_from(SCORES).where(SCORES.c.period_id == period_id)
        return int(session.scalar(counted) or 0)
    new, n_lines = _stage(session, "score_new", LINES, fresh.lines)
    # Totals first: writing the lines may leave in `new` only the ones it inserted.
    totals, n_totals = _stage(session, "score_totals", SCORES, totals_of(new), TOTAL_COLS)
    line = LINES.c
    same = (new.c.employee_id == line.employee_id) & (new.c.pos == line.pos)
    # Lines past the end of someone's scorecard (it lost a dimension); below `min_dims`
    # every scored person has a new line, so nothing there can be stale.
    session.execute(
        delete(LINES).where(
            line.period_id == period_id,
            line.pos >= fresh.min_dims,
            line.employee_id.in_(select(Employee.id).where(*fresh.people)),
            ~exists().where(same),
        )
    )
    changed = [c for c in LINE_COLS if c not in ("period_id", "employee_id", "pos")]
    _update_then_insert(session, LINES, new, n_lines, same & (line.period_id == period_id), changed)
    s = SCORES.c
    same = (s.employee_id == totals.c.employee_id) & (s.period_id == period_id)
    _update_then_insert(session, SCORES, totals, n_totals, same, _REPLACED, keep=s.frozen)
    session.execute(text("DROP TABLE score_new, score_totals"))
    return n_totals  # the staged people are never frozen ones (see scoring_sql._people)


def _any_stored(session: Session, period_id: int) -> bool:
    """Whether the period has any stored line or total (frozen ones included)."""
    stored = exists().where(LINES.c.period_id == period_id)
    total = exists().where(SCORES.c.period_id == period_id)
    return bool(session.scalar(select(stored | total)))


def _stage(
    session: Session, name: str, like: Table, sel: Any, names: list[str] | None = None
) -> tuple[Any, int]:
    """A temporary table `name` (dropped at commit at the latest) with the rows of `sel`,
    typed like `like`'s columns of those names; and how many rows it has."""
    cols = [(c, like.c[c].type) for c in names or [c.name for c in like.columns]]
    ddl = ", ".join(f"{c} {t.compile(dialect=session.get_bind().dialect)}" for c, t in cols)
    session.execute(text(f"DROP TABLE IF EXISTS {name}"))
    # Temporary: no WAL. Not analysed: the planner sizes a table never analysed from its
    # pages, which is all these joins need (ANALYZE cost 0.1 s and changed no plan).
    session.execute(text(f"CREATE TEMPORARY TABLE {name} ({ddl}) ON COMMIT DROP"))
    staged = table(name, *[column(c, t) for c, t in cols])
    session.execute(insert(staged).from_select([c for c, _ in cols], sel))
    # Counted: psycopg reports -1 as the rowcount of this INSERT ... SELECT.
    return staged, int(session.scalar(select(func.count()).select_from(staged)) or 0)


def _update_then_insert(
    session: Session,
    target: Table,
    new: Any,
    n_new: int,
    same: Any,
    changed: list[str],
    *,
    keep: Any = None,
) -> None:
    """Update `target`'s rows that are the `same` as `new` ones (but not those to `keep`),
    then insert the `new` rows with no such row, unless every one was updated (the rows
    matched are deleted from `new` for that)."""
    kept = [] if keep is None else [~keep]
    updated = _rowcount(
        session.execute(update(target).where(same, *kept).values({c: new.c[c] for c in changed}))
    )
    if updated == n_new:  # the usual re-score: nothing is new
        return
    if updated:
        # Not INSERT ... WHERE NOT EXISTS: planned against an empty-looking target, it
        # scanned the target once per row while filling it (3.3 s for 25,000 rows).
        session.execute(delete(new).where(exists().where(same)))
    session.execute(insert(target).from_select([c.name for c in new.columns], select(new)))


def _rowcount(result: Any) -> int:
    """Rows an UPDATE (or SQLite's upsert) changed: psycopg and sqlite3 both count them."""
    return int(cast_type(CursorResult[Any], result).rowcount)
