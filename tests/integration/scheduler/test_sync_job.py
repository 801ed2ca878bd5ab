"""The scheduler's sync job runs the connectors' sync engine over sources.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot import scheduler_jobs as jobs
from connectors.sync import sync_all
from handlers.nudges.sweep_calendar import SweepPolicy
from store.models import MetricFact
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import expected
from tests.integration.connectors.sync_support import seed_people
from tests.integration.connectors.vendor_data import ENV


def test_the_sync_job_pulls_every_source_then_scores(
    runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    seed_people(runtime.uow())
    vendor = FakeVendor().start()
    try:
        path = tmp_path / "sources.yaml"
        entries = [
            {"name": "erp", "preset": "erp_invoices", "base_url": vendor.url},
            {"name": "leave", "preset": "attendance_leave", "base_url": vendor.url},
        ]
        path.write_text(yaml.safe_dump({"sources": entries}))
        runtime.settings = runtime.settings.model_copy(update={"sources": path})
        jobs.install(jobs.JobContext(runtime, SweepPolicy(), sync_all))
        try:
            outcome = jobs.run_job("sync")
        finally:
            jobs.install(None)
    finally:
        vendor.stop()
    invoices = expected(vendor.data, "erp_invoices")["invoiced"][0]
    leaves = expected(vendor.data, "attendance_leave")["leave_days"][0]
    assert outcome == (
        f"synced (erp: {invoices} new, 0 changed, 0 voided; leave: {leaves} new, 0 changed,"
        " 0 voided); no open period"
    )
    with runtime.uow() as uow:
        sources = set(uow.session.scalars(select(MetricFact.source).distinct()))
        count = uow.session.scalar(select(func.count()).select_from(MetricFact))
    assert sources == {"erp", "leave"} and count
