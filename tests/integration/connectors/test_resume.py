"""Resuming from a page checkpoint yields exactly the records not yet yielded."""

from __future__ import annotations

import pytest

from connectors.http import SourceError
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import PRESETS, Run, connect, drain, expected, totals


@pytest.mark.parametrize("preset", PRESETS)
def test_resume_yields_exactly_the_remaining_records(vendor: FakeVendor, preset: str) -> None:
    with connect(vendor, preset) as connector:
        full = drain(connector)
    with connect(vendor, preset) as connector:
        first = drain(connector, stop_after=2)
    assert first.checkpoint is not None
    with connect(vendor, preset) as connector:  # a new process: only the checkpoint survives
        rest = drain(connector, first.checkpoint)
    assert not set(first.fetched) & set(rest.fetched)
    assert sorted(first.fetched + rest.fetched) == sorted(full.fetched)
    assert rest.pages == full.pages - 2


@pytest.mark.parametrize("preset", ["hubspot_deals", "zendesk_csat", "jira_issues"])
def test_sync_broken_mid_way_resumes_from_last_checkpoint(vendor: FakeVendor, preset: str) -> None:
    path = {
        "hubspot_deals": "/crm",
        "zendesk_csat": "/api/v2",
        "jira_issues": "/rest",
    }[preset]
    vendor.inject("status", path, skip=3, status=503, times=50)
    run = Run()
    with (
        connect(vendor, preset, retry={"max_attempts": 2}) as connector,
        pytest.raises(SourceError),
    ):
        drain(connector, into=run)
    assert run.pages == 3
    vendor.faults.clear()
    with connect(vendor, preset) as connector:
        drain(connector, run.checkpoint, into=run)
    assert totals(run.facts) == expected(vendor.data, preset)
    assert len(run.fetched) == len(set(run.fetched))


def test_a_checkpoint_that_is_not_ours_is_refused(vendor: FakeVendor) -> None:
    with connect(vendor, "erp_invoices") as connector, pytest.raises(SourceError):
        drain(connector, '{"unexpected": 1}')
