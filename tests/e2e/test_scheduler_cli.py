"""`perfbot scheduler` as operators run it, on SQLite: one process leads (a file lock),
a second waits and takes over when the first is killed; queued notices are printed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from handlers.cards import Card
from store.db import make_engine, session_factory
from store.uow import UnitOfWork
from tests.conftest import FrozenClock
from tests.fakes.scrape import scrape, value

ROOT = Path(__file__).resolve().parents[2]


class Proc:
    def __init__(self, db_url: str, **extra: str) -> None:
        env = {**os.environ, "PERFBOT_SCHEDULER_LEADER_POLL_SECONDS": "0.2",
               "PERFBOT_OUTBOX_POLL_SECONDS": "0.2", **extra}  # fmt: skip
        for var in ("SLACK_BOT_TOKEN", "TELEGRAM_BOT_TOKEN", "PERFBOT_WEBHOOK_URL"):
            env.pop(var, None)
        self.p = subprocess.Popen(
            [sys.executable, "-m", "bot", "scheduler", "--console", "--db", db_url],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.p.stdout, self.out), (self.p.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _read(stream, sink) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            sink.append(line.rstrip())

    def leading(self) -> bool:
        return any("scheduler: leading" in line for line in self.err)


def wait_for(check, timeout: float = 30) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_one_scheduler_leads_the_other_takes_over_and_notices_are_printed(db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL election is covered by test_scheduler_failover")
    engine = make_engine(db_url)
    with UnitOfWork(session_factory(engine), FrozenClock()) as uow:
        uow.enqueue(dedupe_key="hello", kind="t", payload=Card("Hello HR").to_dict(), channel="#hr")
        uow.commit()
    first, second = Proc(db_url), Proc(db_url)
    try:
        assert wait_for(lambda: first.leading() or second.leading()), first.err + second.err
        leader, other = (first, second) if first.leading() else (second, first)
        time.sleep(0.6)
        assert not other.leading()
        assert wait_for(lambda: "→ #hr" in leader.out), leader.out
        leader.p.send_signal(signal.SIGKILL)
        leader.p.wait(10)
        assert wait_for(other.leading), other.err
        other.p.send_signal(signal.SIGTERM)
        assert other.p.wait(20) == 0
        assert "Hello HR" not in "\n".join(other.out)  # sent once, by the first leader
    finally:
        for p in (first, second):
            if p.p.poll() is None:
                p.p.kill()
                p.p.wait(10)
        engine.dispose()


def test_the_scheduler_serves_metrics_and_doctor_sees_it_lead(db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("one process is enough to show the listener")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = Proc(db_url, PERFBOT_METRICS_PORT=str(port))
    try:
        assert wait_for(proc.leading), proc.err
        assert any(f"metrics on http://0.0.0.0:{port}/metrics" in x for x in proc.err), proc.err
        assert value(scrape(f"http://127.0.0.1:{port}/metrics"), "perfbot_scheduler_leader") == 1
        said = CliRunner().invoke(main, ["doctor", "--db", db_url]).output
        assert "ok    scheduler: " in said and f":{proc.p.pid} leads" in said, said
        proc.p.send_signal(signal.SIGTERM)
        assert proc.p.wait(20) == 0
    finally:
        if proc.p.poll() is None:
            proc.p.kill()


def test_a_metrics_port_in_use_is_refused_in_one_line(db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("nothing here depends on the database")
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["scheduler", "--db", db_url], env={"PERFBOT_METRICS_PORT": str(port)}
        )
    assert result.exit_code == 1
    assert f"cannot serve /metrics on PERFBOT_METRICS_PORT={port}" in result.output
