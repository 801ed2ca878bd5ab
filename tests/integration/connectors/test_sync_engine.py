"""The sync engine stores exactly the source's records, whatever the source does mid-sync."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from connectors.sync import sync_source
from store.models import AuditEvent, Employee, MetricFact, SyncCheckpoint
from store.sync_lock import SyncBusy, run_lock
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import PRESETS, connect, expected
from tests.integration.connectors.sync_support import fact_count, rounded, seed_people, stored

SOURCE = {p: p.replace("_", "-") for p in PRESETS}
LIST_PATHS = {
    "hubspot_deals": "/crm/v3/objects/deals/search",
    "zendesk_csat": "/api/v2/satisfaction_ratings",
    "erp_invoices": "/api/invoices",
    "erp_payments": "/api/payments",
    "jira_issues": "/rest/api/3/search",
    "attendance_leave": "/api/leaves",
}


def run(vendor, runtime, preset, **options):  # type: ignore[no-untyped-def]
    overrides = options.pop("overrides", {})
    with connect(vendor, preset, **overrides) as connector:
        return sync_source(connector, runtime.uow, batch_size=options.pop("batch", 40), **options)


@pytest.mark.parametrize("preset", PRESETS)
def test_a_sync_stores_the_source_exactly_and_a_second_changes_nothing(
    vendor: FakeVendor, runtime, preset: str
) -> None:
    seed_people(runtime.uow())
    first = run(vendor, runtime, preset)
    assert first.complete and not first.errors
    assert stored(runtime.uow(), SOURCE[preset]) == rounded(expected(vendor.data, preset))
    assert first.new > 0 and first.changed == 0 and first.unmatched == 0
    rows = fact_count(runtime.uow(), SOURCE[preset])
    again = run(vendor, runtime, preset)
    assert (again.new, again.changed, again.voided) == (0, 0, 0)
    assert fact_count(runtime.uow(), SOURCE[preset]) == rows
    with runtime.uow() as uow:
        events = uow.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == SOURCE[preset])
        ).all()
    assert events == ["sync.run", "sync.run"]  # one event per run, not per fact


@pytest.mark.parametrize("preset", ["hubspot_deals", "zendesk_csat", "attendance_leave"])
def test_every_fault_mid_sync_still_ends_with_the_exact_source(
    vendor: FakeVendor, runtime, preset: str
) -> None:
    seed_people(runtime.uow())
    path = LIST_PATHS[preset]
    vendor.inject("status", path, skip=1, status=500)
    vendor.inject("status", path, skip=1, status=429, retry_after="1")
    vendor.inject("slow", path, skip=1, delay=0.5)  # longer than the 0.3 s read timeout
    vendor.inject("reset", path, skip=1)
    vendor.inject("truncated", path, skip=1)
    vendor.inject("malformed", path, skip=1)
    summary = run(vendor, runtime, preset, overrides={"pagination": {"size": 10}}, batch=25)
    assert [f.times for f in vendor.faults] == [0] * 6, "every fault was served"
    assert summary.complete and summary.batches > 2
    assert stored(runtime.uow(), SOURCE[preset]) == rounded(expected(vendor.data, preset))


@pytest.mark.parametrize("preset", ["hubspot_deals", "jira_issues", "zendesk_csat"])
def test_a_sync_that_gives_up_mid_way_resumes_from_its_last_batch(
    vendor: FakeVendor, runtime, preset: str
) -> None:
    seed_people(runtime.uow())
    vendor.inject("status", LIST_PATHS[preset], skip=4, status=503, times=50)
    broken = run(vendor, runtime, preset, overrides={"retry": {"max_attempts": 2}}, batch=30)
    assert not broken.complete and "HTTP 503" in broken.errors[0]
    kept = fact_count(runtime.uow(), SOURCE[preset])
    assert kept > 0  # the batches before the failure are committed
    vendor.faults.clear()
    requests_before = len(vendor.requests)
    resumed = run(vendor, runtime, preset, batch=30)
    assert resumed.complete and resumed.resumed
    assert stored(runtime.uow(), SOURCE[preset]) == rounded(expected(vendor.data, preset))
    # it went on from the checkpoint instead of reading everything again
    assert len(vendor.requests) - requests_before < broken.pages + resumed.pages
    with runtime.uow() as uow:
        actions = uow.session.scalars(select(AuditEvent.action)).all()
        cp = uow.session.get(SyncCheckpoint, SOURCE[preset])
    assert actions == ["sync.failed", "sync.run"]
    assert cp is not None and cp.run_started_at is None and cp.stats["last"]["complete"]


def test_changes_between_syncs_update_move_and_void_facts(vendor: FakeVendor, runtime) -> None:
    seed_people(runtime.uow())
    run(vendor, runtime, "hubspot_deals")
    run(vendor, runtime, "erp_invoices")
    vendor.update("deals", "9001", {"properties.amount": "999.99"})
    vendor.update("deals", "9002", {"properties.hubspot_owner_id": "104"})
    vendor.update("invoices", 3, {"status": "void"})
    deals = run(vendor, runtime, "hubspot_deals")
    invoices = run(vendor, runtime, "erp_invoices")
    assert (deals.new, deals.changed, deals.voided) == (0, 2, 0)
    assert (invoices.new, invoices.changed, invoices.voided) == (0, 0, 1)
    assert stored(runtime.uow(), "hubspot-deals") == rounded(expected(vendor.data, "hubspot_deals"))
    assert stored(runtime.uow(), "erp-invoices") == rounded(expected(vendor.data, "erp_invoices"))
    with runtime.uow() as uow:
        fact = uow.session.scalar(select(MetricFact).where(MetricFact.record_id == "9001"))
        moved = uow.session.scalar(select(MetricFact).where(MetricFact.record_id == "9002"))
        void = uow.session.scalar(
            select(MetricFact).where(
                MetricFact.source == "erp-invoices", MetricFact.record_id == "3"
            )
        )
        owner = uow.session.scalar(select(Employee.id).where(Employee.external_id == "104"))
    assert fact is not None and Decimal(str(fact.value)) == Decimal("999.99")
    assert fact.raw is not None and fact.raw["properties"]["amount"] == "999.99"
    assert moved is not None and moved.employee_id == owner and not moved.void
    assert void is not None and void.void


def test_a_deleted_record_is_voided_by_a_full_sync_only(vendor: FakeVendor, runtime) -> None:
    seed_people(runtime.uow())
    run(vendor, runtime, "zendesk_csat")
    gone = next(r for r in vendor.data["ratings"] if r["score"] == "good")
    vendor.data["ratings"].remove(gone)
    plain = run(vendor, runtime, "zendesk_csat")
    assert plain.voided == 0  # a source that cannot say "deleted" keeps its facts...
    full = run(vendor, runtime, "zendesk_csat", full=True)
    assert full.full and full.voided == 1  # ...until a full run does not see the record
    assert stored(runtime.uow(), "zendesk-csat") == rounded(expected(vendor.data, "zendesk_csat"))
    with runtime.uow() as uow:
        fact = uow.session.scalar(
            select(MetricFact).where(
                MetricFact.record_id == str(gone["id"]), MetricFact.metric == "csat_good"
            )
        )
    assert fact is not None and fact.void  # marked, not deleted


def test_a_second_sync_of_the_same_source_is_refused_while_one_runs(
    vendor: FakeVendor, runtime
) -> None:
    seed_people(runtime.uow())
    with run_lock(runtime.engine, "erp-invoices"), pytest.raises(SyncBusy):
        run(vendor, runtime, "erp_invoices")
    assert run(vendor, runtime, "erp_invoices").complete  # free again afterwards
