"""`perfbot sync` end to end against a fake vendor API: summaries, resume after SIGKILL."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from store.db import make_engine, session_factory
from store.models import AuditEvent, Employee, MetricFact, SyncCheckpoint
from store.schema import upgrade
from store.uow import UnitOfWork
from tests.conftest import FrozenClock
from tests.fakes.ports import free_port
from tests.fakes.resolver import NO_SUCH_NAME, TRY_AGAIN, FakeResolver
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import expected
from tests.integration.connectors.sync_support import rounded, seed_people, stored
from tests.integration.connectors.vendor_data import ENV


@pytest.fixture
def vendor() -> Iterator[FakeVendor]:
    server = FakeVendor().start()
    yield server
    server.stop()


def uow_for(url: str) -> UnitOfWork:
    return UnitOfWork(session_factory(make_engine(url)), FrozenClock())


def sources_file(tmp_path: Path, vendor: FakeVendor) -> Path:
    fast = {"base_delay": 0.01, "max_delay": 0.05}
    path = tmp_path / "sources.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "name": "crm",
                        "preset": "hubspot_deals",
                        "base_url": vendor.url,
                        "pagination": {"size": 10},
                        "vars": {"portal": "4242"},
                        "retry": fast,
                    },
                    {
                        "name": "csat",
                        "preset": "zendesk_csat",
                        "base_url": vendor.url,
                        "pagination": {"size": 10},
                        "retry": fast,
                    },
                ]
            }
        )
    )
    return path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit code and standard output (progress lines go to standard error)."""
    result = CliRunner().invoke(main, list(args), env=env or ENV, catch_exceptions=False)
    return result.exit_code, result.stdout


def facts(url: str) -> set[tuple[str, str, str, str, str, bool]]:
    """Every stored fact as comparable values (employees by e-mail, not by database id)."""
    with uow_for(url) as uow:
        rows = uow.session.execute(
            select(MetricFact, Employee.email).join(Employee, Employee.id == MetricFact.employee_id)
        ).all()
        return {
            (f.source, f.record_id, f.metric, str(round(f.value, 2)), email, f.void)
            for f, email in rows
        }


def test_sync_prints_a_summary_rescores_and_changes_nothing_the_second_time(
    db_url: str, vendor: FakeVendor, tmp_path: Path
) -> None:
    seed_people(uow_for(db_url), skip_ids=("104",))
    config = str(sources_file(tmp_path, vendor))
    code, out = run("sync", "--config", config, "--db", db_url, "--json")
    assert code == 0, out
    report = json.loads(out)
    crm, csat = report["sources"]
    assert (crm["source"], csat["source"]) == ("crm", "csat")
    assert crm["complete"] and crm["new"] > 0 and crm["unmatched"] > 0 and crm["rejected"] == 4
    assert csat["new"] > 0 and csat["unmatched"] == 0
    again = CliRunner().invoke(main, ["sync", "--config", config, "--db", db_url], env=ENV)
    code, out = again.exit_code, again.stdout
    assert code == 0
    progress = again.stderr.splitlines()  # plain lines, not a progress bar: not a terminal
    assert progress[0].startswith("crm: done, 1 pages, 1 fetched, 0 new")  # from the watermark
    assert progress[-1].startswith("csat: done, 19 pages, 181 fetched, 0 new")  # all again
    assert out.splitlines()[0].split()[:3] == ["source", "fetched", "new"]
    assert [line.split()[2] for line in out.splitlines()[1:3]] == ["0", "0"]  # nothing new
    code, out = run("unmatched", "crm", "--db", db_url, "--json")
    kept = json.loads(out)
    assert code == 0 and kept and all(r["reason"] for r in kept)
    assert {r["reason"] for r in kept if r["metric"] != "*"} == {"no employee with external id 104"}


def test_configuration_problems_are_reported_not_raised(
    db_url: str, vendor: FakeVendor, tmp_path: Path
) -> None:
    config = str(sources_file(tmp_path, vendor))
    env = {k: v for k, v in ENV.items() if k != "HUBSPOT_TOKEN"}
    env["HUBSPOT_TOKEN"] = ""
    result = CliRunner().invoke(main, ["sync", "--config", config, "--db", db_url], env=env)
    assert result.exit_code == 2
    assert "sources[0].auth.token_env: environment variable HUBSPOT_TOKEN is not set" in (
        result.stderr
    )
    assert re.search(r"  line \d+: sources\[0\]\.auth\.token_env: ", result.stderr), "its line"
    result = CliRunner().invoke(main, ["sync", "nope", "--config", config, "--db", db_url], env=ENV)
    assert result.exit_code == 1 and "no source named 'nope'" in result.stderr


def test_a_sync_killed_mid_way_and_rerun_equals_an_uninterrupted_one(
    db_url: str, vendor: FakeVendor, tmp_path: Path
) -> None:
    seed_people(uow_for(db_url))
    config = str(sources_file(tmp_path, vendor))
    vendor.inject("slow", "/crm", delay=0.15, times=1000)  # slow enough to be caught mid-way
    command = [sys.executable, "-m", "bot", "sync", "--config", config, "--db", db_url]
    proc = subprocess.Popen(
        [*command, "--batch-size", "20"],
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with uow_for(db_url) as uow:
                cp = uow.session.get(SyncCheckpoint, "crm")
                committed = cp is not None and cp.cursor and cp.run_started_at is not None
                if committed and cp.stats["so_far"]["new"] >= 40:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the sync never committed a batch")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = facts(db_url)
    deals = expected(vendor.data, "hubspot_deals")["sales_amount"][0]
    assert 40 <= len(partial) < deals  # killed mid-way, after some batches were committed
    vendor.faults.clear()

    code, out = run("sync", "--config", config, "--db", db_url, "--json")
    assert code == 0, out
    crm = json.loads(out)["sources"][0]
    assert crm["resumed"] and crm["complete"]

    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    upgrade(make_engine(reference))
    seed_people(uow_for(reference))
    assert run("sync", "--config", config, "--db", reference)[0] == 0
    assert facts(db_url) == facts(reference)
    for source, preset in (("crm", "hubspot_deals"), ("csat", "zendesk_csat")):
        assert stored(uow_for(db_url), source) == rounded(expected(vendor.data, preset))
    with uow_for(db_url) as uow:
        runs = uow.session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "sync.run")
        ).all()
    assert runs == ["crm", "csat"]  # the killed run left no "done" event behind


