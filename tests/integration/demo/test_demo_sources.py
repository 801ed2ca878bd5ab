"""The demo's facts arrive through the real connectors from its local sample server."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from bot.demo.data import records
from bot.demo.sources import demo_configs, sources_yaml
from handlers.common import local_today
from store.models import AuditEvent, Branch, Employee, MetricFact, Period, SyncCheckpoint
from tests.conftest import NOW

SOURCES = {
    "crm", "helpdesk", "tickets", "erp-invoices", "erp-payments", "erp-output", "erp-quality",
    "jira", "attendance",
}  # fmt: skip


def test_every_demo_record_is_a_fact_synced_from_its_source(demo) -> None:
    want: dict[str, list[Decimal]] = defaultdict(list)
    with demo.uow() as uow:
        s = uow.session
        hq = s.scalar(select(Branch.id).where(Branch.is_hq))
        today = local_today(uow, hq or 1, NOW)
        people = s.execute(
            select(Employee.email, Employee.scorecard).where(Employee.scorecard.is_not(None))
        ).all()
        for p in s.scalars(select(Period)):
            for email, card in people:
                for r in records(email, card or "", p.starts_on, p.ends_on, today):
                    want[r.metric].append(r.value)
        got = {
            metric: (n, Decimal(str(total)).quantize(Decimal("0.01")))
            for metric, n, total in s.execute(
                select(MetricFact.metric, func.count(), func.sum(MetricFact.value))
                .where(MetricFact.void.is_(False))
                .group_by(MetricFact.metric)
            )
        }
        sources = set(s.scalars(select(MetricFact.source).distinct()))
        without_raw = s.scalar(select(func.count()).where(MetricFact.raw_hash.is_(None)))
        done = s.scalars(
            select(SyncCheckpoint.source).where(SyncCheckpoint.run_started_at.is_(None))
        )
        runs = s.scalar(select(func.count()).where(AuditEvent.action == "sync.run"))
    assert got == {
        m: (len(v), sum(v, Decimal(0)).quantize(Decimal("0.01"))) for m, v in want.items()
    }
    assert sources == SOURCES and set(done) == SOURCES and runs == len(SOURCES)
    assert without_raw == 0  # each fact keeps its source record's hash and a copy


def test_the_generated_configuration_uses_the_presets_and_the_scoring_fact_names() -> None:
    text = sources_yaml("http://127.0.0.1:9")
    configs = {c.name: c for c in demo_configs("http://127.0.0.1:9")}
    assert set(configs) == SOURCES and "preset: hubspot_deals" in text
    facts = {m.name for c in configs.values() for m in c.mapping.metrics if m.name is not None}
    assert facts == {
        "sales_amount", "csat_good", "csat_bad", "tickets_solved", "invoiced", "collected",
        "output_units", "defects", "tasks_done", "bugs", "shifts", "shifts_on_time",
    }  # fmt: skip
    assert all(c.base_url == "http://127.0.0.1:9" for c in configs.values())
