"""The scheduler: sync, scoring, the at-risk sweep per branch, appeal SLAs, rating cards and
reminders, period close, audit anchors, retention of source records, backups, and the outbox
dispatcher, run by exactly one process per database.

APScheduler 3.11 with its job store in perfbot's own database, coalesce=True,
max_instances=1 and a real misfire grace time: after downtime each missed job runs once.
Jobs are reconciled, never blindly replaced, on every start, so a stored next run time
(possibly in the past, which is what makes a missed run run) survives restarts. A job
whose last run started but never finished (its leader died mid-run; APScheduler had
already moved it on) runs again at once. The dispatcher drains the outbox on a thread
of its own with a long-lived event loop; it runs on the leader only, so the platforms'
rate limits are paced in one place.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import directory_job
from bot import scheduler_jobs as jobs
from bot.delivery import Deliverer
from bot.leader import Leadership, leadership_for
from bot.outbox_dispatcher import OutboxDispatcher
from bot.policy import dispatch_policy, sweep_policy
from bot.runtime import Runtime
from connectors.sync import sync_all as sync_everything

log = logging.getLogger(__name__)
JOB_TABLE = "apscheduler_jobs"
RECONCILE_EVERY = 300.0  # seconds: new branches get their sweep job this soon
BEAT_EVERY = 10.0  # seconds between the leader's heartbeats (scheduler_leader)


@dataclass(frozen=True)
class JobSpec:
    id: str
    kind: str
    arg: int | None
    trigger: Any


def _hms(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split(":")]
    return parts[0], parts[1], parts[2] if len(parts) > 2 else 0


def desired_jobs(rt: Runtime) -> list[JobSpec]:
    """Every job this deployment should have, with its trigger."""
    s = rt.settings.scheduler
    h, m, sec = _hms(s.period_close_at)
    specs = [
        JobSpec("sync", "sync", None, IntervalTrigger(minutes=s.sync_minutes, timezone=UTC)),
        JobSpec(
            "appeal_sla", "appeal_sla", None, IntervalTrigger(minutes=s.appeal_check_minutes)
        ),
        JobSpec("ratings", "ratings", None, IntervalTrigger(minutes=s.rating_check_minutes)),
        JobSpec("period_close", "period_close", None, CronTrigger(hour=h, minute=m, second=sec,
                                                                   timezone=UTC)),
    ]  # fmt: skip
    if directory_job.configured(rt.settings):
        every = IntervalTrigger(minutes=s.directory_minutes, timezone=UTC)
        specs.append(JobSpec("directory", "directory", None, every))
    audit = rt.settings.audit
    if audit.anchor_file is not None:
        every = IntervalTrigger(minutes=audit.anchor_minutes, timezone=UTC)
        specs.append(JobSpec("audit_anchor", "audit_anchor", None, every))
    keep = rt.settings.retention
    if keep.fact_days is not None:
        h, m, sec = _hms(keep.at)
        daily = CronTrigger(hour=h, minute=m, second=sec, timezone=UTC)
        specs.append(JobSpec("retention", "retention", None, daily))
    if rt.settings.backup.dir is not None:
        h, m, sec = _hms(rt.settings.backup.at)
        daily = CronTrigger(hour=h, minute=m, second=sec, timezone=UTC)
        specs.append(JobSpec("backup", "backup", None, daily))
    h, m, sec = _hms(rt.settings.nudge.at)
    with rt.uow() as uow:
        branches = uow.org.branch_calendars()
    for branch_id, _, tz in branches:
        # Every day: the sweep itself knows the branch's weekends and holidays.
        trigger = CronTrigger(hour=h, minute=m, second=sec, timezone=tz)
        specs.append(JobSpec(jobs.job_id("sweep", branch_id), "sweep", branch_id, trigger))
    return specs


def _same(trigger: Any, other: Any) -> bool:
    return (str(trigger), str(getattr(trigger, "timezone", ""))) == (
        str(other),
        str(getattr(other, "timezone", "")),
    )


def new_scheduler(rt: Runtime) -> BackgroundScheduler:
    """An APScheduler on perfbot's database with the job defaults above (not started)."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=rt.engine, tablename=JOB_TABLE)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": rt.settings.scheduler.misfire_grace_seconds,
        },
        timezone=UTC,
    )


