"""One sync per source at a time, across processes; released even when a run is killed."""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text

from said import Said
from store import strings as ss
from store.locks import SYNC_SOURCE as SYNC_NAMESPACE


class SyncBusy(RuntimeError):
    """Another process is syncing this source right now."""


@contextlib.contextmanager
def run_lock(engine: Engine, source: str) -> Iterator[None]:
    """Hold the source's lock for a whole run, or raise SyncBusy at once.

    PostgreSQL: a session advisory lock on a connection of its own (the server drops it
    when the process dies). SQLite: an flock on a file beside the database, `<db>-sync-<source>`
    (the kernel drops it when the process dies); an in-memory database needs none.
    """
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(source.encode()) & 0x7FFFFFFF
        with engine.connect() as conn:
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(CAST(:ns AS integer), CAST(:k AS integer))"),
                {"ns": SYNC_NAMESPACE, "k": key},
            ).scalar()
            conn.commit()
            if not got:
                raise SyncBusy(Said(ss.SYNC_BUSY, source=source))
            try:
                yield
            finally:
                conn.execute(
                    text("SELECT pg_advisory_unlock(CAST(:ns AS integer), CAST(:k AS integer))"),
                    {"ns": SYNC_NAMESPACE, "k": key},
                )
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    slug = re.sub(r"[^A-Za-z0-9_.-]", "_", source)[:80]
    with _flock(Path(f"{database}-sync-{slug}"), source):  # *.db-sync-* in .gitignore
        yield


@contextlib.contextmanager
def _flock(path: Path, source: str) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: rely on SQLite's own write lock
        yield
        return
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncBusy(Said(ss.SYNC_BUSY, source=source)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
