from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.ranking import percentile_top, rank_with_ties

D = Decimal


def test_competition_ranking_highest_first() -> None:
    ranks = rank_with_ties({"a": D(80), "b": D(100), "c": D(90), "d": D(90)})
    assert ranks == {"b": 1, "c": 2, "d": 2, "a": 4}
    assert list(ranks) == ["b", "c", "d", "a"]  # best first, ties in input order


def test_all_tied_share_rank_one() -> None:
    assert rank_with_ties({"x": D(5), "y": D("5.00")}) == {"x": 1, "y": 1}


def test_empty() -> None:
    assert rank_with_ties({}) == {}


@given(st.dictionaries(st.integers(), st.decimals(allow_nan=False, places=2), max_size=30))
def test_rank_counts_everyone_strictly_better(values: dict[int, Decimal]) -> None:
    ranks = rank_with_ties(values)
    for key, value in values.items():
        assert ranks[key] == 1 + sum(1 for other in values.values() if other > value)


def test_percentile_top() -> None:
    assert percentile_top(3, 41) == D("7.32")
    assert percentile_top(1, 1) == D("100.00")
    assert percentile_top(2, 20) == D("10.00")


@pytest.mark.parametrize(("rank", "population"), [(0, 5), (6, 5), (1, 0)])
def test_percentile_top_rejects_impossible_ranks(rank: int, population: int) -> None:
    with pytest.raises(ValueError):
        percentile_top(rank, population)