def stop_scheduler(scheduler: BackgroundScheduler) -> None:
    """Shut down without touching the stored jobs. APScheduler 3 runs one more pass over
    the due jobs after shutdown, fails to submit them and still moves their next run on,
    losing that run; detaching the job store first leaves it nothing to move."""
    scheduler.pause()
    scheduler.remove_jobstore("default", shutdown=False)
    scheduler.shutdown(wait=False)


def reconcile(scheduler: BackgroundScheduler, rt: Runtime) -> list[str]:
    """Add missing jobs, re-time changed ones, drop stale ones; leave the rest untouched."""
    want = {spec.id: spec for spec in desired_jobs(rt)}
    changed = []
    for job in scheduler.get_jobs():
        spec = want.pop(job.id, None)
        if spec is None:
            job.remove()
            changed.append(f"-{job.id}")
        elif not _same(job.trigger, spec.trigger):
            job.reschedule(spec.trigger)
            changed.append(f"~{job.id}")
    for spec in want.values():
        scheduler.add_job(jobs.run_job, spec.trigger, args=(spec.kind, spec.arg), id=spec.id,
                          name=spec.id, replace_existing=True)  # fmt: skip
        changed.append(f"+{spec.id}")
    return changed


class DispatchLoop:
    """Drains the outbox, then waits `poll` seconds when nothing is due. On a thread with
    a long-lived event loop of its own, or, given `loop`, as a task on that (running) loop:
    a chat app whose deliverers' clients belong to its loop passes it."""

    def __init__(
        self,
        dispatcher: OutboxDispatcher,
        poll: float,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._dispatcher, self._poll, self._loop = dispatcher, poll, loop
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._future: Any = None

    def start(self) -> None:
        if self._loop is None:
            self._thread = threading.Thread(
                target=lambda: asyncio.run(self._main()), name="perfbot-outbox", daemon=True
            )
            self._thread.start()
        else:
            self._future = asyncio.run_coroutine_threadsafe(self._main(), self._loop)

    async def _main(self) -> None:
        while not self._halt.is_set():
            try:
                stats = await self._dispatcher.run_once(budget=30)
                if stats.claimed:
                    log.info("outbox: %s", stats.summary())
            except Exception:  # the database went away for a moment: try again later
                log.exception("outbox dispatch failed")
            await asyncio.to_thread(self._halt.wait, self._poll)

    def stop(self, timeout: float = 10) -> None:
        """Stop after the current batch. On a caller's loop, don't wait: stop() may be
        called from that very loop."""
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout)


