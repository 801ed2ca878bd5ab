"""Which kind of backup a file is (by its first bytes), and the counts of rows it holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from store.backup.errors import NotABackup

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"  # every perfbot database has it: how a foreign file is told


class Kind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"

    @property
    def suffix(self) -> str:
        """The file suffix the scheduler's backups of this kind get."""
        return ".sqlite" if self is Kind.SQLITE else ".pgdump"


@dataclass(frozen=True)
class Counts:
    """Rows per table, in table-name order."""

    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def detect(path: Path) -> Kind:
    """The kind of backup `path` is, from its header; NotABackup otherwise."""
    if not path.is_file():
        raise NotABackup(path, "missing")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return Kind.SQLITE
    if head.startswith(PG_CUSTOM_MAGIC):
        return Kind.POSTGRESQL
    raise NotABackup(path, "empty" if not head else "unknown")
