"""Who runs the scheduler: one process per database.

PostgreSQL: a session advisory lock held on a dedicated connection (autocommit, outside
the pool, never behind a transaction-pooling proxy); it is released the moment that
process dies, so a follower polling for it takes over within one poll. SQLite: an
exclusive lock on a file next to the database (one machine, one scheduler).
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any, Protocol

from sqlalchemy import Engine

log = logging.getLogger(__name__)
LOCK_KEY = 7_263_827_001  # "perfbot scheduler"; the audit chain uses another key


class Leadership(Protocol):
    def try_acquire(self) -> bool: ...
    def still_held(self) -> bool: ...
    def release(self) -> None: ...


class PgLeadership:
    """pg_try_advisory_lock on a connection of its own, checked on every poll."""

    def __init__(self, engine: Engine) -> None:
        url = engine.url.set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._conn: Any = None
        self._held = False

    def try_acquire(self) -> bool:
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(
                    self._dsn,
                    autocommit=True,
                    connect_timeout=5,
                    # Notice a dead network within seconds, not after the kernel's hours.
                    keepalives=1,
                    keepalives_idle=5,
                    keepalives_interval=2,
                    keepalives_count=3,
                    application_name="perfbot-scheduler",
                )
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
            self._held = bool(row and row[0])
        except Exception as exc:
            log.warning("leader election: %s", exc)
            self._close()
        return self._held

    def still_held(self) -> bool:
        if not self._held or self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception as exc:  # the connection, and with it the lock, is gone
            log.error("lost the scheduler lock: %s", exc)
            self._close()
            return False

    def release(self) -> None:
        if self._conn is not None and self._held and not self._conn.closed:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
            except Exception as exc:
                log.warning("releasing the scheduler lock: %s", exc)
        self._close()

    def _close(self) -> None:
        self._held = False
        if self._conn is not None:
            with contextlib.suppress(Exception):  # already broken
                self._conn.close()
        self._conn = None


class FileLeadership:
    """flock on `<database>.scheduler.lock`; released by the OS when the process dies."""

    def __init__(self, path: str) -> None:
        self._path = path + ".scheduler.lock"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        import fcntl

        if self._fd is not None:
            return True
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


class SoleLeadership:
    """An in-memory database has one process by definition."""

    def try_acquire(self) -> bool:
        return True

    def still_held(self) -> bool:
        return True

    def release(self) -> None:
        return None


def leadership_for(engine: Engine) -> Leadership:
    """The election that fits the database behind `engine`."""
    if engine.dialect.name == "postgresql":
        return PgLeadership(engine)
    db = engine.url.database
    if not db or db == ":memory:":
        return SoleLeadership()
    return FileLeadership(os.path.abspath(db))
