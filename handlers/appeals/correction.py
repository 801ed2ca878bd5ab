"""An accepted appeal's correction: an explicit adjustment of one figure (R4), and the
metric definitions an appeal reads its figure with.

A correction stores the figure before and after, who accepted it, on which appeal and
why; scoring uses the corrected value in place of what the facts give, and the source's
records stay exactly as the source sent them (no made-up records).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from handlers.actor import Actor
from store.actuals import SpecLike, TermLike
from store.corrections import NewCorrection
from store.models import Appeal, FigureCorrection
from store.uow import UnitOfWork


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


def record_correction(
    uow: UnitOfWork,
    appeal: Appeal,
    *,
    rating: bool,
    spec: SpecLike,
    figures: tuple[Decimal | None, Decimal],
    actor: Actor,
    note: str,
) -> FigureCorrection:
    """Store the accepted figure as a correction in force (any earlier one of the same
    figure stays on record, no longer in force); audited by the caller with the appeal."""
    new = NewCorrection(
        employee_id=appeal.employee_id,
        period_id=appeal.period_id,
        metric=appeal.metric,
        kind="rating" if rating else "metric",
        value_before=figures[0],
        value_after=figures[1],
        appeal_id=appeal.id,
        by_id=actor.employee_id,
        note=note,
    )
    return uow.appeals.add_correction(new, None if rating else spec, uow.clock())
