"""SQLite: the online backup API both ways, and the rows a backup file holds."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine

from store.backup.errors import Corrupt, NotABackup
from store.backup.files import VERSION_TABLE, Counts

PAGES_PER_STEP = 1024  # between two progress reports; a write elsewhere restarts the copy
Progress = Callable[[int, int], None]  # (pages copied, pages in all)


def ro_uri(path: Path) -> str:
    """A read-only URI for a database file, so checking a backup never changes it."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def backup(engine: Engine, out: Path, progress: Progress | None = None) -> None:
    """Copy the live database behind `engine` to `out`, page by page, as one consistent
    snapshot; the copy uses a rollback journal so it is one self-contained file."""

    def step(_status: int, left: int, total: int) -> None:
        if progress is not None:
            progress(total - left, total)

    raw = engine.raw_connection()
    try:
        src: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        dst = sqlite3.connect(out)
        try:
            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        raw.close()


def counts(path: Path, *, thorough: bool) -> Counts:
    """Rows per table in a backup file; Corrupt when it is damaged or cut short (checked
    page by page first when `thorough`), NotABackup when it is not perfbot's."""
    try:
        conn = sqlite3.connect(ro_uri(path), uri=True)
        try:
            if thorough:
                found = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)")]
                if found != ["ok"]:
                    raise Corrupt(path, "; ".join(found))
            names = [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            if VERSION_TABLE not in names:
                raise NotABackup(path, "foreign")
            return Counts(
                {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise Corrupt(path, str(exc)) from None


def restore(path: Path, target: Path) -> None:
    """Copy the backup file into the database file `target` in one step: the target gets
    all of it or, if anything fails, stays as it was."""
    src = sqlite3.connect(ro_uri(path), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise Corrupt(path, str(exc)) from None
    finally:
        src.close()
