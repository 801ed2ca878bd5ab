"""Pushed records: signed ones become facts (and scores), everything else writes nothing."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from bot.ingest.app import build_app
from connectors.push import sign
from store.models import AuditEvent, Employee, MetricFact, Score, UnmatchedRecord

SECRET = "s3cret-for-erp-push"
ENV = {"PERFBOT_INGEST_SECRET_ERP_PUSH": SECRET}
ANA = "ana.li@acme.example"


def records(**changes: Any) -> list[dict[str, Any]]:
    base = {
        "id": "INV-900",
        "employee": ANA,
        "metric": "sales_amount",
        "value": "250000.50",
        "date": "2026-11-18",
        "link": "https://erp.example/invoices/INV-900",
    }
    return [{**base, **changes}]


class Client:
    """Requests straight into the ASGI app (the real server is tested in tests/e2e)."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as c:
                return await c.request(method, path, **options)

        return asyncio.run(go())


def post(
    client: Client,
    body: Any,
    *,
    secret: str = SECRET,
    at: float | None = None,
    source: str = "erp-push",
    content_type: str = "application/json",
) -> httpx.Response:
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    stamp = str(int(time.time() if at is None else at))
    headers = {
        "X-Perfbot-Timestamp": stamp,
        "X-Perfbot-Signature": sign(secret.encode(), stamp, raw),
        "Content-Type": content_type,
    }
    return client.request("POST", f"/ingest/{source}", content=raw, headers=headers)


@pytest.fixture
def client(demo):  # type: ignore[no-untyped-def]
    return Client(build_app(demo.uow, demo.scoring, ENV))


def state(demo) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Facts of the pushing source, audit events, set-aside records: what a push may write."""
    with demo.uow() as uow:
        s = uow.session
        facts = s.scalar(select(func.count()).where(MetricFact.source == "erp-push"))
        events = s.scalar(select(func.count()).select_from(AuditEvent))
        aside = s.scalar(select(func.count()).select_from(UnmatchedRecord))
    return int(facts or 0), int(events or 0), int(aside or 0)


def ana_total(demo) -> Decimal:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        return uow.session.scalar(
            select(Score.total)
            .join(Employee, Employee.id == Score.employee_id)
            .where(Employee.email == ANA)
            .order_by(Score.period_id.desc())
        )


def test_a_signed_push_becomes_facts_rescores_and_a_replay_changes_nothing(demo, client) -> None:
    before = ana_total(demo)
    answer = post(client, {"records": records()})
    assert answer.status_code == 200, answer.text
    counts = {"received": 1, "new": 1, "changed": 0, "voided": 0, "unmatched": 0}
    assert answer.json() == {"source": "erp-push", **counts}
    assert ana_total(demo) > before  # her November sales went up, so did her score
    facts, events, _ = state(demo)
    replay = post(client, {"records": records()})
    assert replay.status_code == 200 and replay.json()["new"] == 0
    assert replay.json()["changed"] == 0
    assert state(demo)[0] == facts == 1
    assert state(demo)[1] == events + 1  # each accepted push is audited once
    changed = post(client, records(value=1000))  # a bare list works too
    assert changed.json()["changed"] == 1
    voided = post(client, records(void=True))
    assert voided.json()["voided"] == 1
    with demo.uow() as uow:
        fact = uow.session.scalar(select(MetricFact).where(MetricFact.source == "erp-push"))
    assert fact is not None and fact.void and fact.link == "https://erp.example/invoices/INV-900"


@pytest.mark.parametrize(
    "how, status",
    [
        ("forged", 401),
        ("stale", 401),
        ("future", 401),
        ("unknown source", 401),
        ("unsigned", 401),
        ("not json", 400),
        ("bad record", 400),
        ("wrong type", 415),
    ],
)
def test_a_refused_push_writes_nothing(demo, client, how: str, status: int) -> None:
    before = state(demo)
    body: Any = {"records": records()}
    if how == "forged":
        answer = post(client, body, secret="guessed")
    elif how == "stale":
        answer = post(client, body, at=time.time() - 301)
    elif how == "future":
        answer = post(client, body, at=time.time() + 301)
    elif how == "unknown source":
        answer = post(client, body, source="crm")
    elif how == "unsigned":
        answer = client.request("POST", "/ingest/erp-push", json=body)
    elif how == "not json":
        answer = post(client, b'{"records": [')
    elif how == "bad record":
        body = {"records": [*records(), *records(id="INV-901", value="12k"), {"id": 3}]}
        answer = post(client, body)
        problems = answer.json()["problems"]
        assert problems[0].startswith("records[1]: bad value at value")
        assert problems[1].startswith("records[2]: ")
    else:
        answer = post(client, body, content_type="text/plain")
    assert answer.status_code == status, answer.text
    assert state(demo) == before


def test_an_unknown_employee_is_kept_aside_and_reported(demo, client) -> None:
    answer = post(client, records(employee="nobody@acme.example"))
    assert answer.status_code == 200 and answer.json()["unmatched"] == 1
    with demo.uow() as uow:
        kept = uow.session.scalar(select(UnmatchedRecord))
    assert kept is not None and kept.reason == "no employee with e-mail nobody@acme.example"


def test_by_external_id_and_health(demo, client) -> None:
    record = {k: v for k, v in records()[0].items() if k != "employee"}
    answer = post(client, [record | {"employee_id": "SALEAS-001"}])  # Ana Li's id in the org
    assert answer.status_code == 200 and answer.json()["new"] == 1
    with demo.uow() as uow:
        owner = uow.session.scalar(
            select(Employee.email)
            .join(MetricFact, MetricFact.employee_id == Employee.id)
            .where(MetricFact.source == "erp-push")
        )
    assert owner == ANA
    assert client.request("GET", "/healthz").text == "ok"


def test_tabs_newlines_and_backslashes_survive_the_bulk_paths(demo, client) -> None:
    awkward = records(id="INV\t9\\x\n", link="https://erp.example/a\\b\tc")
    assert post(client, awkward).json()["new"] == 1
    with demo.uow() as uow:
        fact = uow.session.scalar(select(MetricFact).where(MetricFact.source == "erp-push"))
    assert fact is not None and fact.record_id == "INV\t9\\x\n"
    assert fact.link == "https://erp.example/a\\b\tc"
    assert fact.raw is not None and fact.raw["id"] == "INV\t9\\x\n"
    assert post(client, awkward).json()["changed"] == 0  # and the hash still matches
