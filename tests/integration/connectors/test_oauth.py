"""OAuth2 client credentials against a live token endpoint: cached, renewed, refreshed on 401."""

from __future__ import annotations

import pytest

from connectors.http import SourceError
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import connect, drain, expected, totals


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_is_fetched_once_for_a_whole_sync(vendor: FakeVendor) -> None:
    with connect(vendor, "attendance_leave") as connector:
        run = drain(connector)
    assert run.pages == 10
    assert vendor.token_requests == 1
    assert totals(run.facts) == expected(vendor.data, "attendance_leave")


def test_token_is_renewed_before_it_expires(vendor: FakeVendor) -> None:
    vendor.token_ttl = 300  # the client renews 60 s early, at 240 s
    clock = Clock()
    with connect(vendor, "attendance_leave", clock=clock) as connector:
        pages = connector.pages(None)
        next(pages)
        clock.now += 239
        next(pages)
        assert vendor.token_requests == 1
        clock.now += 2
        next(pages)
        assert vendor.token_requests == 2


def test_revoked_token_is_refreshed_once_on_401(vendor: FakeVendor) -> None:
    with connect(vendor, "attendance_leave") as connector:
        pages = connector.pages(None)
        run_records = list(next(pages).records)
        vendor.revoke_tokens()
        for page in pages:
            run_records += page.records
    assert vendor.token_requests == 2
    assert len(run_records) == len(vendor.data["leaves"])


def test_persistent_401_fails_after_one_refresh(vendor: FakeVendor) -> None:
    vendor.token_ttl = 0  # every token is dead on arrival
    with connect(vendor, "attendance_leave") as connector, pytest.raises(SourceError) as caught:
        drain(connector)
    assert caught.value.status == 401
    assert vendor.token_requests == 2


def test_token_endpoint_outage_is_retried(vendor: FakeVendor) -> None:
    vendor.inject("status", "/oauth/token", status=503, times=2)
    with connect(vendor, "attendance_leave") as connector:
        run = drain(connector)
    assert totals(run.facts) == expected(vendor.data, "attendance_leave")


def test_client_secret_in_the_request_body(vendor: FakeVendor) -> None:
    auth = {"client_auth": "body"}
    with connect(vendor, "attendance_leave", auth=auth) as connector:
        run = drain(connector)
    assert totals(run.facts) == expected(vendor.data, "attendance_leave")
