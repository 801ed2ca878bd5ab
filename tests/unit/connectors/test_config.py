"""sources.yaml: presets with overrides, and every error reported at once with its key path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connectors.config import ConfigError, load_sources, parse_sources, sources_path

GOOD = """
sources:
  - name: crm
    preset: hubspot_deals
    vars: {portal: "123"}
    pagination: {size: 50}
  - name: books
    base_url: https://erp.example.com/
    auth: {type: api_key, header: X-Token, key_env: BOOKS_KEY}
    endpoint: {path: /api/v1/invoices, query: {since: "{since}"}}
    incremental: {field: modified}
    pagination: {type: page, size_param: limit, size: 200}
    records_path: items
    mapping:
      record_id: number
      employee: {field: rep, kind: external_id}
      date: {field: issued, format: "%d.%m.%Y"}
      metric: invoiced
      value: total
metrics:
  sales: {agg: sum, facts: [sales_amount]}
"""


def errors_of(data: Any, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_sources(data, environ=environ)
    return caught.value.errors


def test_loads_presets_with_overrides_and_explicit_sources(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    crm, books = load_sources(path, environ={"HUBSPOT_TOKEN": "t", "BOOKS_KEY": "k"})
    assert crm.preset == "hubspot_deals" and crm.base_url == "https://api.hubapi.com"
    assert crm.pagination.size == 50 and crm.pagination.location == "body"  # rest kept
    assert crm.pagination.type == "cursor"
    assert books.base_url == "https://erp.example.com"
    assert books.mapping.metrics[0].name == "invoiced" and books.mapping.metrics[0].value == "total"
    assert books.mapping.employee.kind == "external_id"


def test_a_differently_typed_block_replaces_the_preset_one() -> None:
    entry = {
        "name": "erp",
        "preset": "erp_invoices",
        "base_url": "https://erp.example.com",
        "auth": {"type": "bearer", "token_env": "ERP_TOKEN"},
        "mapping": {"metric": "billed", "value": "amount"},
    }
    [cfg] = parse_sources([entry])
    assert cfg.auth.type == "bearer"
    assert [m.name for m in cfg.mapping.metrics] == ["billed"]
    assert cfg.mapping.record_id == "id"  # the rest of the preset mapping stays


def test_every_error_is_reported_with_its_path() -> None:
    data = {
        "sources": [
            {"name": "ok", "preset": "zendesk_csat", "base_url": "https://x.zendesk.com"},
            {
                "name": "b",
                "preset": "erp_invoices",
                "base_url": "ftp://x",
                "auth": {"type": "bearer"},
            },
            {"name": "c", "preset": "nope"},
            {
                "name": "d",
                "preset": "jira_issues",
                "base_url": "https://j",
                "mapping": {"valeu": 1},
                "pagination": {"size": 0},
            },
            {
                "name": "ok",
                "preset": "attendance_leave",
                "base_url": "https://a",
                "timezone": "Mars/Base",
            },
            "not a mapping",
        ],
        "sourcse": [],
    }
    assert errors_of(data, environ={"ZENDESK_USERNAME": "u"}) == [
        "sourcse: unknown top-level key",
        "sources[0].auth.password_env: environment variable ZENDESK_API_TOKEN is not set",
        "sources[1].base_url: should start with http:// or https://",
        "sources[1].auth.token_env: field required",
        "sources[2].preset: unknown preset 'nope' (attendance_leave, erp_invoices, erp_payments,"
        " hubspot_deals, jira_issues, zendesk_csat)",
        "sources[3].pagination.size: input should be greater than or equal to 1",
        "sources[3].mapping.valeu: extra inputs are not permitted",
        "sources[4].timezone: unknown time zone 'Mars/Base'",
        "sources[5]: should be a mapping",
    ]


def test_missing_required_keys_of_an_explicit_source() -> None:
    errors = errors_of([{"name": "Bad Name", "base_url": "https://x"}])
    assert errors == [
        "sources[0].name: string should match pattern '^[a-z][a-z0-9_-]*$'",
        "sources[0].endpoint: field required",
        "sources[0].pagination: field required",
        "sources[0].mapping: field required",
    ]


def test_cross_checks_placeholders_body_paging_and_duplicates() -> None:
    entry = {
        "name": "x",
        "base_url": "https://x",
        "endpoint": {"path": "/{tenant}/items", "query": {"from": "{since}"}},
        "pagination": {"type": "cursor", "in": "body", "token_path": "next"},
        "mapping": {"record_id": "id", "employee": "e", "date": "d", "metric": "m", "value": 1},
    }
    assert errors_of([entry, entry]) == [
        "sources[0].endpoint: placeholder {since} is unknown (set incremental)",
        "sources[0].endpoint: placeholder {tenant} is unknown (define it under vars)",
        "sources[0].pagination.in: body paging needs endpoint.method POST",
        "sources[1].endpoint: placeholder {since} is unknown (set incremental)",
        "sources[1].endpoint: placeholder {tenant} is unknown (define it under vars)",
        "sources[1].pagination.in: body paging needs endpoint.method POST",
        "sources[1].name: duplicate source name 'x'",
    ]


def test_union_and_condition_errors_point_at_the_key() -> None:
    entry = {
        "name": "x",
        "preset": "erp_payments",
        "base_url": "https://x",
        "pagination": {"type": "pages"},
        "mapping": {"void": [{"field": "status"}], "metrics": [{"value": [1]}]},
    }
    errors = errors_of([entry])
    assert errors[0].startswith("sources[0].pagination: input tag 'pages' found using 'type'")
    assert errors[1:] == [
        "sources[0].mapping.void[0]: give exactly one of in, not_in",
        "sources[0].mapping.metrics[0].value: input should be a valid string; input should be a"
        " valid integer; input should be a valid number",
    ]


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_sources(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: [unclosed\n")
    with pytest.raises(ConfigError, match="line 3"):
        load_sources(bad)
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ConfigError, match="sources: should be a list"):
        load_sources(empty)


def test_secrets_are_named_never_given() -> None:
    entry = {"name": "x", "preset": "hubspot_deals", "auth": {"token": "pasted-secret"}}
    with pytest.raises(ConfigError) as caught:
        parse_sources([entry])
    assert caught.value.errors == ["sources[0].auth.token: extra inputs are not permitted"]
    assert "pasted-secret" not in str(caught.value)  # pydantic's input_value is not echoed


def test_sources_path_precedence() -> None:
    env = {"PERFBOT_SOURCES": "/etc/perfbot/sources.yaml"}
    assert sources_path("mine.yaml", env) == Path("mine.yaml")
    assert sources_path(None, env) == Path("/etc/perfbot/sources.yaml")
    assert sources_path(None, {}) == Path("sources.yaml")
