"""Every `perfbot` command meets a database it can't use (PostgreSQL down, database absent,
SQLite folder unwritable, schema behind) with one line naming the fix and exit 1, never a
traceback; serving processes and the scheduler stop at start-up the same way."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import main
from store.db import make_engine
from store.schema import upgrade
from tests.conftest import PG_ADMIN, _pg_available
from tests.fakes.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
FIRST_REVISION = "0001"  # store/migrations/versions/2026_11_27_0001_initial_schema.py


PG_DOWN = f"postgresql://perfbot:s3cret-pw@127.0.0.1:{free_port()}/perfbot"


def _leaves(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            yield from _leaves(cmd, (*path, name))
        else:
            yield (*path, name)


def _command(path: tuple[str, ...]) -> click.Command:
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    return cmd


def _args(path: tuple[str, ...], file: Path) -> list[str]:
    """The command with its required arguments and options filled in with plausible values."""
    args = list(path)
    for p in _command(path).params:
        if not p.required:
            continue
        value = (
            str(file if p.type.name == "file" else file.parent)
            if isinstance(p.type, click.Path)
            else str(p.type.choices[0])
            if isinstance(p.type, click.Choice)
            else {"email": "ana@acme.example", "emails": "ana@acme.example", "key": "2026-11"}.get(
                p.name or "", "1"
            )
        )
        args += [value] if isinstance(p, click.Argument) else [p.opts[0], value]
    return args


def _one_line(result: object) -> str:
    output = getattr(result, "output", "")
    lines = [ln for ln in output.splitlines() if ln.strip()]
    assert "Traceback" not in output, output
    assert len(lines) == 1, output
    return lines[0]


# Commands that read a file of their own before the database (and refuse a bad one first).
FILE_FIRST = {("import",), ("restore",)}
# Commands that say what they start before they meet the database: the reason is their last line.
PROGRESS_FIRST = {("backup",)}
# Commands whose output is a report of many checks: the database's is one of its lines.
REPORTS = {("doctor",)}
COMMANDS = [
    p
    for p in _leaves(main)
    if any(o.name == "db" for o in _command(p).params) and p not in FILE_FIRST
]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_with_postgresql_down(path: tuple[str, ...], tmp_path: Path) -> None:
    file = tmp_path / "any.yaml"
    file.write_text("x: 1\n")
    env = {"PERFBOT_INGEST_SECRET_CRM": "k"}  # `serve ingest` wants a source before the db
    result = CliRunner().invoke(main, [*_args(path, file), "--db", PG_DOWN], env=env)
    assert "Traceback" not in result.output, result.output
    if path in REPORTS:
        assert result.exit_code == 1
        (line,) = [ln for ln in result.output.splitlines() if ln.startswith("FAIL")]
        assert "database" in line and "127.0.0.1:" in line and "s3cret-pw" not in line, line
        return
    if path in PROGRESS_FIRST:
        assert len(result.output.splitlines()) == 2
    line = result.output.splitlines()[-1] if path in PROGRESS_FIRST else _one_line(result)
    assert result.exit_code == 1
    assert "cannot reach PostgreSQL at 127.0.0.1:" in line and "Fix:" in line, line
    assert "s3cret-pw" not in line


def test_the_walk_found_the_commands() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"db upgrade", "db status", "score", "scheduler", "serve slack", "org load"} <= names
    assert len(names) >= 30


@pytest.fixture
def absent_db() -> str:
    problem = _pg_available()
    if problem:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN}: {problem}")
    return PG_ADMIN.rsplit("/", 1)[0] + f"/perfbot_absent_{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "status"], ["score"], ["scheduler"]])
def test_database_absent(command: list[str], absent_db: str) -> None:
    result = CliRunner().invoke(main, [*command, "--db", absent_db])
    line = _one_line(result)
    name = absent_db.rsplit("/", 1)[1]
    assert result.exit_code == 1
    assert f"database {name!r} does not exist" in line and "createdb -h 127.0.0.1" in line


@pytest.mark.parametrize("command", [["score"], ["org", "list"], ["scheduler"], ["report"]])
def test_schema_behind(command: list[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(make_engine(url), FIRST_REVISION)
    result = CliRunner().invoke(main, [*command, "--db", url])
    line = _one_line(result)
    assert result.exit_code == 1
    assert "schema is at 0001" in line and line.endswith("Run: perfbot db upgrade"), line


def test_sqlite_where_no_folder_can_be(tmp_path: Path) -> None:
    # A file where the folder should be: unwritable for every user, root included.
    (tmp_path / "taken").write_text("")
    url = f"sqlite:///{tmp_path}/taken/perfbot.db"
    for command in (["db", "upgrade"], ["score"], ["org", "list"]):
        result = CliRunner().invoke(main, [*command, "--db", url])
        line = _one_line(result)
        assert result.exit_code == 1
        assert f"cannot open the SQLite database {tmp_path}/taken/perfbot.db" in line, line
        assert "make it writable" in line
    assert (tmp_path / "taken").read_text() == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_sqlite_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = CliRunner().invoke(main, ["db", "upgrade", "--db", f"sqlite:///{folder}/p.db"])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "cannot open the SQLite database" in _one_line(result)


def test_a_url_that_is_not_one() -> None:
    result = CliRunner().invoke(main, ["db", "status", "--db", "not a url"])
    assert result.exit_code == 1 and "is not a database URL" in _one_line(result)


@pytest.mark.parametrize("command", [["scheduler"], ["serve", "slack", "--port", "0"]])
def test_processes_stop_at_start_up(command: list[str]) -> None:
    """The real processes, as an operator starts them: one line on stderr, exit 1."""
    env = {**os.environ, "DATABASE_URL": PG_DOWN}
    done = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1 and "cannot reach PostgreSQL" in lines[0], done.stderr
    assert done.stdout == ""
