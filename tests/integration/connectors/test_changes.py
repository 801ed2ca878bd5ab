"""A record that changes at the source between two syncs is updated, voided or moved, not added."""

from __future__ import annotations

from decimal import Decimal

from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import connect, drain, expected, totals


def test_hubspot_incremental_sync_picks_up_changed_deals(vendor: FakeVendor) -> None:
    with connect(vendor, "hubspot_deals") as connector:
        run = drain(connector)
    vendor.update("deals", "9001", {"properties.amount": "999.99"})
    vendor.update("deals", "9002", {"properties.hubspot_owner_id": "104"})
    with connect(vendor, "hubspot_deals") as connector:
        run.fetched.clear()
        drain(connector, run.checkpoint, into=run)
    assert totals(run.facts) == expected(vendor.data, "hubspot_deals")
    assert run.facts[("9001", "sales_amount")].value == Decimal("999.99")
    assert run.facts[("9002", "sales_amount")].employee_key == "104"
    # only what changed since the watermark came back (>= also returns the newest old deal)
    changed = {record_id for record_id, _ in run.fetched}
    assert {"9001", "9002"} <= changed and len(changed) <= 3


def test_erp_void_and_amount_change_between_runs(vendor: FakeVendor) -> None:
    with connect(vendor, "erp_invoices") as connector:
        run = drain(connector)
    first_checkpoint = run.checkpoint
    vendor.update("invoices", 2, {"amount": "10.00"})
    vendor.update("invoices", 3, {"status": "void"})
    with connect(vendor, "erp_invoices") as connector:
        run.fetched.clear()
        drain(connector, first_checkpoint, into=run)
    assert totals(run.facts) == expected(vendor.data, "erp_invoices")
    assert run.facts[("3", "invoiced")].void
    changed = {record_id for record_id, _ in run.fetched}
    assert {"2", "3"} <= changed and len(changed) <= 3


def test_zendesk_rating_changing_from_good_to_bad_moves_between_metrics(vendor: FakeVendor) -> None:
    with connect(vendor, "zendesk_csat") as connector:
        run = drain(connector)
    assert not run.facts[("5000", "csat_good")].void
    vendor.update("ratings", 5000, {"score": "bad"})
    with connect(vendor, "zendesk_csat") as connector:
        drain(connector, run.checkpoint, into=run)  # None: ratings are re-read in full
    assert totals(run.facts) == expected(vendor.data, "zendesk_csat")
    assert run.facts[("5000", "csat_good")].void
    assert not run.facts[("5000", "csat_bad")].void


def test_jira_issue_retyped_as_bug_with_lookback(vendor: FakeVendor) -> None:
    with connect(vendor, "jira_issues") as connector:
        run = drain(connector)
    vendor.update("issues", "10001", {"fields.issuetype": {"name": "Bug"}})
    with connect(vendor, "jira_issues") as connector:
        run.fetched.clear()
        drain(connector, run.checkpoint, into=run)
    assert totals(run.facts) == expected(vendor.data, "jira_issues")
    assert run.facts[("10001", "tasks_done")].void
    assert not run.facts[("10001", "bugs")].void
    assert len(run.fetched) < 20  # a day of lookback, not the whole project


def test_rejected_record_keeps_its_id_for_the_engine(vendor: FakeVendor) -> None:
    vendor.update("deals", "9001", {"properties.amount": None})
    with connect(vendor, "hubspot_deals") as connector:
        run = drain(connector)
        ids = {connector.record_id_of(raw) for raw, _ in run.rejected}
    assert "9001" in ids
    assert ("9001", "sales_amount") not in run.facts
