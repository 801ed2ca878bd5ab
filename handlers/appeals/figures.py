"""The figure under appeal: its scorecard line, its source records and the facts' totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from handlers.appeals.correction import current_value, fact_metrics
from handlers.metric_names import NoMetric, of_breakdown, resolve
from handlers.praise.contribution import is_rating
from store.actuals import SpecLike
from store.models import FigureCorrection, ManagerRating, MetricFact, Period
from store.uow import UnitOfWork

SHOWN_RECORDS = 10


@dataclass(frozen=True)
class Disputed:
    """One metric of one person in one period, with the records behind it."""

    metric: str
    label: str
    dim: dict[str, Any]  # the scorecard line from Score.breakdown ({} without a score)
    spec: SpecLike
    facts: tuple[MetricFact, ...]  # the latest SHOWN_RECORDS
    count: int
    sums: dict[str, Decimal]
    counts: dict[str, int]
    rating: ManagerRating | None = None  # a rating dimension: the manager's rating
    correction: FigureCorrection | None = None  # the correction in force, if any
    unit: str = ""  # its goal's (`CNY`): money reads as money where the reader writes it so

    @property
    def is_rating(self) -> bool:
        return is_rating(self.dim)

    @property
    def current(self) -> Decimal | None:
        """The figure as it stands now: corrected, rated, or as the stored facts give it."""
        if self.correction is not None:
            return self.correction.value_after
        if self.is_rating:
            return None if self.rating is None else Decimal(self.rating.rating)
        return current_value(self.spec, self.sums, self.counts)

    @property
    def snapshot(self) -> Decimal | None:
        """The figure as the person's stored score shows it."""
        actual = self.dim.get("actual")
        return None if actual is None else Decimal(str(actual))


def pick_dimension(breakdown: dict[str, Any], word: str) -> dict[str, Any] | NoMetric:
    """The scorecard line a typed metric means (its key, its label, the label in the
    reader's language or a unique prefix), else the lines it could have meant."""
    found = resolve(word, of_breakdown(breakdown))
    if isinstance(found, NoMetric):
        return found
    dims: list[dict[str, Any]] = breakdown["dimensions"]
    return next(d for d in dims if d["metric"] == found.key)


def metric_labels(
    uow: UnitOfWork, employee_id: int, period_ids: Iterable[int]
) -> dict[tuple[int, str], str]:
    """(period id, metric) -> the label people know it by, from the person's scores."""
    found = uow.appeals.breakdowns_by_period(employee_id, period_ids)
    return {
        (pid, d["metric"]): str(d.get("label") or d["metric"])
        for pid, breakdown in found.items()
        for d in breakdown.get("dimensions", [])
    }


def label_of(uow: UnitOfWork, employee_id: int, period_id: int, metric: str) -> str:
    """One metric's label (the metric's name when no score names it)."""
    return metric_labels(uow, employee_id, [period_id]).get((period_id, metric), metric)


def load_disputed(
    uow: UnitOfWork, spec: SpecLike, employee_id: int, period: Period, dim: dict[str, Any]
) -> Disputed:
    """The figure's records (latest first) and per-fact-metric sums, from non-void facts;
    for a rating, the manager's rating. With the correction in force, if any."""
    fix = uow.appeals.corrections(employee_id, period.id).get(spec.name)
    label = str(dim.get("label") or spec.name)
    if is_rating(dim):
        rated = uow.appeals.rating(employee_id, period.id)
        return Disputed(spec.name, label, dim, spec, (), 0, {}, {}, rated, fix)
    feeds = fact_metrics(spec)
    facts = uow.appeals.latest_facts(employee_id, feeds, period, SHOWN_RECORDS)
    rows = uow.appeals.fact_totals(employee_id, feeds, period)
    sums = {m: Decimal(str(s or 0)) for m, s, _ in rows}
    counts = {m: int(n) for m, _, n in rows}
    return Disputed(
        metric=spec.name,
        label=label,
        dim=dim,
        spec=spec,
        facts=tuple(facts),
        count=sum(counts.values()),
        sums=sums,
        counts=counts,
        correction=fix,
        unit=uow.scores.units(employee_id, period.id).get(spec.name, ""),
    )
