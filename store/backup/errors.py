"""Why a backup or a restore was refused: typed, with the facts; the command line words them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BackupError(Exception):
    """Base of every refusal; nothing was written to the target when one is raised."""


@dataclass
class ToolMissing(BackupError):
    """A PostgreSQL client tool (pg_dump, pg_restore) is on neither PATH nor the places searched."""

    tool: str
    searched: list[str]


@dataclass
class ToolFailed(BackupError):
    """pg_dump or pg_restore exited non-zero; `detail` is the end of what it printed."""

    tool: str
    detail: str


@dataclass
class NotABackup(BackupError):
    """The file is neither a SQLite database nor a pg_dump custom archive of perfbot's."""

    path: Path
    found: str  # "missing", "empty", "unknown" (neither header) or "foreign" (not perfbot's)


@dataclass
class Corrupt(BackupError):
    """The file is of a known kind but damaged or cut short."""

    path: Path
    detail: str  # what SQLite or pg_restore said
    cut_short: str | None = None  # the table whose data ends early, when nothing was said


@dataclass
class WrongDatabase(BackupError):
    """A backup of one kind (SQLite) restored into the other (PostgreSQL), or vice versa."""

    backup_kind: str
    database_kind: str  # a dialect name, or "memory" (SQLite in memory: no file to restore to)


@dataclass
class Exists(BackupError):
    """The backup's file is already there; a backup never overwrites one."""

    path: Path


@dataclass
class NotEmpty(BackupError):
    """The target database already holds tables."""

    tables: int
    rows: int
