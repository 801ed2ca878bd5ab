"""The manager's rating scale: configurable (rating_scale, default 1-5), linear onto 0-100."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scoring.attainment import rating_attainment
from scoring.config import ConfigError, RatingScale, load_scoring_config
from scoring.scorecard import Dimension, Scorecard, score

D = Decimal
CARD = {
    "dimensions": [
        {"metric": "sales", "weight": 90},
        {"metric": "r", "weight": 10, "kind": "rating"},
    ]
}


def _config(**extra: Any) -> dict[str, Any]:
    return {"scorecards": {"rep": CARD}, "bands": [{"name": "ok", "min": 0}], **extra}


@pytest.mark.parametrize(
    ("rating", "low", "high", "expected"),
    [(1, 1, 10, "0"), (4, 1, 10, "33.33"), (7, 1, 10, "66.67"), (10, 1, 10, "100"),
     (0, 0, 10, "0"), (5, 0, 10, "50"), (2, 1, 3, "50"), (2, 1, 4, "33.33")],
)  # fmt: skip
def test_any_scale_maps_linearly_and_rounds_half_up(
    rating: int, low: int, high: int, expected: str
) -> None:
    assert rating_attainment(rating, low, high) == D(expected)


@pytest.mark.parametrize(("rating", "low", "high"), [(0, 1, 10), (11, 1, 10), (5, 1, 4)])
def test_off_the_scale_raises(rating: int, low: int, high: int) -> None:
    with pytest.raises(ValueError, match=f"{low} to {high}"):
        rating_attainment(rating, low, high)


def test_a_scale_needs_low_below_high() -> None:
    with pytest.raises(ValueError, match="low < high"):
        rating_attainment(3, 5, 5)


def test_default_scale_is_one_to_five() -> None:
    config = load_scoring_config(_config())
    assert config.rating_scale == RatingScale(1, 5)
    assert config.rating_scale.values == (1, 2, 3, 4, 5)


def test_scale_from_yaml_scores_the_rating_dimension() -> None:
    config = load_scoring_config(_config(rating_scale={"min": 0, "max": 10}))
    assert config.rating_scale == RatingScale(0, 10) and len(config.rating_scale.values) == 11
    card = config.scorecards["rep"]
    result = score(card, {"sales": D(100)}, {"sales": D(100)}, {"r": 7}, config.rating_scale)
    assert result.dimensions[1].attainment == D("70.00") and result.dimensions[1].points == D(
        "7.00"
    )
    assert result.total == D("97.00")


@pytest.mark.parametrize(
    ("scale", "problem"),
    [
        ({"min": 5, "max": 5}, "rating_scale: needs min < max and at most 11 steps, e.g. 1-5"),
        ({"min": 1, "max": 20}, "rating_scale: needs min < max and at most 11 steps, e.g. 1-5"),
        ({"min": -1, "max": 5}, "rating_scale.min: must be a whole number of at least 0"),
        ({"min": 1, "max": 4.5}, "rating_scale.max: must be a whole number of at least 1"),
        ({"low": 1}, "rating_scale.low: unknown key; expected one of: max, min"),
        ([1, 5], "rating_scale: must be a mapping of names to values"),
    ],
)
def test_a_bad_scale_is_reported_with_its_path(scale: Any, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_scoring_config(_config(rating_scale=scale))
    assert problem in [str(p) for p in caught.value.problems]


def test_scorecard_default_scale_is_unchanged() -> None:
    card = Scorecard("c", (Dimension("r", D(100), kind="rating"),))
    assert score(card, {}, {}, {"r": 4}).total == D("75.00")