class SchedulerService:
    """Follows until it wins the election, then leads until stopped or the lock is lost."""

    def __init__(
        self,
        rt: Runtime,
        deliverers: Sequence[Deliverer],
        *,
        sync_all: Callable[..., Any] | None = None,
        leadership: Leadership | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        dispatch: bool = True,
    ) -> None:
        self.rt, self._deliverers = rt, list(deliverers)
        self._sync_all = sync_all if sync_all is not None else sync_everything
        self._leadership = leadership or leadership_for(rt.engine)
        self._poll = rt.settings.scheduler.leader_poll_seconds
        self._loop, self._dispatch_on = loop, dispatch
        self._stop = threading.Event()
        self._leading = threading.Event()
        self._scheduler: BackgroundScheduler | None = None
        self._dispatch: DispatchLoop | None = None
        self._thread = threading.Thread(target=self._supervise, name="perfbot-leader", daemon=True)
        self._holder = f"{socket.gethostname()}:{os.getpid()}"
        self._since: datetime | None = None
        self._next_beat = 0.0

    @property
    def is_leader(self) -> bool:
        return self._leading.is_set()

    @property
    def scheduler(self) -> BackgroundScheduler | None:
        return self._scheduler

    def start(self) -> SchedulerService:
        self._thread.start()
        return self

    def wait_until_leading(self, timeout: float) -> bool:
        return self._leading.wait(timeout)

    def stop(self, timeout: float = 15) -> None:
        """Stop scheduling and dispatching, and let another process take over."""
        self._stop.set()
        self._thread.join(timeout)

    def _supervise(self) -> None:
        next_reconcile = 0.0
        while not self._stop.is_set():
            try:
                if not self.is_leader:
                    if self._leadership.try_acquire():
                        self._lead()
                        next_reconcile = _mono() + RECONCILE_EVERY
                elif not self._leadership.still_held():
                    self._step_down()
                else:
                    self._beat()
                    if _mono() >= next_reconcile and self._scheduler is not None:
                        if changed := reconcile(self._scheduler, self.rt):
                            log.info("scheduler: jobs %s", " ".join(changed))
                        next_reconcile = _mono() + RECONCILE_EVERY
            except Exception:  # keep electing: a database blip must not end the service
                log.exception("scheduler supervisor")
                self._step_down()
            self._stop.wait(self._poll)
        self._step_down()
        self._leadership.release()

    def _lead(self) -> None:
        rt = self.rt
        jobs.install(jobs.JobContext(rt, sweep_policy(rt.settings), self._sync_all))
        scheduler = new_scheduler(rt)
        scheduler.start(paused=True)
        self._scheduler = scheduler
        changed = reconcile(scheduler, rt)
        grace = timedelta(seconds=rt.settings.scheduler.misfire_grace_seconds)
        for jid in jobs.unfinished(rt, grace):
            job = scheduler.get_job(jid)
            if job is not None:
                log.warning("scheduler: job %s never finished its last run; running it now", jid)
                job.modify(next_run_time=datetime.now(UTC))
        scheduler.resume()
        if self._dispatch_on:
            dispatcher = OutboxDispatcher(
                rt.uow, self._deliverers, dispatch_policy(rt.settings), metrics=rt.metrics
            )
            poll = rt.settings.outbox.poll_seconds
            self._dispatch = DispatchLoop(dispatcher, poll, self._loop)
            self._dispatch.start()
        self._leading.set()
        rt.metrics.leader.set(1)
        self._since, self._next_beat = rt.clock(), 0.0
        self._beat()
        log.info("scheduler: leading; jobs %s", " ".join(changed) or "unchanged")

    def _beat(self) -> None:
        """Every BEAT_EVERY seconds while leading: say so in scheduler_leader, for doctor
        and /metrics. A failed write is logged, not a reason to step down."""
        if _mono() < self._next_beat or self._since is None:
            return
        self._next_beat = _mono() + BEAT_EVERY
        try:
            with self.rt.uow() as uow:
                uow.health.beat(self._holder, self._since, uow.clock())
                uow.commit()
        except Exception:
            log.exception("scheduler: heartbeat not written")

    def _step_down(self) -> None:
        if self._scheduler is not None:
            stop_scheduler(self._scheduler)
            self._scheduler = None
        if self._dispatch is not None:
            self._dispatch.stop()
            self._dispatch = None
        if self._leading.is_set():
            log.warning("scheduler: no longer leading")
        self._leading.clear()
        self.rt.metrics.leader.set(0)
        self._since = None
        jobs.install(None)


def _mono() -> float:
    return time.monotonic()


def start_scheduler(
    runtime: Runtime, deliverers: Sequence[Deliverer], **kwargs: Any
) -> SchedulerService:
    """Start electing and, once leading, scheduling and dispatching; `.stop()` it when the
    app shuts down. For `perfbot serve`: every replica calls this, one leads and the others
    stand by; pass `loop=asyncio.get_running_loop()` when the deliverers' clients belong
    to the app's loop (the dispatcher then runs there), `dispatch=False` to keep your own."""
    return SchedulerService(runtime, deliverers, **kwargs).start()
