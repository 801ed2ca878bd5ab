"""`perfbot sweep`, `perfbot outbox` and the nudge buttons, end to end through the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.bootstrap import build
from bot.cli import common as cli
from bot.cli import main
from store.models import AuditEvent, Outbox
from tests.conftest import FrozenClock
from tests.integration.sweep.population import NOW, Org, period


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def org(runtime, clock, monkeypatch):  # type: ignore[no-untyped-def]
    """Ana far behind on sales, Bo ahead; every command runs on Friday 20 Nov 2026."""
    clock.now = NOW
    monkeypatch.setattr(cli, "build", lambda s, **kw: build(s, clock=FrozenClock(NOW), **kw))
    with runtime.uow() as uow:
        o = Org(uow)
        o.period_id = period(uow)
        o.branch("Shanghai HQ", "Asia/Shanghai")
        o.person("Chen Jing", "Shanghai HQ", role="manager")
        o.person("Ana Li", "Shanghai HQ", "Chen Jing")
        o.person("Bo Wang", "Shanghai HQ", "Chen Jing")
        o.goal("ana", "Ana Li", "sales_amount", "1000000")
        o.goal("bo", "Bo Wang", "sales_amount", "1000000")
        o.fact("Ana Li", "sales_amount", "443000", date(2026, 11, 3))
        o.fact("Bo Wang", "sales_amount", "900000", date(2026, 11, 3))
        uow.commit()
    return o


def test_sweep_dry_run_then_for_real_then_drain(db_url, org):
    code, out = run("sweep", "--dry-run", "--db", db_url)
    assert code == 0
    assert out.splitlines()[0] == "Sweep (dry run: nothing sent): 1 nudge"
    assert out.splitlines()[1:] == [
        "  decision  person  goal   pace  figures                         manager",
        "  nudge     Ana Li  Sales   62%  443,000 of 714,285.71 expected  Chen Jing",
    ]
    code, out = run("sweep", "--dry-run", "--json", "--db", db_url)
    data = json.loads(out)
    assert data["counts"]["nudge"] == 1 and data["findings"][0]["ratio"] == "62.02"
    code, out = run("outbox", "--json", "--db", db_url)
    assert json.loads(out) == []  # the dry run queued nothing
    assert run("sweep", "--db", db_url)[0] == 0
    code, out = run("outbox", "--status", "pending", "--json", "--db", db_url)
    (row,) = json.loads(out)
    assert row["kind"] == "nudge" and row["title"] == "Ana Li is behind pace on Sales"
    code, out = run("outbox", "drain", "--console", "--db", db_url)
    assert code == 0 and "→ Chen Jing <chen.jing@x.example>" in out
    assert "• Ana Li is at 62% of pace on Sales: 443,000 of the 714,285.71 expected by" in out
    code, out = run("outbox", "--status", "sent", "--db", db_url)
    head, line = out.splitlines()
    assert head.split() == ["id", "status", "tries", "when", "(UTC)", "kind", "to", "title"]
    assert "sent" in line and "Chen Jing" in line and "Ana Li is behind pace on Sales" in line
    assert line.index("Chen Jing") == head.index("to"), "the recipient by name, under its header"
    code, out = run("sweep", "--db", db_url)
    assert out.splitlines()[0] == "Sweep: 1 already nudged"


def test_nudge_buttons_from_the_console(db_url, org):
    run("sweep", "--db", db_url)
    goal = org.goals["ana"]
    code, out = run(
        "console", "--db", db_url, "--as", "chen.jing@x.example",
        "--run", f"press nd:msg {org.people['Ana Li']}",
        "--run", f"press nd:snz {goal}",
        "--run", f"press sc {org.people['Ana Li']}",
    )  # fmt: skip
    assert code == 0
    assert "E-mail: ana.li@x.example" in out
    assert "No nudges about Ana Li's Sales Amount until 2026-11-27." in out
    assert "Score · Ana Li" in out
    code, out = run("console", "--db", db_url, "--as", "bo.wang@x.example",
                    "--run", f"press nd:snz {goal}")  # fmt: skip
    assert "Only Ana Li's managers can snooze nudges about them." in out


def test_outbox_retry_requeues_only_failed_rows_and_is_audited(db_url, org, runtime):
    with runtime.uow() as uow:
        uow.enqueue(dedupe_key="x", kind="t", payload={"title": "Hi"}, channel="#c")
        row = uow.session.scalar(select(Outbox))
        row.status, row.attempts, row.last_error = "failed", 6, "gave up after 6 attempts"
        uow.commit()
        rid = row.id
    code, out = run("outbox", "--status", "failed", "--db", db_url)
    assert "failed" in out and "! gave up after 6 attempts" in out
    code, out = run("outbox", "retry", str(rid), "--db", db_url)
    assert code == 0 and f"notification #{rid} re-queued" in out
    code, out = run("outbox", "retry", str(rid), "--db", db_url)
    assert code == 1 and "is pending, not failed: nothing to retry" in out
    code, out = run("outbox", "retry", "999", "--db", db_url)
    assert code == 1 and "no notification #999" in out
    with runtime.uow() as uow:
        ev = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.retry"))
        assert ev is not None and ev.before["status"] == "failed" and ev.after["attempts"] == 0


def test_bad_holiday_file_and_unknown_branch_get_a_clear_message(
    db_url, org, tmp_path, monkeypatch
):
    code, out = run("sweep", "--branch", "Atlantis", "--db", db_url)
    assert code == 1 and "no branch named 'Atlantis'; branches: Shanghai HQ" in out
    bad = tmp_path / "holidays.yaml"
    bad.write_text("Shanghai HQ: [2026-13-01, tomorrow]\n")
    monkeypatch.setenv("PERFBOT_NUDGE_HOLIDAYS", str(bad))
    code, out = run("sweep", "--db", db_url)
    assert code == 1 and "entry 1 ('2026-13-01') is not a date" in out
    assert "entry 2 ('tomorrow') is not a date" in out
    bad.write_text("Shanghai HQ: [2026-11-20]\n")  # today is a holiday there
    code, out = run("sweep", "--json", "--db", db_url)
    assert json.loads(out)["skipped"] == [{"branch": "Shanghai HQ", "reason": "holiday"}]
