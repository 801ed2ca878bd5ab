"""Every preset syncs exactly the source's records from a live fake server, faults or not."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from connectors.http import SourceError
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import PRESETS, Sleeps, connect, drain, expected, totals

LIST_PATHS = {
    "hubspot_deals": "/crm/v3/objects/deals/search",
    "zendesk_csat": "/api/v2/satisfaction_ratings",
    "erp_invoices": "/api/invoices",
    "erp_payments": "/api/payments",
    "jira_issues": "/rest/api/3/search",
    "attendance_leave": "/api/leaves",
}
REJECTED = {"hubspot_deals": 4, "jira_issues": 2}  # no amount / no owner / unassigned


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_yields_exactly_the_source_records(vendor: FakeVendor, preset: str) -> None:
    with connect(vendor, preset) as connector:
        run = drain(connector)
    assert totals(run.facts) == expected(vendor.data, preset)
    assert len(run.rejected) == REJECTED.get(preset, 0)
    assert all(reason for _, reason in run.rejected)
    assert max(Counter(run.fetched).values()) == 1  # nothing yielded twice
    assert run.pages > 3


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_survives_every_fault_mid_sync(vendor: FakeVendor, preset: str) -> None:
    path = LIST_PATHS[preset]
    # in turn, each after one good answer; the 503 hits the retry of the 500's page
    vendor.inject("status", path, skip=1, status=500)
    vendor.inject("status", path, status=503)
    vendor.inject("status", path, skip=1, status=429, retry_after="2")
    vendor.inject("slow", path, skip=1, delay=0.5)
    vendor.inject("reset", path, skip=1)
    vendor.inject("truncated", path, skip=1)
    vendor.inject("malformed", path, skip=1)
    sleeps = Sleeps()
    with connect(vendor, preset, sleep=sleeps, pagination={"size": 10}) as connector:
        run = drain(connector)
    assert [f.times for f in vendor.faults] == [0] * 7, "every fault was served"
    assert totals(run.facts) == expected(vendor.data, preset)
    assert max(Counter(run.fetched).values()) == 1
    assert len(sleeps) == 7
    assert 2.0 in sleeps  # Retry-After honoured, not replaced by backoff


def test_retry_after_as_http_date(vendor: FakeVendor) -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    vendor.inject("status", "/api/invoices", status=503, retry_after=format_datetime(when, True))
    sleeps = Sleeps()
    with connect(vendor, "erp_invoices", sleep=sleeps) as connector:
        drain(connector)
    assert len(sleeps) == 1 and 27 < sleeps[0] <= 30


def test_gives_up_after_the_attempt_cap_with_a_clear_error(vendor: FakeVendor) -> None:
    vendor.inject("status", "/api/invoices", skip=1, status=502, times=100)
    sleeps = Sleeps()
    with connect(vendor, "erp_invoices", sleep=sleeps) as connector:
        run_pages = connector.pages(None)
        next(run_pages)
        with pytest.raises(SourceError) as caught:
            next(run_pages)
    assert caught.value.source == "erp-invoices"
    assert caught.value.status == 502
    assert "gave up after 6 attempts" in str(caught.value)
    assert "HTTP 502" in str(caught.value)
    assert len(sleeps) == 5


def test_gives_up_when_retry_after_exceeds_the_budget(vendor: FakeVendor) -> None:
    vendor.inject("status", "/api/leaves", status=429, retry_after="3600")
    sleeps = Sleeps()
    with (
        connect(vendor, "attendance_leave", sleep=sleeps) as connector,
        pytest.raises(SourceError, match="retry budget spent"),
    ):
        drain(connector)
    assert sleeps == []  # no point sleeping an hour to fail anyway


def test_read_timeouts_are_retried_then_reported(vendor: FakeVendor) -> None:
    vendor.inject("slow", "/rest/api/3/search", delay=0.5, times=2)
    retry = {"max_attempts": 2}
    with (
        connect(vendor, "jira_issues", retry=retry) as connector,
        pytest.raises(SourceError, match=r"timeout \(ReadTimeout\)"),
    ):
        drain(connector)


def test_client_errors_are_not_retried(vendor: FakeVendor) -> None:
    sleeps = Sleeps()
    endpoint = {"path": "/api/nothing"}
    with (
        connect(vendor, "erp_invoices", sleep=sleeps, endpoint=endpoint) as connector,
        pytest.raises(SourceError) as caught,
    ):
        drain(connector)
    assert caught.value.status == 404 and sleeps == []


def test_server_capping_page_size_loses_nothing(vendor: FakeVendor) -> None:
    # Jira returns at most 50 issues whatever maxResults asks for
    with connect(vendor, "jira_issues", pagination={"size": 100}) as connector:
        run = drain(connector)
    assert totals(run.facts) == expected(vendor.data, "jira_issues")
    assert any("maxResults=100" in path for _, path in vendor.requests)


def test_zendesk_offset_paging_via_next_page(vendor: FakeVendor) -> None:
    paging = {"size_param": "per_page", "size": 25}
    with connect(vendor, "zendesk_csat", pagination=paging) as connector:
        run = drain(connector)
    assert totals(run.facts) == expected(vendor.data, "zendesk_csat")
    assert any("page=2" in path for _, path in vendor.requests)


@pytest.mark.parametrize(
    ("preset", "record_id", "metric", "collection"),
    [
        ("hubspot_deals", "9001", "sales_amount", "deals"),
        ("zendesk_csat", "5002", "csat_bad", "ratings"),
        ("erp_invoices", "3", "invoiced", "invoices"),
        ("erp_payments", "4", "collected", "payments"),
        ("jira_issues", "10002", "bugs", "issues"),
        ("attendance_leave", "2", "leave_days", "leaves"),
    ],
)
def test_fetch_one_refetches_a_disputed_record(
    vendor: FakeVendor, preset: str, record_id: str, metric: str, collection: str
) -> None:
    with connect(vendor, preset) as connector:
        one = connector.fetch_one(record_id, metric)
        missing = connector.fetch_one("999999")
        full = drain(connector).facts
    assert one is not None and missing is None
    assert one == full[(record_id, metric)]
    raw = next(r for r in vendor.data[collection] if str(r["id"]) == record_id)
    assert one.raw == raw


def test_links_point_at_the_source_record(vendor: FakeVendor) -> None:
    with connect(vendor, "hubspot_deals") as hubspot, connect(vendor, "jira_issues") as jira:
        deal = next(iter(drain(hubspot).facts.values()))
        issue = next(iter(drain(jira).facts.values()))
    assert deal.link == f"https://app.hubspot.com/contacts/4242/deal/{deal.record_id}"
    assert issue.link == f"{vendor.url}/browse/{issue.raw['key']}"
