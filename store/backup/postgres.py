"""PostgreSQL: pg_dump's custom format out, pg_restore in, and the rows an archive holds."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.engine import URL

from store.backup.errors import Corrupt, NotABackup, ToolFailed, ToolMissing
from store.backup.files import VERSION_TABLE, Counts

# Debian and Ubuntu install the client tools per major version here, not always on PATH.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# The header of one table's data in pg_restore's SQL output; its rows follow up to `\.`.
COPY_LINE = re.compile(r'^COPY (?:"?[^".]+"?\.)?"?(?P<table>[^"]+?)"? \(.*\) FROM stdin;$')
END_OF_DATA = "\\."


def tool(name: str) -> str:
    """The path of a PostgreSQL client tool: PATH first, then the newest versioned one."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", Path(path).parent.name))

    for d in sorted(glob.glob(PG_BIN_GLOB), key=version, reverse=True):
        candidate = Path(d) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise ToolMissing(name, ["PATH", PG_BIN_GLOB])


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The database as a libpq URI for the tools; the password goes in the environment,
    never on a command line that `ps` shows."""
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return dsn, env


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ToolFailed(Path(argv[0]).name, _tail(done.stderr) or f"exit {done.returncode}")


def dump(conn: Connection, url: URL, out: Path) -> None:
    """pg_dump, custom format, of the snapshot of `conn`'s open REPEATABLE READ transaction,
    so what the caller counts in that transaction is exactly what the archive holds."""
    snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    dsn, env = _libpq(url)
    _run([tool("pg_dump"), "--format=custom", "--no-password", f"--snapshot={snapshot}",
          f"--file={out}", f"--dbname={dsn}"], env)  # fmt: skip


def counts(path: Path) -> Counts:
    """Rows per table in an archive, read through all of it (so one cut short or damaged
    is Corrupt before anything is restored); NotABackup when it is not perfbot's."""
    rows: dict[str, int] = {}
    current: str | None = None
    with tempfile.TemporaryFile() as errors:
        argv = [tool("pg_restore"), "--data-only", "--file=-", str(path)]
        with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, text=True,
                              encoding="utf-8", errors="replace") as proc:  # fmt: skip
            assert proc.stdout is not None
            for line in proc.stdout:
                line = line.rstrip("\n")
                if current is not None:
                    if line == END_OF_DATA:
                        current = None
                    else:
                        rows[current] += 1
                elif match := COPY_LINE.match(line):
                    current = match["table"]
                    rows[current] = 0
        errors.seek(0)
        problem = _tail(errors.read().decode("utf-8", "replace"))
    if proc.returncode != 0 or current is not None:
        raise Corrupt(path, problem, cut_short=current)
    if VERSION_TABLE not in rows:
        raise NotABackup(path, "foreign")
    return Counts(dict(sorted(rows.items())))


def restore(path: Path, url: URL, *, replace: bool) -> None:
    """pg_restore in one transaction that stops at the first error: all of it or nothing.
    `replace` drops what the archive holds first; owners and grants are left to the target."""
    dsn, env = _libpq(url)
    clean = ["--clean", "--if-exists"] if replace else []
    argv = [tool("pg_restore"), "--exit-on-error", "--single-transaction", "--no-owner",
            "--no-privileges", "--no-password", *clean, f"--dbname={dsn}", str(path)]  # fmt: skip
    _run(argv, env)
