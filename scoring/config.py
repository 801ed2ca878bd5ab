"""The scoring configuration: scorecards, bands and incentive rules, read from parsed YAML.

`load_scoring_config` checks everything and reports ALL problems at once in one
ConfigError, each with a path such as "scorecards.sales_rep.dimensions[2].weight".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from said import Said, joined, said_of
from scoring import _parse
from scoring import strings as ss
from scoring.attainment import Direction
from scoring.bands import Band, parse_bands
from scoring.formula import FormulaError, formula_names, validate_formula
from scoring.incentives import IncentiveRule, parse_incentives

_METRIC = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # formulas refer to att_<metric>
_DIMENSION_KEYS = ("metric", "weight", "direction", "cap", "kind", "label", "public")


@dataclass(frozen=True)
class Dimension:
    """One weighted part of a scorecard; weight is in percent of the whole."""

    metric: str
    weight: Decimal
    direction: Direction = "higher"
    cap: Decimal = Decimal(120)
    kind: Literal["metric", "rating"] = "metric"
    label: str = ""
    # Whether the figure may appear in a public post (praise in the recognition channel).
    # Private unless marked: attendance, defect and similar rates are nobody else's business.
    public: bool = False


@dataclass(frozen=True)
class Scorecard:
    """The dimensions a role is scored on, and an optional final-score formula."""

    key: str
    dimensions: tuple[Dimension, ...]
    formula: str | None = None

    def public_metrics(self) -> frozenset[str]:
        """The metrics whose figures may be shown in public (`public: true`)."""
        return frozenset(d.metric for d in self.dimensions if d.public)


@dataclass(frozen=True)
class RatingScale:
    """The manager's rating: whole numbers from `low` to `high` (`rating_scale`, default 1-5)."""

    low: int = 1
    high: int = 5

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(self.low, self.high + 1))

    def nearest(self, rating: int) -> int:
        """A rating on this scale: one off it (given on a scale since changed) counts as the
        nearest end, as the SQL scoring engine counts it."""
        return max(self.low, min(self.high, rating))


# At most this many steps (0-10): each one is a button per person on the rating card.
MAX_SCALE_STEPS = 11


@dataclass(frozen=True)
class ScoringConfig:
    """Everything read from the scoring YAML."""

    scorecards: dict[str, Scorecard]
    bands: tuple[Band, ...]
    incentives: tuple[IncentiveRule, ...]
    rating_scale: RatingScale = RatingScale()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the configuration, and where."""

    path: str
    message: str

    def __str__(self) -> str:
        return Said(ss.PROBLEM, path=self.path, message=self.message)


class ConfigError(ValueError):
    """The scoring configuration is invalid; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = joined("\n", [str(p) for p in problems], lead="  - ")
        super().__init__(Said(ss.PROBLEMS, n=len(problems), lines=lines))


def load_scoring_config(data: Mapping[str, Any]) -> ScoringConfig:
    """Build a ScoringConfig from the parsed YAML, or raise ConfigError listing every problem."""
    problems: list[Problem] = []

    def report(path: str, message: str) -> None:
        problems.append(Problem(path, message))

    root = _parse.mapping(data, "(top level)", report)
    if root is None:
        raise ConfigError(problems)
    _parse.known_keys(root, ("scorecards", "bands", "incentives", "rating_scale"), "", report)
    scorecards: dict[str, Scorecard] = {}
    for key, raw in (_parse.mapping(root.get("scorecards"), "scorecards", report) or {}).items():
        card = _scorecard(key, raw, report)
        if card is not None:
            scorecards[key] = card
    if "scorecards" in root and not root["scorecards"]:
        report("scorecards", Said(ss.NO_SCORECARDS))
    bands = parse_bands(root.get("bands"), report)
    incentives = parse_incentives(root.get("incentives"), [b.name for b in bands], report)
    scale = _rating_scale(root.get("rating_scale"), report)
    if problems:
        raise ConfigError(problems)
    return ScoringConfig(scorecards, bands, incentives, scale or RatingScale())


