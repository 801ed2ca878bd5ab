"""`perfbot backup` and `perfbot restore`, end to end on a copy of the demo company, on
SQLite and on PostgreSQL: every count matches and the audit chain verifies after a restore;
a database that is not empty, a damaged file and the other database's kind are refused with
nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from store.backup import postgres
from store.backup.run import target_tables
from store.db import make_engine
from store.schema import upgrade
from tests.conftest import pg_database

KEY = "backup-test-audit-key"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def run_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def empty_target(demo_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of the demo's kind with nothing in it (not even a schema)."""
    if demo_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        yield from pg_database(None)


@pytest.fixture
def anchors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A keyed chain with an anchor file, as a production install has."""
    path = tmp_path / "anchors.jsonl"
    monkeypatch.setenv("PERFBOT_AUDIT_KEY", KEY)
    monkeypatch.setenv("PERFBOT_AUDIT_ANCHOR_FILE", str(path))
    return path


def _tables(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        return target_tables(engine).rows
    finally:
        engine.dispose()


def _deactivate(url: str) -> None:
    code, out = run("people", "deactivate", "zhou.tao@acme.example", "--db", url)
    assert code == 0, out


def test_a_backup_restores_into_an_empty_database_whole_and_verified(
    demo_url: str, empty_target: str, anchors: Path, tmp_path: Path
) -> None:
    _deactivate(demo_url)  # a keyed event on top of the demo's unkeyed ones
    assert run("audit", "anchor", "--db", demo_url)[0] == 0
    out = tmp_path / "perfbot.backup"
    code, written = run_json("backup", str(out), "--db", demo_url)
    assert code == 0 and written["ok"] and out.is_file()
    assert written["kind"] == ("sqlite" if demo_url.startswith("sqlite") else "postgresql")
    assert written["tables"] == _tables(demo_url) and written["rows"] > 7000
    assert Path(written["anchor"]).is_file() and written["audit_head"]["count"] > 100

    code, restored = run_json("restore", str(out), "--db", empty_target)
    assert code == 0 and restored["ok"] and restored["differ"] == []
    assert {n: t["restored"] for n, t in restored["tables"].items()} == written["tables"]
    assert _tables(empty_target) == written["tables"]
    assert restored["audit"]["anchor_file"] == {
        "file": str(anchors),
        "problem": None,
        "reanchored": False,
    }
    assert restored["audit"]["backup_anchor"]["problem"] is None
    assert restored["schema_current"] is True

    code, text = run("audit", "verify", "--db", empty_target)
    assert code == 0 and "audit chain intact" in text and "matches the anchor" in text
    code, text = run("audit", "verify", "--db", empty_target, "--anchors", written["anchor"])
    assert code == 0, text
    # The restored database goes on: new events chain on (PostgreSQL's sequences came too).
    assert run("people", "reactivate", "zhou.tao@acme.example", "--db", empty_target)[0] == 0
    assert run("audit", "verify", "--db", empty_target)[0] == 0


def test_the_restore_prints_every_table_and_its_progress(
    demo_url: str, empty_target: str, tmp_path: Path
) -> None:
    out = tmp_path / "perfbot.backup"
    code, text = run("backup", str(out), "--db", demo_url)
    assert code == 0 and f"wrote {out}" in text and "backing up" in text
    code, text = run("restore", str(out), "--db", empty_target)
    assert code == 0, text
    assert "reading " in text and "restoring into" in text
    assert "every table's count matches the backup" in text
    lines = text.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("table"))
    assert lines[header].split() == ["table", "in", "backup", "restored"]
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[header + 1 :] if ln.endswith("ok")}
    assert rows["employee"] == ["43", "43", "ok"] and rows["audit_event"][0] != "0"


def test_a_database_that_is_not_empty_is_refused_unless_replaced(
    demo_url: str, anchors: Path, tmp_path: Path
) -> None:
    assert run("audit", "anchor", "--db", demo_url)[0] == 0
    out = tmp_path / "perfbot.backup"
    assert run("backup", str(out), "--db", demo_url)[0] == 0
    before = _tables(demo_url)
    _deactivate(demo_url)  # events after the backup ...
    assert run("audit", "anchor", "--db", demo_url)[0] == 0  # ... anchored outside it
    changed = _tables(demo_url)
    assert changed != before

    code, text = run("restore", str(out), "--db", demo_url)
    assert code == 1 and "is not empty" in text and "--replace" in text
    assert _tables(demo_url) == changed  # nothing written

    code, restored = run_json("restore", str(out), "--db", demo_url, "--replace")
    assert code == 0 and restored["differ"] == [], restored
    assert _tables(demo_url) == before
    # The anchor file knew of events the backup predates: they are counted as lost and the
    # restored head is anchored, so verification goes on from the restored state.
    entry = restored["audit"]["anchor_file"]
    assert entry["reanchored"] is True and entry["lost"] >= 1
    assert run("audit", "verify", "--db", demo_url)[0] == 0


@pytest.mark.parametrize("damage", ["half", "tail", "garbage", "empty"])
def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_written(
    demo_url: str, empty_target: str, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "perfbot.backup"
    assert run("backup", str(out), "--db", demo_url)[0] == 0
    data = out.read_bytes()
    bad = tmp_path / "bad.backup"
    bad.write_bytes(
        {
            "half": data[: len(data) // 2],
            "tail": data[:-200],
            "garbage": b"not a backup\n" * 9,
            "empty": b"",
        }[damage]
    )
    code, text = run("restore", str(bad), "--db", empty_target)
    assert code == 1 and "Traceback" not in text
    expected = {"half": "damaged or cut short", "tail": "damaged or cut short",
                "garbage": "is not a perfbot backup", "empty": "is empty"}[damage]  # fmt: skip
    assert expected in text, text
    assert ("nothing was restored" in text) is (damage in {"half", "tail"})
    assert _tables(empty_target) == {}


def test_a_backup_of_the_other_kind_of_database_is_refused(
    demo_url: str, empty_target: str, sqlite_template: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.backup"
    if demo_url.startswith("sqlite"):
        other.write_bytes(b"PGDMP" + b"\0" * 64)  # a custom archive's header, as pg_dump writes
        want = "is a PostgreSQL backup and the database is SQLite"
    else:
        other.write_bytes(sqlite_template.read_bytes())
        want = "is a SQLite backup and the database is PostgreSQL"
    code, text = run("restore", str(other), "--db", empty_target)
    assert code == 1 and want in text
    assert _tables(empty_target) == {}


def test_pg_dump_missing_is_named_with_the_fix(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    monkeypatch.setattr(postgres, "PG_BIN_GLOB", str(tmp_path / "no-postgresql" / "*" / "bin"))
    out = tmp_path / "perfbot.backup"
    code, text = run("backup", str(out), "--db", demo_url)
    if demo_url.startswith("sqlite"):  # SQLite needs no tool at all
        assert code == 0 and out.is_file()
        return
    assert code == 1 and "pg_dump not found" in text and "postgresql-client" in text
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_an_existing_file_is_never_overwritten(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "perfbot.backup"
    out.write_text("keep me")
    code, text = run("backup", str(out), "--db", demo_url)
    assert code == 1 and "already exists" in text and out.read_text() == "keep me"


def test_a_backup_of_an_older_schema_restores_and_says_to_upgrade(tmp_path: Path) -> None:
    """(The schema check after a restore is the same for both kinds: SQLite shows it.)"""
    older, target = f"sqlite:///{tmp_path / 'older.db'}", f"sqlite:///{tmp_path / 'new.db'}"
    engine = make_engine(older)
    upgrade(engine, "head-1")
    engine.dispose()
    out = tmp_path / "older.backup"
    assert run("backup", str(out), "--db", older)[0] == 0
    code, text = run("restore", str(out), "--db", target)
    assert code == 0 and "every table's count matches" in text, text
    assert "run `perfbot db upgrade`, then `perfbot audit verify`" in text
    assert run("db", "upgrade", "--db", target)[0] == 0
    assert run("audit", "verify", "--db", target)[0] == 0


def test_a_place_that_cannot_be_written_is_one_line(demo_url: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    out = tmp_path / "a-file" / "perfbot.backup"
    code, text = run("backup", str(out), "--db", demo_url)
    assert code == 1 and f"Error: {out.parent}: " in text and "Traceback" not in text


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:1/nowhere"
    code, text = run("backup", str(tmp_path / "x.backup"), "--db", url)
    assert code == 1 and "cannot reach the database" in text and "Traceback" not in text
    assert len(text.strip().splitlines()) == 2  # the progress line, then the reason
