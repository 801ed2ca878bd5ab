"""Backups into a directory: a name per backup from the clock, and keeping the newest N.
`perfbot backup DIR --keep N` and the scheduler's daily job (PERFBOT_BACKUP_DIR) share it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.runtime import Runtime
from store.backup import Written, backup
from store.backup.files import Kind
from store.backup.run import anchor_path, kind_of
from store.backup.sqlite import Progress as Pages

Progress = Pages | None

# Only files named like this are ever deleted by rotation; anything else in the directory
# is left alone. The UTC stamp sorts by name in time order.
NAME = re.compile(r"perfbot-\d{8}T\d{6}Z\.(sqlite|pgdump)")


def stamped_name(at: datetime, kind: Kind) -> str:
    """`perfbot-20261120T020000Z.sqlite` (or `.pgdump`)."""
    return f"perfbot-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}{kind.suffix}"


def into_directory(
    engine: Engine, directory: Path, *, key: bytes | None, at: datetime, progress: Progress = None
) -> Written:
    """One backup into `directory`, named by `at`."""
    out = directory / stamped_name(at, kind_of(engine))
    return backup(engine, out, key=key, at=at, progress=progress)


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in `directory` (and the anchors beside
    them); returns what was deleted, oldest first."""
    ours = sorted(p for p in directory.iterdir() if p.is_file() and NAME.fullmatch(p.name))
    old = ours[: max(len(ours) - keep, 0)]
    for path in old:
        path.unlink()
        anchor_path(path).unlink(missing_ok=True)
    return old


def run_backup(rt: Runtime) -> tuple[Written, list[Path]] | None:
    """The scheduler's backup: one into PERFBOT_BACKUP_DIR, then keep the newest
    PERFBOT_BACKUP_KEEP; None when no directory is configured."""
    settings = rt.settings.backup
    if settings.dir is None:
        return None
    key = rt.settings.audit.key_bytes()
    written = into_directory(rt.engine, settings.dir, key=key, at=rt.clock())
    return written, rotate(settings.dir, settings.keep)
