"""The pieces of store/backup that need no database: telling a backup by its first bytes,
finding PostgreSQL's tools, and reading table names out of pg_restore's output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.backup import Kind, NotABackup, ToolMissing, detect, postgres


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"SQLite format 3\x00" + b"\0" * 84, Kind.SQLITE), (b"PGDMP\x01\x0e\x00", Kind.POSTGRESQL)],
)
def test_the_kind_is_told_by_the_first_bytes(tmp_path: Path, head: bytes, kind: Kind) -> None:
    path = tmp_path / "any.name"
    path.write_bytes(head)
    assert detect(path) is kind


@pytest.mark.parametrize(("content", "found"), [(None, "missing"), (b"", "empty"),
                                                (b"-- SQL dump\n", "unknown")])  # fmt: skip
def test_anything_else_is_not_a_backup(tmp_path: Path, content: bytes | None, found: str) -> None:
    path = tmp_path / "x"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NotABackup) as caught:
        detect(path)
    assert caught.value.found == found


def _tool(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)


def test_tools_off_path_are_found_newest_version_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("9.6", "15", "13"):
        _tool(tmp_path / "pg" / version / "bin" / "pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(postgres, "PG_BIN_GLOB", str(tmp_path / "pg" / "*" / "bin"))
    assert postgres.tool("pg_dump") == str(tmp_path / "pg" / "15" / "bin" / "pg_dump")
    with pytest.raises(ToolMissing) as caught:
        postgres.tool("pg_restore")
    assert caught.value.searched == ["PATH", postgres.PG_BIN_GLOB]


def test_path_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tool(tmp_path / "bin" / "pg_dump")
    _tool(tmp_path / "pg" / "99" / "bin" / "pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + "/nonexistent")
    monkeypatch.setattr(postgres, "PG_BIN_GLOB", str(tmp_path / "pg" / "*" / "bin"))
    assert postgres.tool("pg_dump") == str(tmp_path / "bin" / "pg_dump")


@pytest.mark.parametrize(
    ("line", "table"),
    [
        ("COPY public.employee (id, email, name) FROM stdin;", "employee"),
        ('COPY public."user" (id) FROM stdin;', "user"),
        ('COPY "My Schema"."odd name" ("a b") FROM stdin;', "odd name"),
        ("COPY alembic_version (version_num) FROM stdin;", "alembic_version"),
    ],
)
def test_table_names_are_read_from_copy_lines(line: str, table: str) -> None:
    match = postgres.COPY_LINE.match(line)
    assert match is not None and match["table"] == table