def test_a_source_that_never_answers_is_told_once_not_retry_by_retry(
    db_url: str, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there: every attempt is refused
    path = tmp_path / "sources.yaml"
    crm = {"name": "crm", "preset": "hubspot_deals", "base_url": f"http://127.0.0.1:{port}",
           "vars": {"portal": "1"}, "retry": {"base_delay": 0.01, "max_delay": 0.02}}  # fmt: skip
    path.write_text(yaml.safe_dump({"sources": [crm]}))
    command = [sys.executable, "-m", "bot", "sync", "--config", str(path), "--db", db_url]
    env = {**os.environ, **ENV, "PERFBOT_LOG_LEVEL": "INFO"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "retry 1 of 5" not in done.stderr  # the table says how it ended, once
    assert "crm: FAILED" in done.stderr
    assert "gave up after 6 attempts in" in done.stdout and "(s)" not in done.stdout
    env["PERFBOT_LOG_LEVEL"] = "DEBUG"  # who is looking into it sees each retry
    debug = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert "crm: POST /crm/v3/objects/deals/search failed" in debug.stderr
    assert "retry 1 of 5" in debug.stderr


def unresolvable_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: tuple[int, str]
) -> tuple[Path, FakeResolver]:
    """Two sources on hosts that do not exist, and a resolver that fails every name with
    `error` (faked: no DNS query)."""
    fast = {"base_delay": 0.01, "max_delay": 0.02}
    path = tmp_path / "sources.yaml"
    crm = {"name": "crm", "preset": "hubspot_deals", "base_url": "https://crm.example.invalid",
           "vars": {"portal": "1"}, "retry": fast}  # fmt: skip
    csat = {"name": "csat", "preset": "zendesk_csat", "base_url": "https://csat.example.invalid",
            "retry": fast}  # fmt: skip
    path.write_text(yaml.safe_dump({"sources": [crm, csat]}))
    resolver = FakeResolver(*error)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return path, resolver


def test_a_host_that_does_not_exist_fails_at_once_and_says_what_to_fix(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, resolver = unresolvable_sources(tmp_path, monkeypatch, NO_SUCH_NAME)
    code, out = run("sync", "--config", str(path), "--db", db_url)
    assert code == 1
    # one attempt each (a look-up per attempt): no retry, no ~10 s of backoff per source
    assert resolver.lookups == {"crm.example.invalid": 1, "csat.example.invalid": 1}
    rows = {line.split()[0]: line for line in out.splitlines()[1:3]}
    fix = f"check the base_url of source crm in {path}"
    assert rows["crm"].endswith(
        f"host crm.example.invalid does not exist (DNS: no such name): {fix}"
    )
    assert "source csat in" in rows["csat"]
    with uow_for(db_url) as uow:  # each run recorded as failed, with that error; nothing else
        failed = {
            e.entity_id: e.after
            for e in uow.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "sync.failed")
            )
        }
        assert failed["crm"]["errors"] == [
            "crm: host crm.example.invalid does not exist (DNS: Name or service not known); "
            "check its base_url"
        ]
        assert failed["crm"]["unresolved"] == {"host": "crm.example.invalid", "setting": "base_url"}
        assert set(failed) == {"crm", "csat"} and not failed["crm"]["complete"]
        assert not uow.session.scalars(select(MetricFact)).all()
        assert not uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sync.run")
        ).all()
        assert all(cp.cursor is None for cp in uow.session.scalars(select(SyncCheckpoint)))

    chinese = CliRunner().invoke(
        main, ["sync", "crm", "--config", str(path), "--db", db_url],
        env={**ENV, "PERFBOT_LOCALE": "zh_CN"},
    )  # fmt: skip
    told = (
        f"主机 crm.example.invalid 不存在（DNS 查无此域名）：请检查 {path} 中数据源 crm 的 base_url"
    )
    assert chinese.exit_code == 1 and told in chinese.stdout
    code, out = run("sync", "crm", "--config", str(path), "--db", db_url, "--json")
    (crm,) = json.loads(out)["sources"]
    assert crm["unresolved"] == {"host": "crm.example.invalid", "setting": "base_url"}


def test_a_resolver_down_for_now_is_still_retried(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, resolver = unresolvable_sources(tmp_path, monkeypatch, TRY_AGAIN)
    code, out = run("sync", "crm", "--config", str(path), "--db", db_url, "--json")
    assert code == 1
    assert resolver.lookups == {"crm.example.invalid": 6}  # the default six attempts
    (crm,) = json.loads(out)["sources"]
    assert crm["unresolved"] is None
    assert "gave up after 6 attempts" in crm["errors"][0]
    assert "Temporary failure in name resolution" in crm["errors"][0]
