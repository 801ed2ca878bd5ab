"""Helpers for sync-engine tests: the fake vendor's people as employees, stored totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from store.facts_upsert import live_totals
from store.models import Branch, Employee, MetricFact, UnmatchedRecord
from store.uow import UnitOfWork
from tests.integration.connectors.vendor_data import EMAILS

# HubSpot owners and Zendesk agents are numbers in their own id spaces: one employee each
OWNERS = ["101", "102", "103", "104"]
AGENTS = ["201", "202", "203", "204"]


def seed_people(
    uow: UnitOfWork, *, skip_emails: tuple[str, ...] = (), skip_ids: tuple[str, ...] = ()
) -> None:
    """Employees for the vendor's e-mails and external ids (minus the ones to leave unknown)."""
    with uow:
        branch = Branch(name="HQ", timezone="UTC", is_hq=True)
        uow.session.add(branch)
        uow.session.flush()
        people: list[tuple[str, str | None]] = [
            (e.lower(), None) for e in EMAILS if e.lower() not in skip_emails
        ]
        people += [(f"owner{x}@example.com", x) for x in OWNERS if x not in skip_ids]
        people += [(f"agent{x}@example.com", x) for x in AGENTS if x not in skip_ids]
        for email, external in people:
            uow.session.add(
                Employee(email=email, name=email, branch_id=branch.id, external_id=external)
            )
        uow.commit()


def stored(uow: UnitOfWork, source: str) -> dict[str, tuple[int, Decimal]]:
    with uow:
        return live_totals(uow.session, source)


def rounded(totals: dict[str, tuple[int, Decimal]]) -> dict[str, tuple[int, Decimal]]:
    return {m: (n, s.quantize(Decimal("0.0001"))) for m, (n, s) in totals.items()}


def fact_count(uow: UnitOfWork, source: str) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).where(MetricFact.source == source)) or 0)


def unmatched(uow: UnitOfWork, source: str) -> list[dict[str, Any]]:
    with uow:
        rows = uow.session.scalars(
            select(UnmatchedRecord)
            .where(UnmatchedRecord.source == source)
            .order_by(UnmatchedRecord.record_id, UnmatchedRecord.metric)
        ).all()
        return [
            {"record_id": r.record_id, "metric": r.metric, "key": r.employee_key, "why": r.reason}
            for r in rows
        ]
