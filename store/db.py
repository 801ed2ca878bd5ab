"""Engines and sessions: SQLite (WAL, foreign keys) by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///perfbot.db"
READ_ONLY = "perfbot_read_only"  # execution option of a unit of work that never writes


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str = DEFAULT_URL, **kwargs: Any) -> Engine:
    """Build an engine; on SQLite turn on WAL, foreign keys and write-serialising BEGIN."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if make_url(url).database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of
        # failing with "database is locked" when a reader upgrades to a writer. A unit of
        # work that only reads begins nothing (see read_only_options): readers taking the
        # write lock would queue one behind the other.
        if not conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def read_only_options(bind: Engine | Connection) -> dict[str, Any]:
    """Execution options for work that only reads: no transaction, each statement sees
    what was committed when it started. PostgreSQL reads that way inside a transaction
    too (READ COMMITTED, the default), so there only the BEGIN and ROLLBACK round trips
    go; on SQLite the reader no longer takes the write lock (in WAL mode readers never
    wait for a writer) and its statements may see different commits, as on PostgreSQL."""
    if bind.dialect.name == "postgresql":
        return {READ_ONLY: True, "isolation_level": "AUTOCOMMIT"}
    return {READ_ONLY: True}


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
