"""The correction fact that makes a metric equal the value a manager accepted (pure math).

A metric is numerator / denominator * scale, each side a SUM(value) or COUNT(*) over
facts of some fact metrics (connectors/metrics.py). A correction adds ONE fact of one
of those fact metrics; its value x solves

    (N + a*x + a0) / (D + b*x + b0) * scale = corrected

where a (b) is 1 when the numerator (denominator) sums that fact metric and a0 (b0)
is 1 when it counts it. With no denominator, D = 1: a plain sum gets x = corrected - N.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from store.actuals import SpecLike, TermLike

PLACES = Decimal("0.0001")  # MetricFact.value keeps 4 decimal places


class HasSpecs(Protocol):
    """The `scoring` dependency: anything that carries the metric definitions."""

    @property
    def specs(self) -> Sequence[SpecLike]: ...


@dataclass(frozen=True)
class Term:
    op: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class PlainSpec:
    """A metric with no definition: the sum of facts of the same name."""

    name: str
    numerator: Term
    denominator: Term | None = None
    scale: Decimal = Decimal(1)


def spec_for(scoring: HasSpecs | None, metric: str) -> SpecLike:
    """The definition of a scorecard metric, or a plain sum of its own facts."""
    for spec in scoring.specs if scoring is not None else ():
        if spec.name == metric:
            return spec
    return PlainSpec(metric, Term("sum", (metric,)))


def fact_metrics(spec: SpecLike) -> tuple[str, ...]:
    """Every fact metric the metric reads, numerator first."""
    den = spec.denominator.facts if spec.denominator else ()
    return tuple(dict.fromkeys((*spec.numerator.facts, *den)))


def side(term: TermLike, sums: Mapping[str, Decimal], counts: Mapping[str, int]) -> Decimal:
    """One side of the ratio from per-fact-metric sums and counts."""
    if term.op == "count":
        return Decimal(sum(counts.get(f, 0) for f in term.facts))
    return sum((sums.get(f, Decimal(0)) for f in term.facts), Decimal(0))


def current_value(
    spec: SpecLike, sums: Mapping[str, Decimal], counts: Mapping[str, int]
) -> Decimal | None:
    """The metric as the facts give it now; None when the denominator is zero."""
    num = side(spec.numerator, sums, counts)
    if spec.denominator is None:
        return num * spec.scale
    den = side(spec.denominator, sums, counts)
    return num / den * spec.scale if den else None


def correction(
    spec: SpecLike, sums: Mapping[str, Decimal], counts: Mapping[str, int], corrected: Decimal
) -> tuple[str, Decimal] | None:
    """(fact metric, value) of the correction fact; None when no single fact can do it.

    Every summed fact metric the metric reads is a candidate; one that adds a positive
    value wins (a missing deal, a missing bad rating), else the first that works.
    """
    if not spec.scale:
        return None
    goal, den_term = corrected / spec.scale, spec.denominator
    num = side(spec.numerator, sums, counts)
    den = side(den_term, sums, counts) if den_term else Decimal(1)
    found = []
    for fact in fact_metrics(spec):
        a, a0 = _moves(spec.numerator, fact)
        b, b0 = _moves(den_term, fact) if den_term else (Decimal(0), Decimal(0))
        slope = a - goal * b
        if not slope:
            continue  # this fact can't move the value (a count, or 100% of itself)
        x = (goal * (den + b0) - num - a0) / slope
        if den_term and den + b * x + b0 == 0:
            continue
        found.append((fact, x.quantize(PLACES)))
    positive = [f for f in found if f[1] > 0]
    return (positive or found)[0] if found else None


def _moves(term: TermLike, fact: str) -> tuple[Decimal, Decimal]:
    """How one more fact of value x moves a side: (coefficient of x, constant)."""
    if fact not in term.facts:
        return Decimal(0), Decimal(0)
    return (Decimal(1), Decimal(0)) if term.op == "sum" else (Decimal(0), Decimal(1))
