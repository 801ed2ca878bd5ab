"""The correction fact that makes a metric equal the accepted value, for every aggregation."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from connectors.metrics import DEFAULT_METRICS, parse_metrics
from handlers.appeal_correction import (
    PlainSpec,
    Term,
    correction,
    current_value,
    fact_metrics,
    spec_for,
)

SPECS = parse_metrics(DEFAULT_METRICS)
D = Decimal


class Setup:
    specs = tuple(SPECS.values())


def apply(sums: dict[str, D], counts: dict[str, int], fix: tuple[str, D]) -> tuple[dict, dict]:
    """The sums and counts once the correction fact is stored."""
    metric, value = fix
    sums, counts = dict(sums), dict(counts)
    sums[metric] = sums.get(metric, D(0)) + value
    counts[metric] = counts.get(metric, 0) + 1
    return sums, counts


def test_a_sum_is_topped_up_by_the_difference():
    spec = SPECS["sales"]
    sums, counts = {"sales_amount": D(759_000)}, {"sales_amount": 4}
    assert correction(spec, sums, counts, D(1_180_000)) == ("sales_amount", D(421_000))
    assert correction(spec, sums, counts, D(700_000)) == ("sales_amount", D(-59_000))
    assert correction(spec, sums, counts, D(759_000)) == ("sales_amount", D(0))


def test_csat_goes_up_with_good_ratings_and_down_with_bad_ones():
    spec = SPECS["csat"]  # good / (good + bad) * 100
    sums, counts = {"csat_good": D(18), "csat_bad": D(2)}, {"csat_good": 18, "csat_bad": 2}
    assert current_value(spec, sums, counts) == D(90)
    up = correction(spec, sums, counts, D(95))
    assert up == ("csat_good", D(20))  # 38 / 40 = 95%
    down = correction(spec, sums, counts, D(80))
    assert down is not None and down[0] == "csat_bad"
    assert current_value(spec, *apply(sums, counts, down)) == D(80)


def test_a_perfect_ratio_comes_down_with_a_bad_rating_and_a_wrong_bad_rating_is_cancelled():
    spec = SPECS["csat"]
    perfect = {"csat_good": D(10)}, {"csat_good": 10}
    fix = correction(spec, *perfect, D(95))
    assert fix is not None and fix[0] == "csat_bad"
    assert abs(current_value(spec, *apply(*perfect, fix)) - 95) < D("0.001")
    flawed = {"csat_good": D(9), "csat_bad": D(1)}, {"csat_good": 9, "csat_bad": 1}
    # 100% from 9 good and 1 bad: the bad rating is cancelled (-1), never outweighed.
    assert correction(spec, *flawed, D(100)) == ("csat_bad", D(-1))


def test_collection_rate_and_bug_rate_move_their_numerator():
    rate = SPECS["collection_rate"]  # collected / invoiced * 100
    sums, counts = {"collected": D(900), "invoiced": D(1000)}, {"collected": 3, "invoiced": 3}
    assert correction(rate, sums, counts, D(95)) == ("collected", D(50))
    bugs = SPECS["bug_rate"]  # bugs / tasks_done * 100, lower is better
    sums, counts = {"bugs": D(3), "tasks_done": D(12)}, {"bugs": 3, "tasks_done": 12}
    fix = correction(bugs, sums, counts, D(10))
    assert fix is not None and current_value(bugs, *apply(sums, counts, fix)) == D(10)


def test_counts_cannot_be_corrected_by_a_value():
    spec = SPECS["deals_won"]  # COUNT of sales facts
    assert correction(spec, {"sales_amount": D(5)}, {"sales_amount": 5}, D(7)) is None


def test_a_ratio_with_nothing_on_either_side_cannot_be_corrected():
    spec = SPECS["collection_rate"]
    assert current_value(spec, {}, {}) is None
    assert correction(spec, {}, {}, D(95)) is None
    # Payments but no invoice yet: the missing invoice is what the correction adds.
    fix = correction(spec, {"collected": D(10)}, {"collected": 1}, D(95))
    assert fix is not None and fix[0] == "invoiced"
    assert abs(current_value(spec, *apply({"collected": D(10)}, {"collected": 1}, fix)) - 95) < D(
        "0.001"
    )


def test_unknown_metrics_are_a_plain_sum_of_their_own_facts():
    spec = spec_for(Setup(), "output_units")
    assert spec == PlainSpec("output_units", Term("sum", ("output_units",)))
    assert fact_metrics(SPECS["csat"]) == ("csat_good", "csat_bad")
    assert spec_for(Setup(), "csat") is SPECS["csat"]
    assert spec_for(None, "csat").numerator.facts == ("csat",)


@given(
    good=st.integers(1, 500),
    bad=st.integers(0, 500),
    target=st.integers(1, 99),
)
def test_property_a_csat_correction_lands_on_the_accepted_value(good, bad, target):
    spec = SPECS["csat"]
    sums, counts = {"csat_good": D(good), "csat_bad": D(bad)}, {"csat_good": good, "csat_bad": bad}
    fix = correction(spec, sums, counts, D(target))
    assert fix is not None
    # 4 decimal places on the fact: off by far less than the 2 places a score shows.
    assert abs(current_value(spec, *apply(sums, counts, fix)) - target) < D("0.01")


@given(
    actual=st.decimals(0, 10**9, places=4),
    corrected=st.decimals(0, 10**9, places=4),
)
def test_property_a_sum_correction_is_exact(actual, corrected):
    spec = SPECS["sales"]
    fix = correction(spec, {"sales_amount": actual}, {"sales_amount": 1}, corrected)
    assert fix is not None
    assert (
        current_value(spec, *apply({"sales_amount": actual}, {"sales_amount": 1}, fix)) == corrected
    )
