"""The scheduler in-process: job reconciliation, missed and interrupted runs, election."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import scheduler_jobs as jobs
from bot.leader import leadership_for
from bot.scheduler import SchedulerService, new_scheduler, reconcile, stop_scheduler
from store.models import AuditEvent, Branch, JobRun, Outbox, Period
from tests.integration.outbox.support import FakePlatform
from tests.integration.sweep.population import NOW, Org, period


def fast(rt):  # type: ignore[no-untyped-def]
    """Poll quickly in tests."""
    s = rt.settings
    rt.settings = s.model_copy(
        update={
            "scheduler": s.scheduler.model_copy(update={"leader_poll_seconds": 0.2}),
            "outbox": s.outbox.model_copy(update={"poll_seconds": 0.2}),
        }
    )
    return rt


def wait_for(check, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    """Wait for a condition (not a timing assertion: the deadline is only a safety net)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def behind(runtime, clock):  # type: ignore[no-untyped-def]
    """Two branches; one employee in Shanghai far behind on sales."""
    clock.now = NOW
    with runtime.uow() as uow:
        o = Org(uow)
        o.period_id = period(uow)
        o.branch("Shanghai HQ", "Asia/Shanghai")
        o.branch("Berlin", "Europe/Berlin")
        o.person("Chen Jing", "Shanghai HQ")
        o.person("Ana Li", "Shanghai HQ", "Chen Jing")
        o.goal("sales", "Ana Li", "sales_amount", "1000000")
        o.fact("Ana Li", "sales_amount", "100000", date(2026, 11, 3))
        uow.commit()
    return fast(runtime), o


def ledger(rt, jid):  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.get(JobRun, jid)


def test_reconcile_adds_jobs_once_and_keeps_stored_run_times(behind):
    rt, o = behind
    sh, be = o.branches["Shanghai HQ"], o.branches["Berlin"]
    s = new_scheduler(rt)
    s.start(paused=True)
    assert sorted(reconcile(s, rt)) == sorted(
        ["+sync", "+appeal_sla", "+ratings", "+period_close", f"+sweep:{sh}", f"+sweep:{be}"]
    )
    job = s.get_job(f"sweep:{sh}")
    assert str(job.trigger.timezone) == "Asia/Shanghai" and "hour='9', minute='30'" in str(
        job.trigger
    )
    past = datetime.now(UTC) - timedelta(hours=1)
    job.modify(next_run_time=past)
    stop_scheduler(s)
    again = new_scheduler(rt)
    again.start(paused=True)
    assert reconcile(again, rt) == []  # unchanged: the missed run is still on the books
    assert again.get_job(f"sweep:{sh}").next_run_time == past
    rt.settings = rt.settings.model_copy(
        update={"nudge": rt.settings.nudge.model_copy(update={"at": "08:00"})}
    )
    with rt.uow() as uow:
        uow.session.delete(uow.session.get(Branch, be))
        uow.commit()
    assert sorted(reconcile(again, rt)) == [f"-sweep:{be}", f"~sweep:{sh}"]
    stop_scheduler(again)


def test_a_run_missed_while_down_runs_once_and_its_nudge_is_sent_once(behind):
    rt, o = behind
    sh = o.branches["Shanghai HQ"]
    s = new_scheduler(rt)
    s.start(paused=True)
    reconcile(s, rt)
    for j in s.get_jobs():  # everything was due while no scheduler was up
        j.modify(next_run_time=datetime.now(UTC) - timedelta(minutes=10))
    stop_scheduler(s)
    fake = FakePlatform()
    svc = SchedulerService(rt, [fake]).start()
    try:
        assert svc.wait_until_leading(10)
        assert wait_for(lambda: len(fake.delivered) == 1)
        assert wait_for(lambda: (ledger(rt, f"sweep:{sh}") or JobRun()).status == "ok")
        time.sleep(0.5)  # a second run, or a second delivery, would show up by now
        assert fake.counts() == {"Ana Li is behind pace on Sales": 1}
        assert svc.scheduler.get_job(f"sweep:{sh}").next_run_time > datetime.now(UTC)
        for jid in ("sync", "appeal_sla", "period_close"):
            assert wait_for(lambda jid=jid: (ledger(rt, jid) or JobRun()).status == "ok"), jid
    finally:
        svc.stop()
    with rt.uow() as uow:
        runs = uow.session.scalar(select(func.count()).where(AuditEvent.action == "sweep.run"))
        assert runs == 2  # once per branch, not once per missed day or per poll
        assert uow.session.scalar(select(Outbox.status).where(Outbox.kind == "nudge")) == "sent"


