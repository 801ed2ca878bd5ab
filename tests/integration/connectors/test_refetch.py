"""An appeal's fresh look at a record: SourceRefetch over a sources.yaml and a live source."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from connectors.config import ConfigError
from connectors.http import SourceError
from connectors.refetch import SourceRefetch
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.vendor_data import ENV


def write_sources(path: Path, vendor: FakeVendor, **extra: Any) -> Path:
    entries = [
        {"name": "crm", "preset": "hubspot_deals", "base_url": vendor.url, **extra},
        {"name": "helpdesk", "preset": "zendesk_csat", "base_url": vendor.url, "fetch_one": None},
    ]
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return path


@pytest.fixture
def refetch(tmp_path: Path, vendor: FakeVendor) -> SourceRefetch:
    path = write_sources(tmp_path / "sources.yaml", vendor)
    return SourceRefetch(path, ENV, sleep=lambda seconds: None)


def deal(vendor: FakeVendor, record_id: str) -> dict[str, Any]:
    return next(r for r in vendor.data["deals"] if r["id"] == record_id)


def test_a_record_comes_back_with_its_figure_as_the_source_has_it_now(
    refetch: SourceRefetch, vendor: FakeVendor
) -> None:
    before = refetch("crm", "9001")
    assert before == {"sales_amount": str(Decimal(deal(vendor, "9001")["properties"]["amount"]))}
    vendor.update("deals", "9001", {"properties.amount": "4321.50"})
    assert refetch("crm", "9001") == {"sales_amount": "4321.50"}


def test_a_record_the_source_dropped_or_voided_is_void(
    refetch: SourceRefetch, vendor: FakeVendor
) -> None:
    assert refetch("crm", "999999") == {"void": True}  # 404
    vendor.update("deals", "9002", {"archived": True})
    assert refetch("crm", "9002") == {"void": True}
    vendor.update("deals", "9003", {"properties.dealstage": "closedlost"})
    assert refetch("crm", "9003") == {"void": True}  # no longer a won deal: no sales figure


def test_no_connector_can_say_for_unknown_sources_or_sources_without_fetch_one(
    refetch: SourceRefetch,
) -> None:
    assert refetch("appeal:7", "1") is None
    assert refetch("helpdesk", "5002") is None


def test_a_source_that_keeps_failing_raises_soon_instead_of_retrying_for_minutes(
    refetch: SourceRefetch, vendor: FakeVendor
) -> None:
    vendor.inject("status", "/crm/v3/objects/deals/9001", status=503, times=5)
    with pytest.raises(SourceError) as caught:
        refetch("crm", "9001")
    assert caught.value.status == 503
    assert [f.times for f in vendor.faults] == [3]  # two attempts, not the sync's six


def test_an_edited_sources_file_is_read_again_and_a_broken_one_is_reported(
    tmp_path: Path, refetch: SourceRefetch, vendor: FakeVendor
) -> None:
    assert refetch("crm", "9001") is not None and refetch.path is not None
    path = write_sources(refetch.path, vendor, fetch_one=None)
    assert refetch("crm", "9001") is None
    path.write_text("sources: [{name: crm, preset: nosuch}]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nosuch"):
        refetch("crm", "9001")
