"""The demo's sources.yaml (generated for the local sample server) and the sync through it.

Bundled presets where a product has one (HubSpot, Zendesk ratings, ERP invoices and
payments, Jira); the other sources override a preset's path and mapping, as a company
would for its own systems. Fact names are the ones bot/defaults/metrics.yaml reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import yaml

from bot.demo.data import records
from bot.demo.source_server import DemoSourceServer
from bot.demo.vendor_shapes import collections
from connectors.config import SourceConfig, parse_sources
from connectors.rest import RestConnector
from connectors.sync import SyncSummary, sync_source
from store.models import Period
from store.uow import UnitOfWork

# Credentials of the demo's own sample systems (nothing real: they guard only the local server)
DEMO_ENV = {
    "HUBSPOT_TOKEN": "demo-hubspot-token",
    "ZENDESK_USERNAME": "perfbot@acme.example/token",
    "ZENDESK_API_TOKEN": "demo-zendesk-token",
    "ERP_API_KEY": "demo-erp-key",
    "JIRA_EMAIL": "perfbot@acme.example",
    "JIRA_API_TOKEN": "demo-jira-token",
    "ATTENDANCE_CLIENT_ID": "perfbot-demo",
    "ATTENDANCE_CLIENT_SECRET": "demo-attendance-secret",
}


def _erp(name: str, path: str, person: str, day: str, fact: str, amount: str) -> dict[str, Any]:
    """An ERP collection the presets do not cover: the invoices preset, another path."""
    return {
        "name": name,
        "preset": "erp_invoices",
        "endpoint": {"path": path, "query": {"updated_since": "{since}"}},
        "fetch_one": {"path": path + "/{id}", "records_path": "data"},
        "mapping": {
            "employee": {"field": person, "kind": "email"},
            "date": {"field": day, "format": "iso"},
            "link": "https://erp.acme.example/docs/{id}",
            "metrics": [{"name": fact, "value": amount}],
        },
    }


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    """sources.yaml entries pointing at the local sample server."""
    crm: dict[str, Any] = {"name": "crm", "preset": "hubspot_deals", "vars": {"portal": "acme"}}
    crm["mapping"] = {"link": "https://crm.acme.example/deals/{id}"}
    helpdesk: dict[str, Any] = {"name": "helpdesk", "preset": "zendesk_csat"}
    helpdesk["mapping"] = {"link": "https://help.acme.example/tickets/{ticket_id}"}
    tickets = {
        "name": "tickets",
        "preset": "zendesk_csat",  # Zendesk's auth; its search API for solved tickets
        "endpoint": {
            "path": "/api/v2/search.json",
            "query": {"query": "type:ticket status:solved"},
        },
        "pagination": {
            "type": "next_url",
            "url_paths": ["next_page"],
            "has_more_path": None,
            "size_param": "per_page",
        },
        "records_path": "results",
        "fetch_one": {"path": "/api/v2/tickets/{id}", "records_path": "ticket"},
        "mapping": {
            "date": {"field": "updated_at", "format": "iso"},
            "link": "https://help.acme.example/tickets/{id}",
            "void": [{"field": "status", "not_in": ["solved", "closed"]}],
            "metrics": [{"name": "tickets_solved", "value": 1}],
        },
    }
    invoices: dict[str, Any] = {"name": "erp-invoices", "preset": "erp_invoices"}
    invoices["mapping"] = {"link": "https://erp.acme.example/docs/{id}"}
    payments: dict[str, Any] = {"name": "erp-payments", "preset": "erp_payments"}
    payments["mapping"] = {"link": "https://erp.acme.example/docs/{id}"}
    jira: dict[str, Any] = {"name": "jira", "preset": "jira_issues"}
    jira["mapping"] = {"link": "https://acme.atlassian.example/browse/{key}"}
    attendance = {
        "name": "attendance",
        "preset": "attendance_leave",
        "endpoint": {"path": "/api/shifts"},
        "fetch_one": {"path": "/api/shifts/{id}"},
        "mapping": {
            "link": "https://hr.acme.example/shifts/{id}",
            "metrics": [
                {"name": "shifts", "value": 1},
                {"name": "shifts_on_time", "value": 1, "when": {"field": "on_time", "in": [True]}},
            ],
        },
    }
    entries: list[dict[str, Any]] = [
        crm,
        helpdesk,
        tickets,
        invoices,
        payments,
        _erp("erp-output", "/api/production_orders", "operator_email", "completed_on",
             "output_units", "units"),
        _erp("erp-quality", "/api/quality_inspections", "operator_email", "inspected_on",
             "defects", "defects"),
        jira,
        attendance,
    ]  # fmt: skip
    return [{**e, "base_url": base_url, "timezone": "UTC"} for e in entries]


def sources_yaml(base_url: str) -> str:
    """The generated sources.yaml, as an operator would write it."""
    return yaml.safe_dump({"sources": demo_sources(base_url)}, sort_keys=False)


def demo_configs(base_url: str) -> list[SourceConfig]:
    return parse_sources(yaml.safe_load(sources_yaml(base_url)), environ=DEMO_ENV)


def demo_collections(
    uow: Callable[[], UnitOfWork], periods: Sequence[Period], today: date
) -> dict[str, list[Any]]:
    """Every record the sample server serves for the periods, in each product's shape."""
    with uow() as u:
        people = [(e.email, e.scorecard, e.external_id) for e in u.demo.scored_people()]
    return collections(
        (r, external)
        for p in periods
        for email, card, external in people
        for r in records(email, card or "", p.starts_on, p.ends_on, today)
    )


@contextmanager
def live_sources(
    uow: Callable[[], UnitOfWork], today: date
) -> Iterator[tuple[DemoSourceServer, list[SourceConfig]]]:
    """The sample server with the demo's records of every stored period, while the demo runs
    (so an appeal card can ask the source again); with the sources configured against it."""
    with uow() as u:
        periods = u.operator.periods()
    with DemoSourceServer(demo_collections(uow, periods, today), DEMO_ENV) as server:
        yield server, demo_configs(server.url)


def sync_demo(
    uow: Callable[[], UnitOfWork], periods: list[Period], today: date
) -> list[SyncSummary]:
    """Serve every demo record from the local sample server and sync it, source by source."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per page in the demo
    with DemoSourceServer(demo_collections(uow, periods, today), DEMO_ENV) as server:
        configs = demo_configs(server.url)
        _forget(uow, [c.name for c in configs])
        summaries = []
        for config in configs:
            with RestConnector.from_config(config, DEMO_ENV) as connector:
                summaries.append(sync_source(connector, uow, actor="demo"))
    return summaries


def _forget(uow: Callable[[], UnitOfWork], names: list[str]) -> None:
    """A refreshed demo syncs from scratch: no checkpoints or set-aside records left over."""
    with uow() as u:
        u.demo.forget_sources(names)
        u.commit()
