"""`perfbot backup OUT` and `perfbot restore IN`: the whole database with its own tools,
restored only into an empty one and checked table by table and along the audit chain."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from bot import backup_job
from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.backup_report import (
    RestoreReport,
    check_chain,
    counts_table,
    explain,
    rows_in,
    schema_behind,
    size,
)
from bot.cli.common import db_option, emit, settings_for
from bot.cli.db_errors import explain as db_explain
from bot.clock import clock_for
from store.backup import BackupError, Written, backup, inspect_archive, restore
from store.backup.run import kind_of
from store.db import make_engine
from store.schema import current_and_head


def _say(line: str) -> None:
    """A progress line: on stderr, so `--json` output stays one document."""
    click.echo(line, err=True)


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


# What a backup or restore may fail with besides a refusal: the database out of reach, a
# file that can't be written or read.
FAILURES = (BackupError, DBAPIError, OSError, sqlite3.Error)


def _refused(exc: Exception, engine: Engine, path: Path) -> click.ClickException:
    if isinstance(exc, BackupError):
        return click.ClickException(explain(exc, path))
    if isinstance(exc, OSError | sqlite3.Error):
        where = getattr(exc, "filename", None) or path
        reason = getattr(exc, "strerror", None) or str(exc)
        return click.ClickException(st.BACKUP_FILE_FAILED.format(path=where, reason=reason))
    # The database: worded as every command words it, with the fix (bot/cli/db_errors.py).
    return click.ClickException(db_explain(exc, engine.url.render_as_string(hide_password=False)))


@cl.command("backup", help=ht.BACKUP)
@click.argument("out", type=click.Path(path_type=Path))
@db_option
@click.option("--keep", type=click.IntRange(min=1), help=ht.BACKUP_KEEP)
@click.option("--json", "as_json", is_flag=True)
def backup_cmd(out: Path, db: str | None, keep: int | None, as_json: bool) -> None:
    if keep is not None and not out.is_dir():
        raise click.UsageError(st.BACKUP_KEEP_NEEDS_DIR)
    settings = settings_for(db)
    engine = make_engine(settings.database_url)
    key, at = settings.audit.key_bytes(), clock_for(settings.now)()
    _say(st.BACKUP_START.format(db=_shown(engine), out=out))

    def pages(done: int, total: int) -> None:
        _say(st.BACKUP_PAGES.format(done=done, total=total))

    removed: list[Path] = []
    try:
        if out.is_dir():
            written = backup_job.into_directory(engine, out, key=key, at=at, progress=pages)
            removed = backup_job.rotate(out, keep) if keep else []
        else:
            written = backup(engine, out, key=key, at=at, progress=pages)
    except FAILURES as exc:
        raise _refused(exc, engine, out) from None
    finally:
        engine.dispose()
    emit(_written_data(written, removed), as_json, lambda: _written_text(written, removed, keep))


def _written_data(w: Written, removed: list[Path]) -> dict[str, Any]:
    head = vars(w.head) if w.head else None
    return {"ok": True, "kind": w.kind.value, "path": str(w.path), "bytes": w.size,
            "rows": w.counts.total, "tables": w.counts.rows, "audit_head": head,
            "anchor": str(w.anchor) if w.anchor else None,
            "deleted": [str(p) for p in removed]}  # fmt: skip


def _written_text(w: Written, removed: list[Path], keep: int | None) -> str:
    kind = st.BACKUP_KINDS[w.kind.value]
    lines = [
        st.BACKUP_WROTE.format(path=w.path, kind=kind, size=size(w.size), rows=rows_in(w.counts))
    ]
    if w.head is not None:
        lines.append(
            st.BACKUP_HEAD.format(last_id=w.head.last_id, count=w.head.count, anchor=w.anchor)
        )
    else:
        lines.append(st.BACKUP_NO_EVENTS)
    if removed:
        names = ", ".join(p.name for p in removed)
        lines.append(st.BACKUP_DELETED.format(n=len(removed), keep=keep, names=names))
    return "\n".join([counts_table(w.counts), *lines])


@cl.command("restore", help=ht.RESTORE)
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--replace",
    is_flag=True,
    help=ht.RESTORE_REPLACE,
)
@click.option("--json", "as_json", is_flag=True)
def restore_cmd(source: Path, db: str | None, replace: bool, as_json: bool) -> None:
    settings = settings_for(db)
    engine = make_engine(settings.database_url)
    try:
        archive = inspect_archive(source, expect=kind_of(engine))
        kind = st.BACKUP_KINDS[archive.kind.value]
        _say(st.RESTORE_READING.format(path=source, kind=kind, size=size(archive.size)))
        _say(st.RESTORE_READ.format(rows=rows_in(archive.counts)))
        replacing = st.RESTORE_REPLACING if replace else ""
        _say(st.RESTORE_INTO.format(db=_shown(engine), replacing=replacing))
        restored = restore(engine, archive, replace=replace)
        current, heads = current_and_head(engine)
        if current == heads:
            audit = settings.audit
            at = clock_for(settings.now)()
            chain = check_chain(engine, archive, audit.key_bytes(), audit.anchor_file, at)
        else:  # an older schema: its chain is checked once `db upgrade` has brought it up
            chain = schema_behind(current, heads)
    except FAILURES as exc:
        raise _refused(exc, engine, source) from None
    finally:
        engine.dispose()
    report = RestoreReport(archive, restored, chain)
    emit(report.data(), as_json, report.text)
    if not report.ok:
        sys.exit(1)


COMMANDS = [backup_cmd, restore_cmd]
