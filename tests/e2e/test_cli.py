"""The operator's command line, end to end: demo, console, audit, org."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from bot.cli import main
from store.db import make_engine
from tests.integration.store.test_audit_chain import tamper


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def seeded(db_url: str) -> str:
    code, out = run("demo", "--seed-only", "--db", db_url)
    assert code == 0 and "43 people" in out
    return db_url


def test_demo_then_console_shows_a_breakdown(seeded):
    code, out = run(
        "console",
        "--db",
        seeded,
        "--as",
        "chen.jing@acme.example",
        "--run",
        "/score ana.li@acme.example",
        "--run",
        "/help",
    )
    assert code == 0
    assert "Score · Ana Li" in out and "Total" in out and "/explain <metric>" in out


def test_the_demo_closes_the_months_before_as_history(seeded):
    # Every month before this one is closed, oldest first, so last month's close can name
    # people with three excellent months in a row; only last month's cards wait to be sent.
    with make_engine(seeded).connect() as db:
        periods = db.execute(text("SELECT key, status FROM period ORDER BY starts_on")).all()
        flags = db.execute(
            text(
                "SELECT p.key, f.kind, count(*) FROM incentive_flag f"
                " JOIN period p ON p.id = f.period_id GROUP BY p.key, f.kind"
            )
        ).all()
        waiting = (
            db.execute(
                text(
                    "SELECT dedupe_key FROM outbox"
                    " WHERE status = 'pending' AND kind = 'period.result'"
                )
            )
            .scalars()
            .all()
        )
        settled = db.execute(
            text("SELECT count(*) FROM outbox WHERE platform_ref = 'demo: history'")
        ).scalar()
    *history, (last, last_status), (_, now_status) = periods
    assert [s for _, s in history] == ["closed"] * len(history) and len(history) >= 1
    assert last_status == "closed" and now_status == "open"
    assert (last, "promotion candidate") in {(k, kind) for k, kind, _ in flags}
    last_id = seeded_period_id(seeded, last)
    assert waiting and all(k.startswith(f"result:{last_id}:") for k in waiting)
    assert settled and settled >= 33 * len(history)
    code, out = run("console", "--db", seeded, "--as", "zhao.min@acme.example", "--run", "/period")
    assert code == 0 and f"Period {periods[-1][0]} · before close" in out, out


def seeded_period_id(db_url: str, key: str) -> int:
    with make_engine(db_url).connect() as db:
        return int(db.execute(text("SELECT id FROM period WHERE key = :k"), {"k": key}).scalar())


def test_console_json_has_cards_and_notices(seeded):
    code, out = run(
        "console",
        "--db",
        seeded,
        "--as",
        "zhou.tao@acme.example",
        "--json",
        "--run",
        "/score ana.li@acme.example",
    )
    data = json.loads(out)
    assert code == 0 and data[0]["ok"] is False and data[0]["cards"][0]["title"] == "Not allowed"


def test_audit_verify_passes_then_fails_after_a_hand_edit(seeded):
    assert run("audit", "verify", "--db", seeded)[0] == 0
    tamper(make_engine(seeded), "UPDATE audit_event SET after = NULL WHERE id = 7")
    code, out = run("audit", "verify", "--db", seeded)
    assert code == 1 and "BROKEN at event 7" in out


def test_audit_anchor_then_the_newest_events_deleted_fails_verify(
    seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PERFBOT_AUDIT_ANCHOR_FILE", str(tmp_path / "anchors.jsonl"))
    code, out = run("audit", "anchor", "--db", seeded)
    assert code == 0 and "anchored" in out, out
    code, out = run("audit", "verify", "--db", seeded)
    assert code == 0 and "head matches the anchor" in out
    assert "warning: no audit key" in out, "an unkeyed chain is said to be one"
    engine = make_engine(seeded)
    with engine.connect() as conn:
        newest = conn.execute(text("SELECT max(id) FROM audit_event")).scalar()
    tamper(engine, f"DELETE FROM audit_event WHERE id > {newest - 3}")
    code, out = run("audit", "verify", "--json", "--db", seeded)
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert f"event {newest}" in data["problem"] and "deleted" in data["problem"]


def test_audit_tail_json(seeded):
    code, out = run("audit", "tail", "-n", "3", "--json", "--db", seeded)
    assert code == 0 and len(json.loads(out)) == 3
    code, out = run("audit", "tail", "-n", "3", "--db", seeded)
    head, *rows = out.splitlines()
    assert head.split() == ["id", "at", "(UTC)", "actor", "action", "entity", "after"]
    assert len(rows) == 3 and all(r[head.index("actor")] != " " for r in rows), "aligned"


def test_org_list_and_goals_list_are_tables_people_read(seeded):
    code, out = run("org", "list", "--db", seeded)
    assert code == 0
    head, *rows = out.splitlines()
    assert head.split() == ["email", "name", "role", "team", "branch", "manager"]
    ana = next(r for r in rows if r.startswith("ana.li@"))
    assert ana[head.index("manager") :].strip() == "chen.jing@acme.example"
    code, out = run("goals", "list", "--period", "2026-09", "--db", seeded)
    assert code == 0
    head, *rows = out.splitlines()
    assert head.split() == ["id", "level", "title", "owner", "target", "unit", "status"]
    assert "Csat" not in out and "Customer satisfaction" in out, "titles, not metric keys"
    end = head.index("target") + len("target")
    targets = [r[:end].split()[-1] for r in rows]
    assert "1,000,000" in targets and all("E+" not in x for x in targets)


def test_org_load_of_a_broken_file_loads_nothing(db_url, tmp_path: Path):
    bad = tmp_path / "org.yaml"
    bad.write_text(
        "branches:\n  - {name: X, timezone: Nowhere/Land}\nemployees:\n"
        "  - {email: a@x.example, manager: b@x.example}\n"
    )
    code, out = run("org", "load", str(bad), "--db", db_url)
    assert code == 1 and "nothing loaded" in out
    assert "unknown time zone" in out and "unknown manager" in out
    code, out = run("org", "list", "--json", "--db", db_url)
    assert code == 0 and json.loads(out) == []


def test_commands_refuse_a_schema_that_is_behind(tmp_path: Path):
    code, out = run("org", "list", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1 and "perfbot db upgrade" in out


def test_the_installed_entry_point_and_python_m_bot(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'p.db'}"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and "schema up to date (revision " in out.stdout


def test_score_goals_report_and_period_commands(seeded, tmp_path: Path):
    # The demo closed last month (2026-10) and the months before it; HR re-opens one.
    code, out = run("period", "reopen", "2026-09", "--reason", "a late deal", "--db", seeded)
    assert code == 0, out
    code, out = run("score", "--period", "2026-09", "--db", seeded)
    assert code == 0 and "33 scores computed for 2026-09" in out
    code, out = run("score", "--period", "2026-09", "--json", "--db", seeded)
    data = json.loads(out)
    assert len(data) == 33 and {"total", "band", "breakdown"} <= set(data[0])
    code, out = run("goals", "list", "--period", "2026-09", "--json", "--db", seeded)
    goals = json.loads(out)
    assert code == 0 and {g["level"] for g in goals} == {"employee"}
    code, out = run("report", "--period", "2026-09", "--format", "csv", "--db", seeded)
    assert code == 0 and out.splitlines()[0].startswith("name,team,branch,total")
    png = tmp_path / "r.png"
    code, _ = run(
        "report", "--period", "2026-09", "--format", "png", "--out", str(png), "--db", seeded
    )
    assert code == 0 and png.read_bytes().startswith(b"\x89PNG")
    # A period never set up is refused in the words `period preview` uses for it.
    code, out = run("report", "--period", "2099-01", "--db", seeded)
    assert code == 1 and "Period 2099-01 has not been set up yet." in out
    assert run("period", "close", "2026-09", "--db", seeded)[0] == 0
    code, out = run("period", "close", "2026-09", "--db", seeded)
    assert code == 1 and "already closed" in out
    assert run("score", "--period", "2026-09", "--db", seeded)[0] == 1


def test_goals_load_reports_every_problem(seeded, tmp_path: Path):
    bad = tmp_path / "goals.yaml"
    bad.write_text("period: 2026-12\ngoals:\n  - {key: a, title: A, metric: x, teams: [Nope]}\n")
    code, out = run("goals", "load", str(bad), "--db", seeded)
    assert code == 1 and "unknown team 'Nope'" in out and "needs a target" in out
