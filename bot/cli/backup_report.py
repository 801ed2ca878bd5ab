"""What `perfbot backup` and `perfbot restore` print: refusals in one line, the tables of
counts, and the audit chain checked after a restore."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.cli import texts as st
from bot.cli.table import table
from handlers.i18n import say
from said import said_of
from store import audit, audit_anchor
from store.backup import errors as refused
from store.backup.files import Counts
from store.backup.run import Archive


def explain(exc: refused.BackupError, path: Path) -> str:
    """One line: why it was refused, and what to do."""
    match exc:
        case refused.ToolMissing(tool=tool, searched=searched):
            return st.BACKUP_TOOL_MISSING.format(tool=tool, searched=st.AND.join(searched))
        case refused.ToolFailed(tool=tool, detail=detail):
            return st.BACKUP_TOOL_FAILED.format(tool=tool, detail=detail)
        case refused.NotABackup(path=p, found=found):
            return st.BACKUP_NOT_A_BACKUP[found].format(path=p)
        case refused.Corrupt(path=p, detail=detail, cut_short=cut):
            why = st.BACKUP_CUT_SHORT.format(table=cut) if cut else detail
            return st.BACKUP_CORRUPT.format(path=p, detail=why)
        case refused.WrongDatabase(backup_kind=b, database_kind=d):
            names = st.DATABASE_NAMES
            return st.BACKUP_WRONG_DATABASE.format(
                path=path, backup=names.get(b, b), database=names.get(d, d)
            )
        case refused.Exists(path=p):
            return st.BACKUP_EXISTS.format(path=p)
        case refused.NotEmpty(tables=tables, rows=rows):
            return st.RESTORE_NOT_EMPTY.format(tables=tables, rows=rows)
    return say(exc)


def size(n: int) -> str:
    return st.MEGABYTES.format(mb=n / 1e6)


def rows_in(counts: Counts) -> str:
    return st.ROWS_IN_TABLES.format(rows=counts.total, tables=len(counts.rows))


def counts_table(counts: Counts) -> str:
    body = [(name, f"{n:,}") for name, n in counts.rows.items()]
    return table(
        (st.BACKUP_TABLE, st.BACKUP_ROWS), [*body, (st.COUNT_TOTAL, f"{counts.total:,}")], {1}
    )


def _n(rows: int | None) -> str | None:
    return None if rows is None else f"{rows:,}"


def _differing(backup: Counts, restored: Counts) -> list[str]:
    """Tables whose rows differ (or that are missing on either side)."""
    names = sorted(set(backup.rows) | set(restored.rows))
    return [n for n in names if backup.rows.get(n) != restored.rows.get(n)]


def _comparison_table(backup: Counts, restored: Counts) -> str:
    names = sorted(set(backup.rows) | set(restored.rows))
    body = [
        (n, _n(backup.rows.get(n)), _n(restored.rows.get(n)),
         st.COUNT_OK if backup.rows.get(n) == restored.rows.get(n) else st.COUNT_DIFFERS)
        for n in names
    ]  # fmt: skip
    total = (st.COUNT_TOTAL, _n(backup.total), _n(restored.total), "")
    return table(st.RESTORE_COUNT_HEADERS, [*body, total], {1, 2})


@dataclass
class ChainCheck:
    """The restored audit chain, checked against its key and both anchors."""

    ok: bool = True
    lines: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def schema_behind(current: set[str], heads: set[str]) -> ChainCheck:
    """A restored schema older (or newer) than this code: say so; its chain is checked later."""
    behind = st.RESTORE_SCHEMA_BEHIND.format(
        current=", ".join(sorted(current)) or st.SCHEMA_EMPTY, head=", ".join(sorted(heads))
    )
    return ChainCheck(lines=[behind, st.RESTORE_CHAIN_LATER], data={"schema_current": False})


@dataclass
class RestoreReport:
    """What a restore prints: every table's rows in the backup and restored, then the chain."""

    archive: Archive
    restored: Counts
    chain: ChainCheck

    @property
    def differ(self) -> list[str]:
        return _differing(self.archive.counts, self.restored)

    @property
    def ok(self) -> bool:
        return not self.differ and self.chain.ok

    def text(self) -> str:
        bad = self.differ
        verdict = (
            st.RESTORE_MISMATCH.format(n=len(bad), tables=", ".join(bad))
            if bad
            else st.RESTORE_MATCH.format(rows=rows_in(self.restored))
        )
        counts = _comparison_table(self.archive.counts, self.restored)
        return "\n".join([counts, verdict, *self.chain.lines])

    def data(self) -> dict[str, Any]:
        backup, restored = self.archive.counts.rows, self.restored.rows
        tables = {n: {"backup": backup.get(n), "restored": restored.get(n)}
                  for n in sorted(set(backup) | set(restored))}  # fmt: skip
        return {"ok": self.ok, "kind": self.archive.kind.value, "path": str(self.archive.path),
                "tables": tables, "differ": self.differ, "audit": self.chain.data,
                "schema_current": self.chain.data.get("schema_current", True)}  # fmt: skip


