"""Two scheduler processes on one PostgreSQL database: each nudge is sent exactly once,
and a leader killed (SIGKILL) mid-run is replaced with nothing lost or doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.scheduler import new_scheduler, reconcile, stop_scheduler
from store.models import Outbox
from tests.fakes.rate_limited_platform import FakePlatform
from tests.integration.sweep.population import NOW, Org, period

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 60


class Proc:
    """A scheduler subprocess whose log lines are collected as they come."""

    def __init__(self, name: str, db_url: str, fake_url: str) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "PERFBOT_WEBHOOK_URL": fake_url,
            "PERFBOT_WEBHOOK_PER_SECOND": "20",
            "PERFBOT_WEBHOOK_PER_TARGET_INTERVAL": "0",
            "PERFBOT_OUTBOX_LEASE_SECONDS": "4",
            "PERFBOT_OUTBOX_POLL_SECONDS": "0.3",
            "PERFBOT_SCHEDULER_LEADER_POLL_SECONDS": "0.3",
            "PERFBOT_LOG_LEVEL": "INFO",
        }
        for var in ("SLACK_BOT_TOKEN", "TELEGRAM_BOT_TOKEN", "PERFBOT_NUDGE_AT"):
            env.pop(var, None)
        self.name, self.lines = name, []
        self.p = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.scheduler_proc", NOW.isoformat()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.p.stderr is not None
        for line in self.p.stderr:
            self.lines.append(line.rstrip())

    def leading(self) -> bool:
        return any("scheduler: leading" in line for line in self.lines)

    def log(self) -> str:
        return f"--- {self.name} ---\n" + "\n".join(self.lines[-40:])


def _rows(rt) -> str:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        rows = uow.session.scalars(select(Outbox)).all()
        return "\n".join(
            f"{r.id} {r.kind} {r.status} {r.attempts} {r.next_attempt_at} {r.last_error}"
            for r in rows
        )


def wait_for(check, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.postgres
@pytest.mark.slow
def test_two_schedulers_one_killed_every_nudge_exactly_once(db_url, runtime, clock):
    if not db_url.startswith("postgresql"):
        pytest.skip("replicas coordinate through PostgreSQL")
    clock.now = NOW
    with runtime.uow() as uow:
        o = Org(uow)
        o.period_id = period(uow)
        o.branch("Shanghai HQ", "Asia/Shanghai")
        o.branch("Berlin", "Europe/Berlin")
        for i in range(PEOPLE):
            # Each rep has a manager of their own: a sweep sends one card per manager, and
            # this test wants PEOPLE cards going out when the leader is killed.
            who, boss, where = f"Rep {i:02d}", f"Boss {i:02d}", "Shanghai HQ" if i % 3 else "Berlin"
            o.person(boss, where)
            o.person(who, where, boss)
            o.goal(who, who, "sales_amount", "1000000")
            o.fact(who, "sales_amount", str(5_000 * (i + 1)), date(2026, 11, 3))  # all behind
        uow.commit()
    # The sweep was due an hour ago while no scheduler ran: whoever leads runs it once.
    s = new_scheduler(runtime)
    s.start(paused=True)
    reconcile(s, runtime)
    for job in s.get_jobs():
        if job.id.startswith("sweep:"):
            job.modify(next_run_time=datetime.now(UTC) - timedelta(hours=1))
    stop_scheduler(s)

    with FakePlatform(per_second=20, throttle_at=20, pause=2.0) as fake:
        a = Proc("a", db_url, fake.url)
        b = Proc("b", db_url, fake.url)
        procs = [a, b]
        try:
            assert wait_for(lambda: a.leading() or b.leading(), 30), a.log() + b.log()
            leader, follower = (a, b) if a.leading() else (b, a)
            # Mid-run: nudges are going out and the platform has just said "wait".
            assert fake.throttled.wait(30), leader.log()
            leader.p.send_signal(signal.SIGKILL)
            leader.p.wait(10)
            assert len(fake.accepted) == 20
            assert wait_for(follower.leading, 15), follower.log()
            assert wait_for(lambda: len(fake.accepted) >= PEOPLE, 40), follower.log() + _rows(
                runtime
            )
            time.sleep(1.5)  # a duplicate, were there one, would arrive by now
            counts = fake.counts()
            assert len(counts) == PEOPLE and set(counts.values()) == {1}
            assert fake.refused >= 1  # the throttling really happened, and was handled
            follower.p.send_signal(signal.SIGTERM)
            assert follower.p.wait(20) == 0
        finally:
            for p in procs:
                if p.p.poll() is None:
                    p.p.kill()
                    p.p.wait(10)
    with runtime.uow() as uow:
        rows = uow.session.scalars(select(Outbox).where(Outbox.kind == "nudge")).all()
    assert len(rows) == PEOPLE and {r.status for r in rows} == {"sent"}
