"""Scorecards: weighted dimensions per role, read from YAML, and the score they give.

The arithmetic, exactly (store/ reproduces it in SQL; keep the two in step):

    a_d      attainment of dimension d in percent, NULL = no data
             (scoring.attainment.attainment documents every edge case):
             higher: NULL if actual or target is NULL or target <= 0, else
                     ROUND_HALF_UP(LEAST(GREATEST(actual * 100 / target, 0), cap), 2)
             lower:  NULL if actual or target is NULL or negative; cap if actual = 0;
                     0 if target = 0; else ROUND_HALF_UP(LEAST(target * 100 / actual, cap), 2)
             rating: on the scale low..high (default 1..5 -> 0, 25, 50, 75, 100):
                     ROUND_HALF_UP((rating - low) * 100 / (high - low), 2)
                     (NULL = no rating; no target)
    p_d      = ROUND_HALF_UP(weight_d * a_d / 100, 2), or 0.00 when a_d is NULL.
    coverage = SUM(weight_d) over dimensions whose a_d is not NULL (weights sum to 100).
    total    = ROUND_HALF_UP(SUM(p_d) * 100 / coverage, 2) when coverage > 0, else 0.00.
    formula  (optional) then replaces total with ROUND_HALF_UP(formula, 2), evaluated
             with total, coverage, att_<metric> (0 when NULL) and pts_<metric>.

Points are rounded per dimension BEFORE summing, and the total is re-normalised over
the dimensions with data, so a missing rating doesn't punish anyone. All values are
non-negative, so SQL ROUND(numeric, 2) (half away from zero) matches; never use float.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from scoring.attainment import HUNDRED, ZERO, attainment, rating_attainment, round2
from scoring.bands import Band
from scoring.config import (
    ConfigError,
    Dimension,
    Problem,
    RatingScale,
    Scorecard,
    ScoringConfig,
    load_scoring_config,
)
from scoring.formula import evaluate

# The configuration types live in scoring.config; they are re-exported here so
# callers import everything about scorecards from one place.
__all__ = [
    "Band",
    "ConfigError",
    "Dimension",
    "DimensionResult",
    "Problem",
    "RatingScale",
    "ScoreResult",
    "Scorecard",
    "ScoringConfig",
    "formula_values",
    "load_scoring_config",
    "score",
]


@dataclass(frozen=True)
class DimensionResult:
    """One dimension's line on a score card; label falls back to the metric name."""

    metric: str
    label: str
    weight: Decimal
    actual: Decimal | None
    target: Decimal | None  # None for ratings: a rating has no target
    attainment: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class ScoreResult:
    """A total (after any formula), the weight that had data, and each dimension."""

    total: Decimal
    coverage: Decimal
    dimensions: tuple[DimensionResult, ...]


def score(
    card: Scorecard,
    actuals: Mapping[str, Decimal | None],
    targets: Mapping[str, Decimal | None],
    ratings: Mapping[str, int | None] | None = None,
    scale: RatingScale = RatingScale(),
) -> ScoreResult:
    """Score one employee with the arithmetic in the module docstring; ratings keyed by metric.

    Raises FormulaError if the scorecard's formula cannot be computed (e.g. division by zero).
    """
    rows = tuple(_dimension(d, actuals, targets, ratings or {}, scale) for d in card.dimensions)
    coverage = sum((row.weight for row in rows if row.attainment is not None), Decimal(0))
    points = sum((row.points for row in rows), ZERO)
    total = round2(points * HUNDRED / coverage) if coverage > 0 else ZERO
    if card.formula:
        values = {"total": total, "coverage": coverage}
        for row in rows:
            values |= formula_values(row.metric, row.attainment, row.points)
        total = evaluate(card.formula, values)
    return ScoreResult(total, coverage, rows)


def formula_values(metric: str, attainment: Decimal | None, points: Decimal) -> dict[str, Decimal]:
    """A dimension's variables in a scorecard formula: att_<metric> (0 without data) and
    pts_<metric>."""
    return {f"att_{metric}": ZERO if attainment is None else attainment, f"pts_{metric}": points}


def _dimension(
    dim: Dimension,
    actuals: Mapping[str, Decimal | None],
    targets: Mapping[str, Decimal | None],
    ratings: Mapping[str, int | None],
    scale: RatingScale,
) -> DimensionResult:
    if dim.kind == "rating":
        rating = ratings.get(dim.metric)
        actual, target = (None if rating is None else Decimal(rating)), None
        percent = rating_attainment(rating, scale.low, scale.high)
    else:
        actual, target = actuals.get(dim.metric), targets.get(dim.metric)
        percent = attainment(actual, target, dim.direction, dim.cap)
    points = ZERO if percent is None else round2(dim.weight * percent / HUNDRED)
    return DimensionResult(
        dim.metric, dim.label or dim.metric, dim.weight, actual, target, percent, points
    )