def test_a_run_cut_short_by_a_dead_leader_is_run_again(behind, clock):
    rt, o = behind
    sh = o.branches["Shanghai HQ"]
    s = new_scheduler(rt)
    s.start(paused=True)
    reconcile(s, rt)  # next runs: tomorrow
    stop_scheduler(s)
    with rt.uow() as uow:  # the previous leader started the sweep and died in it
        uow.session.add(JobRun(job_id=f"sweep:{sh}", started_at=clock.now - timedelta(minutes=3)))
        uow.session.add(JobRun(job_id="sync", started_at=clock.now - timedelta(days=3)))
        uow.commit()
    fake = FakePlatform()
    svc = SchedulerService(rt, [fake]).start()
    try:
        assert wait_for(lambda: ledger(rt, f"sweep:{sh}").status == "ok")
        assert wait_for(lambda: len(fake.delivered) == 1)
        assert ledger(rt, "sync").status == "running"  # too long ago: past the grace time
    finally:
        svc.stop()


def test_one_of_two_services_leads_and_the_other_takes_over(behind):
    rt, _ = behind
    a = SchedulerService(rt, [FakePlatform()], leadership=leadership_for(rt.engine)).start()
    assert a.wait_until_leading(10)
    b = SchedulerService(rt, [FakePlatform()], leadership=leadership_for(rt.engine)).start()
    try:
        time.sleep(0.6)  # three polls
        assert not b.is_leader
        a.stop()
        assert not a.is_leader
        assert b.wait_until_leading(10)
    finally:
        a.stop()
        b.stop()


def test_jobs_run_or_skip_cleanly(behind, clock):
    rt, o = behind
    with rt.uow() as uow:
        uow.session.add(
            Period(
                key="2026-09", kind="month", starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30)
            )
        )
        uow.commit()
    from handlers.nudges.sweep_calendar import SweepPolicy

    jobs.install(jobs.JobContext(rt, SweepPolicy(), None))
    try:
        assert jobs.run_job("sync") == "no sources configured; scored 2026-11: 0, 2026-09: 0"
        # Nobody is on a scorecard: the job refuses (and there is no HR to tell).
        assert jobs.run_job("period_close") == "refused 2026-09 (HR told: 0)"
        assert jobs.run_job("sweep", o.branches["Berlin"]).startswith("0 nudged")
        assert jobs.run_job("appeal_sla") != "error"
        calls = []
        jobs.install(jobs.JobContext(rt, SweepPolicy(), lambda uow, clock: calls.append(clock())))
        rt.settings = rt.settings.model_copy(update={"sources": "sources.yaml"})
        assert jobs.run_job("sync").startswith("synced")
        assert calls == [clock.now]
    finally:
        jobs.install(None)
    with rt.uow() as uow:
        closed = uow.session.scalar(select(Period.status).where(Period.key == "2026-09"))
    assert closed == "open"


def test_the_dispatcher_can_run_on_the_chat_apps_own_loop(behind):
    import asyncio
    import threading

    from tests.integration.outbox.support import queue

    rt, o = behind
    loop = asyncio.new_event_loop()
    t = threading.Thread(target=loop.run_forever, daemon=True)
    t.start()
    seen = []

    class OnAppLoop(FakePlatform):
        async def deliver(self, target, card):  # type: ignore[no-untyped-def]
            seen.append(asyncio.get_running_loop())
            return await super().deliver(target, card)

    fake = OnAppLoop()
    queue(rt.uow(), [o.people["Chen Jing"]] * 2)
    svc = SchedulerService(rt, [fake], loop=loop).start()
    try:
        assert wait_for(lambda: len(fake.delivered) == 2)
        assert seen == [loop, loop]
    finally:
        svc.stop()
        loop.call_soon_threadsafe(loop.stop)
        t.join(5)
