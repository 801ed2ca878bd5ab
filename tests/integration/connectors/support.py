"""Helpers for syncing from the fake vendor: build a connector, drain it, total what it gave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from connectors.config import SourceConfig, parse_sources
from connectors.records import SourceRecord
from connectors.rest import RestConnector
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.vendor_data import ENV

# small pages, so every sync crosses many page boundaries (and faults land mid-sync)
PAGE_SIZES = {
    "hubspot_deals": 25,
    "zendesk_csat": 20,
    "erp_invoices": 20,
    "erp_payments": 20,
    "jira_issues": 30,
    "attendance_leave": 10,
}
PRESETS = list(PAGE_SIZES)


class Sleeps(list[float]):
    """An injected sleep: records the delays and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source_config(vendor: FakeVendor, preset: str, **overrides: Any) -> SourceConfig:
    entry: dict[str, Any] = {
        "name": preset.replace("_", "-"),
        "preset": preset,
        "base_url": vendor.url,
        "pagination": {"size": PAGE_SIZES[preset]},
        "timeouts": {"connect": 1, "read": 0.3},
        "retry": {"base_delay": 0.001, "max_delay": 0.01, "max_attempts": 6},
        "vars": {"portal": "4242"},
    }
    for key, value in overrides.items():
        entry[key] = {**entry[key], **value} if isinstance(entry.get(key), dict) else value
    return parse_sources([entry], environ=ENV)[0]


def connect(
    vendor: FakeVendor,
    preset: str,
    *,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
    **overrides: Any,
) -> RestConnector:
    """A connector for a preset pointed at the fake vendor, sleeping only in the test's mind."""
    options: dict[str, Any] = {"sleep": Sleeps() if sleep is None else sleep}
    if clock is not None:
        options["clock"] = clock
    config = source_config(vendor, preset, **overrides)
    return RestConnector.from_config(config, environ=ENV, **options)


@dataclass
class Run:
    facts: dict[tuple[str, str], SourceRecord] = field(default_factory=dict)
    rejected: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    checkpoint: str | None = None
    pages: int = 0
    fetched: list[tuple[str, str]] = field(default_factory=list)


def drain(
    connector: RestConnector,
    checkpoint: str | None = None,
    *,
    into: Run | None = None,
    stop_after: int | None = None,
) -> Run:
    """Consume pages like the sync engine will: upsert on (record id, metric), keep checkpoints."""
    run = into or Run()
    run.checkpoint = checkpoint
    for page in connector.pages(checkpoint):
        run.pages += 1
        for record in page.records:
            run.facts[(record.record_id, record.metric)] = record
            run.fetched.append((record.record_id, record.metric))
        run.rejected += page.rejected
        run.checkpoint = page.checkpoint
        if stop_after and run.pages == stop_after:
            break
    return run


def totals(facts: dict[tuple[str, str], SourceRecord]) -> dict[str, tuple[int, Decimal]]:
    """Count and sum of the live (non-void) facts per metric."""
    out: dict[str, tuple[int, Decimal]] = {}
    for record in facts.values():
        if not record.void:
            count, total = out.get(record.metric, (0, Decimal(0)))
            out[record.metric] = (count + 1, total + record.value)
    return out


def _sum(rows: list[Any], value: Callable[[Any], Any]) -> tuple[int, Decimal]:
    return len(rows), sum((Decimal(str(value(r))) for r in rows), Decimal(0))


def expected(data: dict[str, list[dict[str, Any]]], preset: str) -> dict[str, tuple[int, Decimal]]:
    """What each preset must yield, computed straight from the vendor's data."""
    if preset == "hubspot_deals":
        won = [
            d["properties"] for d in data["deals"] if d["properties"]["dealstage"] == "closedwon"
        ]
        ok = [p for p in won if p["amount"] and p["hubspot_owner_id"]]
        return {"sales_amount": _sum(ok, lambda p: p["amount"])}
    if preset == "zendesk_csat":
        good = [r for r in data["ratings"] if r["score"] == "good"]
        bad = [r for r in data["ratings"] if r["score"] == "bad"]
        return {"csat_good": _sum(good, lambda r: 1), "csat_bad": _sum(bad, lambda r: 1)}
    if preset == "erp_invoices":
        live = [r for r in data["invoices"] if r["status"] != "void"]
        return {"invoiced": _sum(live, lambda r: r["amount"])}
    if preset == "erp_payments":
        live = [r for r in data["payments"] if r["status"] != "reversed"]
        return {"collected": _sum(live, lambda r: r["amount"])}
    if preset == "jira_issues":
        done = [
            i["fields"]
            for i in data["issues"]
            if i["fields"]["status"]["name"] == "Done" and i["fields"]["assignee"]
        ]
        bugs = [f for f in done if f["issuetype"]["name"] == "Bug"]
        tasks = [f for f in done if f["issuetype"]["name"] != "Bug"]
        return {"tasks_done": _sum(tasks, lambda f: 1), "bugs": _sum(bugs, lambda f: 1)}
    approved = [r for r in data["leaves"] if r["status"] == "approved"]
    return {"leave_days": _sum(approved, lambda r: r["days"])}