def _rating_scale(raw: object, report: _parse.Report) -> RatingScale | None:
    """`rating_scale: {min: 1, max: 5}`: whole numbers, min below max, at most 11 steps."""
    if raw is None:
        return None
    fields = _parse.mapping(raw, "rating_scale", report)
    if fields is None:
        return None
    _parse.known_keys(fields, ("min", "max"), "rating_scale", report)
    low = _parse.whole(fields.get("min", 1), "rating_scale.min", report, minimum=0)
    high = _parse.whole(fields.get("max", 5), "rating_scale.max", report, minimum=1)
    if low is None or high is None:
        return None
    if not low < high or high - low + 1 > MAX_SCALE_STEPS:
        report("rating_scale", Said(ss.BAD_SCALE, steps=MAX_SCALE_STEPS))
        return None
    return RatingScale(low, high)


def _scorecard(key: str, raw: object, report: _parse.Report) -> Scorecard | None:
    path = f"scorecards.{key}"
    fields = _parse.mapping(raw, path, report)
    if fields is None:
        return None
    _parse.known_keys(fields, ("dimensions", "formula"), path, report)
    entries = _parse.items(fields.get("dimensions"), f"{path}.dimensions", report) or []
    dims = [_dimension(entry, f"{path}.dimensions[{i}]", report) for i, entry in enumerate(entries)]
    if not entries:
        report(f"{path}.dimensions", Said(ss.NO_DIMENSIONS))
    metrics = [d.metric for d in dims if d is not None]
    for metric in sorted({m for m in metrics if metrics.count(m) > 1}):
        report(f"{path}.dimensions", Said(ss.METRIC_TWICE, metric=metric))
    weights = [d.weight for d in dims if d is not None]
    if entries and len(weights) == len(entries) and sum(weights) != 100:
        report(f"{path}.dimensions", Said(ss.WEIGHTS_SUM, total=sum(weights)))
    formula = fields.get("formula")
    if formula is not None and not isinstance(formula, str):
        report(f"{path}.formula", Said(ss.FORMULA_TEXT))
    elif formula is not None:
        try:
            validate_formula(formula, formula_names(metrics))
        except FormulaError as exc:
            report(f"{path}.formula", said_of(exc) or str(exc))
    if len(metrics) != len(entries):
        return None
    return Scorecard(key, tuple(d for d in dims if d is not None), formula or None)


def _dimension(raw: object, path: str, report: _parse.Report) -> Dimension | None:
    fields = _parse.mapping(raw, path, report)
    if fields is None:
        return None
    _parse.known_keys(fields, _DIMENSION_KEYS, path, report)
    metric = _parse.text(fields, "metric", path, report)
    if metric is not None and not _METRIC.match(metric):
        report(f"{path}.metric", Said(ss.METRIC_NAME))
        metric = None
    weight = _parse.number(fields.get("weight"), f"{path}.weight", report, positive=True)
    cap = _parse.number(fields.get("cap", 120), f"{path}.cap", report, positive=True)
    direction = fields.get("direction", "higher")
    kind = fields.get("kind", "metric")
    label = fields.get("label", "")
    public = fields.get("public", False)
    if direction not in ("higher", "lower"):
        report(f"{path}.direction", Said(ss.BAD_DIRECTION, direction=direction))
    if kind not in ("metric", "rating"):
        report(f"{path}.kind", Said(ss.BAD_KIND, kind=kind))
    elif kind == "rating" and direction == "lower":
        report(f"{path}.direction", Said(ss.RATING_HIGHER))
    if not isinstance(label, str):
        report(f"{path}.label", Said(ss.LABEL_TEXT))
    if not isinstance(public, bool):
        report(f"{path}.public", Said(ss.BAD_PUBLIC, public=public))
    elif public and kind == "rating":
        report(f"{path}.public", Said(ss.RATING_PRIVATE))
    valid = direction in ("higher", "lower") and kind in ("metric", "rating")
    valid = valid and isinstance(public, bool)
    if metric is None or weight is None or cap is None or not isinstance(label, str) or not valid:
        return None
    # Re-spelled as literals so the dataclass gets the narrowed Literal types.
    return Dimension(
        metric,
        weight,
        direction="lower" if direction == "lower" else "higher",
        cap=cap,
        kind="rating" if kind == "rating" else "metric",
        label=label,
        public=public,
    )
