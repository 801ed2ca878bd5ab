"""Ranking within cohorts (pure): each scorecard (or scorecard and branch) is its own race."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.cohorts import cohort_of, run_length, standings, standings_by_cohort, top_cutoff
from scoring.config import ConfigError, load_scoring_config
from scoring.incentives import TopPercentRule

D = Decimal


def test_cohort_of_each_kind() -> None:
    assert cohort_of("scorecard", "Sales rep", "Berlin") == ("Sales rep",)
    assert cohort_of("scorecard_branch", "Sales rep", "Berlin") == ("Sales rep", "Berlin")
    assert cohort_of("branch", "Sales rep", "Berlin") == ("Berlin",)
    assert cohort_of("company", "Sales rep", "Berlin") == ()


@pytest.mark.parametrize(
    ("percent", "size", "cutoff"),
    [(D(10), 33, 3), (D(10), 30, 3), (D(10), 29, 2), (D(10), 9, 0), (D(10), 0, 0),
     (D(100), 5, 5), (D("12.5"), 8, 1)],
)  # fmt: skip
def test_top_cutoff_is_the_last_rank_inside_the_top_percent(percent, size, cutoff) -> None:
    assert top_cutoff(percent, size) == cutoff


def test_each_cohort_is_ranked_on_its_own() -> None:
    # Singapore's high totals don't push Berlin's best out of its own cohort.
    members = [(f"sg{i}", ("Sales rep", "Singapore"), D(100 - i)) for i in range(10)]
    members += [(f"be{i}", ("Sales rep", "Berlin"), D(70 - i)) for i in range(10)]
    got = standings_by_cohort(D(10), members)
    assert got["be0"].rank == 1 and got["be0"].size == 10 and got["be0"].qualified
    assert got["sg0"].qualified and not got["sg1"].qualified
    assert got["be9"].cohort == ("Sales rep", "Berlin") and got["be9"].rank == 10
    assert sum(s.qualified for s in got.values()) == 2


def test_ties_share_a_rank_and_qualify_together() -> None:
    totals = {"a": D(90), "b": D(90), "c": D(80), **{f"x{i}": D(50) for i in range(17)}}
    got = standings(D(10), ("Engineer",), totals)
    assert (got["a"].rank, got["b"].rank, got["c"].rank) == (1, 1, 3)
    assert got["a"].qualified and got["b"].qualified and not got["c"].qualified
    assert got["x3"].rank == 4 and got["x3"].cutoff == 2


def test_a_cohort_too_small_qualifies_nobody() -> None:
    got = standings(D(10), ("Engineer",), {f"e{i}": D(90 - i) for i in range(7)})
    assert all(not s.qualified and s.cutoff == 0 for s in got.values())


def test_run_length_counts_the_unbroken_end() -> None:
    assert run_length(["excellent", "excellent", "excellent"], "excellent") == 3
    assert run_length(["excellent", "", "excellent", "excellent"], "excellent") == 2
    assert run_length(["excellent", "good"], "excellent") == 0
    assert run_length([], "excellent") == 0


BASE = {
    "scorecards": {"s": {"dimensions": [{"metric": "m", "weight": 100}]}},
    "bands": [{"name": "top", "min": 90}, {"name": "rest", "min": 0}],
}


def test_cohort_is_read_from_the_rule_and_defaults_to_the_scorecard() -> None:
    rules = [
        {"name": "bonus", "rule": "top_percent", "percent": 10},
        {"name": "local", "rule": "top_percent", "percent": 5, "cohort": "scorecard_branch"},
    ]
    config = load_scoring_config({**BASE, "incentives": rules})
    assert config.incentives == (
        TopPercentRule("bonus", D(10), "scorecard"),
        TopPercentRule("local", D(5), "scorecard_branch"),
    )


def test_an_unknown_cohort_is_reported_with_the_choices() -> None:
    rules = [{"name": "bonus", "rule": "top_percent", "percent": 10, "cohort": "team"}]
    with pytest.raises(ConfigError, match=r"incentives\[0\]\.cohort: unknown cohort 'team'"):
        load_scoring_config({**BASE, "incentives": rules})
