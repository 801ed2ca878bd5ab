"""Backups of the whole database with the database's own tools, and restores into an empty
one: SQLite through its online backup API, PostgreSQL through `pg_dump --format=custom` and
`pg_restore`. A backup is one file whose first bytes say which kind it is; the rows it holds
are counted from the file itself, so a restore is checked table by table without a manifest.
"""

from store.backup.errors import (
    BackupError,
    Corrupt,
    Exists,
    NotABackup,
    NotEmpty,
    ToolFailed,
    ToolMissing,
    WrongDatabase,
)
from store.backup.files import Kind, detect
from store.backup.run import Archive, Written, backup, inspect_archive, restore, target_tables

__all__ = [
    "Archive",
    "BackupError",
    "Corrupt",
    "Exists",
    "Kind",
    "NotABackup",
    "NotEmpty",
    "ToolFailed",
    "ToolMissing",
    "Written",
    "WrongDatabase",
    "backup",
    "detect",
    "inspect_archive",
    "restore",
    "target_tables",
]
