from decimal import Decimal
from typing import Any

import pytest
import yaml

from scoring.bands import Band
from scoring.config import ConfigError, Problem, load_scoring_config
from scoring.incentives import ConsecutiveBandRule, TopPercentRule
from scoring.scorecard import Dimension, Scorecard

D = Decimal
EXAMPLE = """
scorecards:
  sales_rep:
    dimensions:
      - {metric: sales_amount, weight: 40, direction: higher, cap: 120, label: Sales}
      - {metric: csat, weight: 20}
      - {metric: collection_rate, weight: 30}
      - {metric: manager_rating, weight: 10, kind: rating}
    formula: "min(total, 100)"
  engineer:
    dimensions:
      - {metric: tasks_done, weight: 33.4}
      - {metric: bug_rate, weight: "33.3", direction: lower, cap: 110.5}
      - {metric: features_shipped, weight: 33.3}
bands: [{name: excellent, min: 90}, {name: good, min: 75}, {name: needs_improvement, min: 0}]
incentives:
  - {name: bonus, rule: top_percent, percent: 10}
  - {name: promotion, rule: consecutive_band, band: excellent, periods: 3}
"""


def _problems(data: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_scoring_config(data)
    return [str(problem) for problem in caught.value.problems]


def _example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE)
    return data


def test_loads_the_documented_example() -> None:
    config = load_scoring_config(_example())
    assert config.scorecards["sales_rep"] == Scorecard(
        "sales_rep",
        (
            Dimension("sales_amount", D(40), "higher", D(120), "metric", "Sales"),
            Dimension("csat", D(20)),
            Dimension("collection_rate", D(30)),
            Dimension("manager_rating", D(10), kind="rating"),
        ),
        "min(total, 100)",
    )
    engineer = config.scorecards["engineer"]
    assert [d.weight for d in engineer.dimensions] == [D("33.4"), D("33.3"), D("33.3")]  # exact
    assert engineer.dimensions[1] == Dimension("bug_rate", D("33.3"), "lower", D("110.5"))
    assert engineer.formula is None
    assert config.bands == (
        Band("excellent", D(90)),
        Band("good", D(75)),
        Band("needs_improvement", D(0)),
    )
    assert config.incentives == (
        TopPercentRule("bonus", D(10)),
        ConsecutiveBandRule("promotion", "excellent", 3),
    )


def test_incentives_are_optional() -> None:
    data = _example()
    del data["incentives"]
    assert load_scoring_config(data).incentives == ()


def test_collects_every_problem_with_paths() -> None:
    data = _example()
    dims = data["scorecards"]["sales_rep"]["dimensions"]
    dims[0]["direction"] = "up"
    dims[1]["weight"] = -5
    dims[2]["wieght"] = 30
    dims[2]["cap"] = 0
    dims[3]["kind"] = "survey"
    data["bands"][1]["min"] = "lots"
    data["incentives"][1]["band"] = "legendary"
    data["extra"] = True
    problems = _problems(data)
    assert problems == [
        "extra: unknown key; expected one of: bands, incentives, rating_scale, scorecards",
        "scorecards.sales_rep.dimensions[0].direction: must be higher or lower, got 'up'",
        "scorecards.sales_rep.dimensions[1].weight: must be greater than 0, got -5",
        "scorecards.sales_rep.dimensions[2].wieght: unknown key; expected one of: "
        "cap, direction, kind, label, metric, public, weight",
        "scorecards.sales_rep.dimensions[2].cap: must be greater than 0, got 0",
        "scorecards.sales_rep.dimensions[3].kind: must be metric or rating, got 'survey'",
        "bands[1].min: must be a number, got 'lots'",
        "incentives[1].band: unknown band 'legendary'; bands: excellent, needs_improvement",
    ]


def test_config_error_message_lists_problems() -> None:
    error = ConfigError([Problem("bands", "must be a list"), Problem("scorecards", "x")])
    assert str(error) == (
        "2 problem(s) in the scoring configuration:\n  - bands: must be a list\n  - scorecards: x"
    )
    assert isinstance(error, ValueError)


def test_weights_must_sum_to_exactly_100() -> None:
    data = _example()
    data["scorecards"]["engineer"]["dimensions"][0]["weight"] = "33.39"
    assert _problems(data) == [
        "scorecards.engineer.dimensions: weights sum to 99.99, must be exactly 100"
    ]


def test_float_weights_are_read_exactly() -> None:
    data = _example()
    dims = data["scorecards"]["engineer"]["dimensions"]
    dims[0]["weight"], dims[1]["weight"], dims[2]["weight"] = (
        0.1,
        0.2,
        99.7,
    )  # 0.1 + 0.2 != 0.3 in float
    assert load_scoring_config(data).scorecards["engineer"].dimensions[0].weight == D("0.1")


def test_bad_formula_is_reported_with_its_path() -> None:
    data = _example()
    data["scorecards"]["sales_rep"]["formula"] = "__import__('os').system('id')"
    data["scorecards"]["engineer"]["formula"] = "min(total, att_nope)"
    assert _problems(data) == [
        "scorecards.sales_rep.formula: attribute access is not allowed",
        "scorecards.engineer.formula: unknown name 'att_nope'; allowed: att_bug_rate, "
        "att_features_shipped, att_tasks_done, coverage, pts_bug_rate, pts_features_shipped, "
        "pts_tasks_done, total",
    ]


