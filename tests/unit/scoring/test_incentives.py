from decimal import Decimal

from scoring.incentives import (
    ConsecutiveBandRule,
    Decision,
    TopPercentRule,
    apply_consecutive_band,
    apply_top_percent,
)

D = Decimal
BONUS = TopPercentRule("bonus", D(10))
PROMOTION = ConsecutiveBandRule("promotion", "excellent", 3)


def test_top_ten_percent_of_twenty() -> None:
    totals = {f"e{i:02}": D(100 - i) for i in range(20)}
    assert apply_top_percent(BONUS, totals) == [
        Decision("e00", "bonus", "rank 1 of 20, top 5.0%"),
        Decision("e01", "bonus", "rank 2 of 20, top 10.0%"),
    ]


def test_ties_at_the_boundary_are_all_included() -> None:
    totals = {f"e{i:02}": D(100 - i) for i in range(20)}
    totals["e02"] = totals["e03"] = totals["e01"]  # three people share rank 2
    decisions = apply_top_percent(BONUS, totals)
    assert [d.employee for d in decisions] == ["e00", "e01", "e02", "e03"]
    assert {d.reason for d in decisions[1:]} == {"rank 2 of 20, top 10.0%"}


def test_tie_just_past_the_boundary_is_excluded() -> None:
    totals = {f"e{i:02}": D(100 - i) for i in range(20)}
    totals["e03"] = totals["e02"]  # rank 3 shared: 15% > 10%
    assert [d.employee for d in apply_top_percent(BONUS, totals)] == ["e00", "e01"]


def test_reason_rounds_the_percent() -> None:
    totals = {f"e{i:02}": D(100 - i) for i in range(41)}
    decisions = apply_top_percent(BONUS, totals)
    assert len(decisions) == 4  # 4/41 = 9.76% <= 10 < 5/41
    assert decisions[2].reason == "rank 3 of 41, top 7.3%"


def test_small_population_may_qualify_nobody() -> None:
    totals = {name: D(90) for name in "abcde"}
    assert apply_top_percent(BONUS, totals) == []
    assert len(apply_top_percent(TopPercentRule("bonus", D(100)), totals)) == 5


def test_empty_population() -> None:
    assert apply_top_percent(BONUS, {}) == []


def test_consecutive_band() -> None:
    history = {
        "ann": ["good", "excellent", "excellent", "excellent"],
        "bob": ["excellent", "excellent", "good"],
        "cat": ["excellent", "excellent"],  # not enough periods yet
        "dan": ["excellent", "good", "excellent", "excellent"],
        "eve": [],
    }
    assert apply_consecutive_band(PROMOTION, history) == [
        Decision("ann", "promotion", "excellent in each of the last 3 periods")
    ]


def test_single_period_reason() -> None:
    rule = ConsecutiveBandRule("shout_out", "excellent", 1)
    assert apply_consecutive_band(rule, {7: ("good", "excellent")}) == [
        Decision(7, "shout_out", "excellent in the last period")
    ]