def check_chain(
    engine: Engine, archive: Archive, key: bytes | None, anchors: Path | None, at: datetime
) -> ChainCheck:
    """Verify the restored chain; check its head against the backup's own anchor and the
    configured anchor file. When that file's newest anchor is past the backup's head (the
    events since the backup are lost), anchor the restored head there, saying how many."""
    out = ChainCheck()
    with Session(engine) as session:
        report = audit.verify(session, key)
        out.data["checked"] = report.checked
        if report.first_bad_id is not None:
            out.ok = False
            out.data["problem"] = report.problem
            why = say(report.problem)
            out.lines.append(st.RESTORE_CHAIN_BROKEN.format(event=report.first_bad_id, problem=why))
            return out
        out.lines.append(st.RESTORE_CHAIN_OK.format(count=report.checked))
        if archive.anchor is not None:
            _own(out, session, archive.anchor, key)
        if anchors is not None and report.head is not None:
            _live(out, session, anchors, key, report.head, at)
    return out


def _latest(path: Path, key: bytes | None) -> tuple[audit_anchor.Anchor | None, str]:
    try:
        return audit_anchor.latest(path, key), ""
    except audit_anchor.AnchorError as exc:
        return None, said_of(exc) or str(exc)


def _own(out: ChainCheck, session: Session, path: Path, key: bytes | None) -> None:
    anchor, problem = _latest(path, key)
    problem = problem or (audit_anchor.check(session, anchor) if anchor else "")
    out.data["backup_anchor"] = {"file": str(path), "problem": problem or None}
    if problem:
        out.ok = False
        out.lines.append(st.RESTORE_OWN_ANCHOR_BAD.format(anchor=path, problem=say(problem)))
    else:
        out.lines.append(st.RESTORE_OWN_ANCHOR.format(anchor=path))


def _live(out: ChainCheck, session: Session, path: Path, key: bytes | None,
          head: audit.Head, at: datetime) -> None:  # fmt: skip
    anchor, problem = _latest(path, key)
    if anchor is None and not problem:
        return
    if anchor is not None and not problem:
        problem = audit_anchor.check(session, anchor)
    entry: dict[str, Any] = {"file": str(path), "problem": problem or None, "reanchored": False}
    out.data["anchor_file"] = entry
    if not problem:
        out.lines.append(st.RESTORE_LIVE_ANCHOR_OK.format(anchor=path))
    elif anchor is not None and anchor.last_id > head.last_id:
        # The anchor remembers events the backup predates: say how many are lost, then
        # anchor the restored head so verification goes on from the restored state.
        audit_anchor.write(path, head, at, key)
        lost = anchor.count - head.count
        entry |= {"problem": None, "reanchored": True, "lost": lost}
        out.lines.append(
            st.RESTORE_REANCHORED.format(
                anchor=path, last_id=anchor.last_id, count=anchor.count, at=anchor.at, lost=lost
            )
        )
    else:
        out.ok = False
        out.lines.append(st.RESTORE_LIVE_ANCHOR_BAD.format(anchor=path, problem=say(problem)))