def test_formula_must_be_text() -> None:
    data = _example()
    data["scorecards"]["sales_rep"]["formula"] = 100
    assert _problems(data) == ["scorecards.sales_rep.formula: must be text, e.g. 'min(total, 100)'"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"][1].update(metric="tasks_done"),
            "scorecards.engineer.dimensions: metric 'tasks_done' appears more than once",
        ),
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"][1].update(metric="bug-rate"),
            "scorecards.engineer.dimensions[1].metric: must be letters, digits and _",
        ),
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"][1].pop("metric"),
            "scorecards.engineer.dimensions[1].metric: is required",
        ),
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"][1].update(weight=True),
            "scorecards.engineer.dimensions[1].weight: must be a number",
        ),
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"][1].update(weight="nan"),
            "scorecards.engineer.dimensions[1].weight: must be a finite number",
        ),
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"][1].update(label=5),
            "scorecards.engineer.dimensions[1].label: must be text",
        ),
        (
            lambda d: d["scorecards"]["sales_rep"]["dimensions"][3].update(direction="lower"),
            "scorecards.sales_rep.dimensions[3].direction: a rating is always higher-is-better",
        ),
        (
            lambda d: d["scorecards"]["engineer"]["dimensions"].__setitem__(1, "bug_rate"),
            "scorecards.engineer.dimensions[1]: must be a mapping",
        ),
        (
            lambda d: d["scorecards"]["engineer"].update(dimensions=[]),
            "scorecards.engineer.dimensions: needs at least one dimension",
        ),
        (
            lambda d: d["scorecards"]["engineer"].update(dimension=[]),
            "scorecards.engineer.dimension: unknown key",
        ),
        (lambda d: d["scorecards"].update(engineer=None), "scorecards.engineer: must be a mapping"),
        (lambda d: d.update(scorecards={}), "scorecards: needs at least one scorecard"),
        (lambda d: d.pop("scorecards"), "scorecards: must be a mapping"),
        (lambda d: d.pop("bands"), "bands: must be a list"),
        (lambda d: d.update(bands=[]), "bands: needs at least one band"),
        (lambda d: d["bands"][2].update(min=10), "bands: the lowest band must have min 0"),
        (
            lambda d: d["bands"][2].update(name="good"),
            "bands[2].name: band 'good' is defined twice",
        ),
        (lambda d: d["bands"][2].update(min=75), "bands[2].min: another band already starts at 75"),
        (lambda d: d["bands"][0].update(colour="gold"), "bands[0].colour: unknown key"),
        (lambda d: d.update(incentives={"bonus": 1}), "incentives: must be a list"),
        (
            lambda d: d["incentives"][0].update(percent=0),
            "incentives[0].percent: must be greater than 0",
        ),
        (
            lambda d: d["incentives"][0].update(percent=101),
            "incentives[0].percent: must be at most 100",
        ),
        (lambda d: d["incentives"][0].update(band="x"), "incentives[0].band: unknown key"),
        (
            lambda d: d["incentives"][1].update(periods=0),
            "incentives[1].periods: must be a whole number",
        ),
        (
            lambda d: d["incentives"][1].update(periods=2.5),
            "incentives[1].periods: must be a whole",
        ),
        (
            lambda d: d["incentives"][1].update(rule="lottery"),
            "incentives[1].rule: unknown rule 'lottery'",
        ),
        (
            lambda d: d["incentives"][1].update(name="bonus"),
            "incentives[1].name: incentive 'bonus' is defined twice",
        ),
        (lambda d: d["incentives"][1].pop("name"), "incentives[1].name: is required"),
    ],
)
def test_single_problems(change: Any, expected: str) -> None:
    data = _example()
    change(data)
    problems = _problems(data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_top_level_must_be_a_mapping() -> None:
    assert _problems([1, 2]) == ["(top level): must be a mapping of names to values"]


def test_public_figures_are_marked_and_private_by_default() -> None:
    data = _example()
    data["scorecards"]["sales_rep"]["dimensions"][0]["public"] = True
    card = load_scoring_config(data).scorecards["sales_rep"]
    assert card.public_metrics() == frozenset({"sales_amount"})
    assert not card.dimensions[1].public, "csat: private unless marked"
    data["scorecards"]["sales_rep"]["dimensions"][1]["public"] = "yes"
    data["scorecards"]["sales_rep"]["dimensions"][3]["public"] = True
    assert _problems(data) == [
        "scorecards.sales_rep.dimensions[1].public: must be true or false, got 'yes'",
        "scorecards.sales_rep.dimensions[3].public: a manager's rating is never public",
    ]


def test_the_bundled_scorecards_keep_rates_private() -> None:
    from pathlib import Path

    path = Path(__file__).parents[3] / "bot" / "defaults" / "scoring.yaml"
    config = load_scoring_config(yaml.safe_load(path.read_text()))
    public = set().union(*(c.public_metrics() for c in config.scorecards.values()))
    assert public == {"sales_amount", "csat", "tasks_done", "tickets_solved", "output_units"}
