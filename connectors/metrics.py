"""Metric definitions: an aggregation over facts, compiled to a storage-neutral spec."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from connectors import strings as cs
from connectors.config import ConfigError, format_errors, read_yaml
from said import Said

Aggregation = Literal["sum", "count", "avg", "ratio"]


class MetricDef(BaseModel):
    """One entry under `metrics:`; sum/count/avg read `facts`, ratio reads both sides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agg: Aggregation
    facts: list[str] = []
    numerator: list[str] = []
    denominator: list[str] = []
    scale: Decimal = Decimal(1)  # e.g. 100 to show a ratio as a percentage
    unit: str | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _operands(self) -> MetricDef:
        if self.agg == "ratio" and (self.facts or not self.numerator or not self.denominator):
            raise ValueError(Said(cs.RATIO_PARTS))
        if self.agg != "ratio" and (not self.facts or self.numerator or self.denominator):
            raise ValueError(Said(cs.NEEDS_FACTS, agg=self.agg))
        return self


@dataclass(frozen=True, slots=True)
class Term:
    """SUM(value) or COUNT(*) over the non-void facts whose metric is one of `facts`."""

    op: Literal["sum", "count"]
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """value = numerator / denominator * scale (no denominator: numerator * scale)."""

    name: str
    numerator: Term
    denominator: Term | None
    scale: Decimal = Decimal(1)
    unit: str | None = None
    label: str | None = None

    @property
    def facts(self) -> frozenset[str]:
        """Every fact metric this metric reads."""
        terms = [self.numerator, *([self.denominator] if self.denominator else [])]
        return frozenset(f for t in terms for f in t.facts)


def compile_metric(name: str, definition: MetricDef) -> MetricSpec:
    """The terms a store must aggregate per employee and period, and how to combine them."""
    facts = tuple(definition.facts)
    num, den = {
        "sum": (Term("sum", facts), None),
        "count": (Term("count", facts), None),
        "avg": (Term("sum", facts), Term("count", facts)),
        "ratio": (
            Term("sum", tuple(definition.numerator)),
            Term("sum", tuple(definition.denominator)),
        ),
    }[definition.agg]
    return MetricSpec(name, num, den, definition.scale, definition.unit, definition.label)


def combine(
    spec: MetricSpec, numerator: Decimal, denominator: Decimal | None = None
) -> Decimal | None:
    """The metric's value from its aggregated terms; None when the denominator is zero."""
    if spec.denominator is None:
        return numerator * spec.scale
    if not denominator:
        return None  # no invoices, no rated tickets: undefined, not zero
    return numerator / denominator * spec.scale


DEFAULT_METRICS: dict[str, dict[str, Any]] = {
    "sales": {"agg": "sum", "facts": ["sales_amount"], "label": "Sales"},
    "deals_won": {"agg": "count", "facts": ["sales_amount"], "label": "Deals won"},
    "csat": {
        "agg": "ratio",
        "numerator": ["csat_good"],
        "denominator": ["csat_good", "csat_bad"],
        "scale": 100,
        "unit": "%",
        "label": "Customer satisfaction",
    },
    "collection_rate": {
        "agg": "ratio",
        "numerator": ["collected"],
        "denominator": ["invoiced"],
        "scale": 100,
        "unit": "%",
        "label": "Collection rate",
    },
    "tasks_done": {"agg": "sum", "facts": ["tasks_done"], "label": "Tasks done"},
    "bug_rate": {
        "agg": "ratio",
        "numerator": ["bugs"],
        "denominator": ["tasks_done"],
        "scale": 100,
        "unit": "%",
        "label": "Bug rate",
    },
    "leave_days": {"agg": "sum", "facts": ["leave_days"], "unit": "days", "label": "Leave"},
}


def parse_metrics(data: Any, *, origin: str = "metrics") -> dict[str, MetricSpec]:
    """Validate a `metrics:` mapping (name -> definition); every error reported with its path."""
    if not isinstance(data, dict):
        raise ConfigError([Said(cs.METRICS_NOT_MAPPING)], origin=origin)
    specs, errors = {}, []
    for name, raw in data.items():
        try:
            specs[name] = compile_metric(str(name), MetricDef.model_validate(raw))
        except ValidationError as exc:
            errors += format_errors(exc, raw, f"metrics.{name}")
    if errors:
        raise ConfigError(errors, origin=origin)
    return specs


def load_metrics(path: str | Path | None = None) -> dict[str, MetricSpec]:
    """The `metrics:` section of sources.yaml over the defaults (defaults alone without a path)."""
    data = read_yaml(path) if path else None
    section = data.get("metrics") if isinstance(data, dict) else None
    return parse_metrics({**DEFAULT_METRICS, **(section or {})}, origin=str(path or "metrics"))
