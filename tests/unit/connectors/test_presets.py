"""Every bundled preset is a valid source once given a base URL."""

from __future__ import annotations

import pytest

from connectors.config import parse_sources
from connectors.presets import load_preset, preset_names

EXPECTED = {
    "attendance_leave": ("link_header", "oauth2_client_credentials", {"leave_days"}),
    "erp_invoices": ("page", "api_key", {"invoiced"}),
    "erp_payments": ("page", "api_key", {"collected"}),
    "hubspot_deals": ("cursor", "bearer", {"sales_amount"}),
    "jira_issues": ("offset", "basic", {"tasks_done", "bugs"}),
    "zendesk_csat": ("next_url", "basic", {"csat_good", "csat_bad"}),
}


def test_names() -> None:
    assert set(preset_names()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_preset_validates(name: str) -> None:
    [cfg] = parse_sources([{"name": "s", "preset": name, "base_url": "https://example.com"}])
    paging, auth, metrics = EXPECTED[name]
    assert cfg.pagination.type == paging and cfg.auth.type == auth
    assert {m.name for m in cfg.mapping.metrics} == metrics
    assert cfg.fetch_one is not None


def test_load_preset_returns_a_copy() -> None:
    load_preset("hubspot_deals")["endpoint"]["path"] = "/changed"
    assert load_preset("hubspot_deals")["endpoint"]["path"] == "/crm/v3/objects/deals/search"
    with pytest.raises(KeyError):
        load_preset("salesforce")
