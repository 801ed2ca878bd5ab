"""Neutral records a connector yields: one fact candidate per (record, metric)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

EmployeeKeyKind = Literal["email", "external_id"]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One metric value of one source record, with what is needed to trace it back."""

    source: str
    record_id: str
    metric: str
    value: Decimal
    occurred_on: date
    employee_key: str
    employee_key_kind: EmployeeKeyKind
    link: str | None
    # hash=False: the raw payload is a dict, and identity is (source, record_id, metric)
    raw: dict[str, Any] = field(hash=False, repr=False)
    void: bool = False
    updated_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The idempotency key facts are upserted on."""
        return (self.source, self.record_id, self.metric)


@dataclass(frozen=True)
class Page:
    """One page of a sync: mapped records, rejected raw records with reasons, and where to resume.

    For each record id, `records` holds every metric that record maps to (a metric whose
    condition no longer holds comes back with `void=True`), so upserting a page is enough.
    """

    records: list[SourceRecord]
    checkpoint: str | None
    rejected: list[tuple[dict[str, Any], str]] = field(default_factory=list)
