"""The scheduler's own /metrics (PERFBOT_METRICS_PORT's listener): leader, heartbeat, sync
runs, records and errors by source, and sweep results, as its jobs run."""

from __future__ import annotations

import os

from sqlalchemy import select

from bot import scheduler_jobs as jobs
from bot.scheduler import SchedulerService
from connectors.sync import SyncReport, SyncSummary
from store.models import SchedulerLeader
from tests.fakes.ports import free_port
from tests.fakes.scrape import scrape, value
from tests.integration.outbox.support import FakePlatform
from tests.integration.scheduler.test_scheduler import behind, wait_for

__all__ = ["behind"]  # the fixture, shared with the scheduler's own tests


def test_scheduler_metrics_follow_its_jobs(behind):  # type: ignore[no-untyped-def]
    rt, o = behind
    report = SyncReport([SyncSummary(source="crm", complete=True, fetched=7),
                         SyncSummary(source="erp", errors=["erp: HTTP 500"])])  # fmt: skip

    def sync_all(uow):  # type: ignore[no-untyped-def]
        return report

    rt.settings = rt.settings.model_copy(update={"sources": "sources.yaml"})
    port = free_port()
    stop_metrics = rt.metrics.serve(port, "127.0.0.1")
    url = f"http://127.0.0.1:{port}/metrics"
    svc = SchedulerService(rt, [FakePlatform()], sync_all=sync_all).start()
    try:
        assert svc.wait_until_leading(10)
        scraped = scrape(url)
        assert value(scraped, "perfbot_scheduler_leader") == 1
        assert value(scraped, "perfbot_scheduler_heartbeat_age_seconds") >= 0
        with rt.uow() as uow:
            beat = uow.session.scalar(select(SchedulerLeader))
        assert beat.holder.endswith(f":{os.getpid()}")

        assert jobs.run_job("sync").startswith("synced")
        assert jobs.run_job("sweep", o.branches["Shanghai HQ"]).startswith("1 nudged")
        scraped = scrape(url)
        assert value(scraped, "perfbot_sync_runs_total", source="crm", outcome="ok") == 1
        assert value(scraped, "perfbot_sync_records_total", source="crm") == 7
        assert value(scraped, "perfbot_sync_runs_total", source="erp", outcome="error") == 1
        assert value(scraped, "perfbot_sync_errors_total", source="erp") == 1
        assert value(scraped, "perfbot_sweep_results_total", result="nudge") == 1
        assert value(scraped, "perfbot_sweep_results_total", result="skipped") == 0
    finally:
        svc.stop()
    try:
        assert wait_for(lambda: value(scrape(url), "perfbot_scheduler_leader") == 0)
    finally:
        stop_metrics()
