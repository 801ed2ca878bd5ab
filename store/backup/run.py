"""Backup and restore whatever the database is: the one entry point the command line and
the scheduler use."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, table
from sqlalchemy.orm import Session

from store import audit, audit_anchor
from store.backup import postgres, sqlite
from store.backup.errors import Exists, NotEmpty, WrongDatabase
from store.backup.files import Counts, Kind, detect

ANCHOR_SUFFIX = ".anchor"  # beside a backup: its audit head, in the anchor file's format


@dataclass(frozen=True)
class Written:
    """A backup made: where, what kind, the rows in it, and its audit head's anchor file."""

    kind: Kind
    path: Path
    size: int
    counts: Counts
    head: audit.Head | None
    anchor: Path | None


@dataclass(frozen=True)
class Archive:
    """A backup file read through: its kind and the rows it holds."""

    kind: Kind
    path: Path
    size: int
    counts: Counts

    @property
    def anchor(self) -> Path | None:
        """The anchor written beside it, when there is one."""
        beside = anchor_path(self.path)
        return beside if beside.exists() else None


def anchor_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ANCHOR_SUFFIX)


def kind_of(engine: Engine) -> Kind:
    """The kind of backup this database makes (and takes)."""
    name = engine.dialect.name
    if name not in {k.value for k in Kind}:
        raise WrongDatabase("", name)
    return Kind(name)


def table_counts(conn: Connection) -> Counts:
    """Rows per table of the database, in name order."""
    names = sorted(inspect(conn).get_table_names())
    return Counts(
        {
            n: int(conn.execute(select(func.count()).select_from(table(n))).scalar_one())
            for n in names
        }
    )


def target_tables(engine: Engine) -> Counts:
    """Rows per table of a database, with a connection of its own."""
    with engine.connect() as conn:
        return table_counts(conn)


def _head(session: Session, key: bytes | None) -> audit.Head | None:
    report = audit.verify(session, key)
    return report.head if report.head and report.head.count else None


def _sqlite_copy(engine: Engine, partial: Path, key: bytes | None,
                 progress: sqlite.Progress | None) -> tuple[Counts, audit.Head | None]:  # fmt: skip
    sqlite.backup(engine, partial, progress)
    reader = create_engine("sqlite://", creator=lambda: _ro(partial))
    try:
        with Session(reader) as session:
            return sqlite.counts(partial, thorough=False), _head(session, key)
    finally:
        reader.dispose()


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(sqlite.ro_uri(path), uri=True)


def _pg_dump(engine: Engine, partial: Path, key: bytes | None) -> tuple[Counts, audit.Head | None]:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            postgres.dump(conn, engine.url, partial)
            with Session(bind=conn) as session:
                return table_counts(conn), _head(session, key)


def backup(engine: Engine, out: Path, *, key: bytes | None, at: datetime,
           progress: sqlite.Progress | None = None) -> Written:  # fmt: skip
    """Back the database up to `out` (written whole or not at all) and its audit head to
    `out.anchor`; refuses to overwrite a file."""
    kind = kind_of(engine)
    if out.exists():
        raise Exists(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        if kind is Kind.SQLITE:
            counts, head = _sqlite_copy(engine, partial, key, progress)
        else:
            counts, head = _pg_dump(engine, partial, key)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    anchor = None
    if head is not None:
        anchor = anchor_path(out)
        anchor.unlink(missing_ok=True)
        audit_anchor.write(anchor, head, at, key)
    return Written(kind, out, out.stat().st_size, counts, head, anchor)


def inspect_archive(path: Path, expect: Kind | None = None) -> Archive:
    """Read a backup through: its kind, and its rows per table (Corrupt or NotABackup);
    WrongDatabase first, without reading on, when it is not of the kind `expect`ed."""
    kind = detect(path)
    if expect is not None and kind is not expect:
        raise WrongDatabase(kind.value, expect.value)
    counts = sqlite.counts(path, thorough=True) if kind is Kind.SQLITE else postgres.counts(path)
    return Archive(kind, path, path.stat().st_size, counts)


def restore(engine: Engine, archive: Archive, *, replace: bool = False) -> Counts:
    """Load the archive into the database behind `engine`, which must be empty unless
    `replace`; returns the rows per table afterwards."""
    kind = kind_of(engine)
    if archive.kind is not kind:
        raise WrongDatabase(archive.kind.value, kind.value)
    before = target_tables(engine)
    if before.rows and not replace:
        raise NotEmpty(len(before.rows), before.total)
    if kind is Kind.SQLITE:
        target = engine.url.database
        if not target or target == ":memory:":
            raise WrongDatabase(archive.kind.value, "memory")
        engine.dispose()
        sqlite.restore(archive.path, Path(target))
    else:
        engine.dispose()
        postgres.restore(archive.path, engine.url, replace=replace)
    return target_tables(engine)
