"""Score rows for the demo's seeded figures, through the real scoring functions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from scoring.bands import band_for
from scoring.scorecard import ScoringConfig, load_scoring_config, score
from store.models import Employee, Period, Score


def load_config(path: Path) -> ScoringConfig:
    """The scoring configuration (scorecards, bands, incentive rules) from YAML."""
    return load_scoring_config(yaml.safe_load(path.read_text(encoding="utf-8")))


def make_score_fn(config: ScoringConfig, sources: dict[str, tuple[str, str]]) -> Any:
    """A function building a Score row with a breakdown snapshot for one person and period."""

    def build(
        emp: Employee,
        period: Period,
        actuals: dict[str, Decimal],
        targets: dict[str, Decimal],
        rating: int | None,
        now: datetime,
    ) -> Score:
        card = config.scorecards[emp.scorecard or ""]
        result = score(card, actuals, targets, {"manager_rating": rating})
        band = band_for(result.total, config.bands)
        dims = [
            {
                "metric": d.metric,
                "label": d.label,
                "weight": str(d.weight),
                "direction": next(x.direction for x in card.dimensions if x.metric == d.metric),
                "actual": None if d.actual is None else str(d.actual),
                "target": None if d.target is None else str(d.target),
                "attainment": None if d.attainment is None else str(d.attainment),
                "points": str(d.points),
                "facts": 0 if d.metric == "manager_rating" else 1,
                "sources": ["manager"] if d.metric == "manager_rating" else [sources[d.metric][0]],
                "fetched_at": now.isoformat(),
            }
            for d in result.dimensions
        ]
        return Score(
            employee_id=emp.id,
            period_id=period.id,
            total=result.total,
            coverage=result.coverage,
            band=band,
            computed_at=now,
            breakdown={
                "scorecard": card.key,
                "total": str(result.total),
                "coverage": str(result.coverage),
                "band": band,
                "dimensions": dims,
            },
        )

    return build
