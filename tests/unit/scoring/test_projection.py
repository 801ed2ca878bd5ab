"""Projection of an open period: working days gone, projected figures and total, and the
incentives a projection may point to."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.bands import Band
from scoring.config import Dimension, Scorecard
from scoring.incentives import ConsecutiveBandRule, TopPercentRule
from scoring.projection import (
    lowest_band,
    progress,
    project,
    project_actual,
    projected_incentives,
    qualifies,
)
from scoring.scorecard import score

D = Decimal
NOV = (date(2026, 11, 1), date(2026, 11, 30))  # Sun 1st .. Mon 30th: 21 working days
BANDS = (Band("excellent", D(90)), Band("good", D(75)), Band("needs improvement", D(0)))
SALES = Scorecard(
    "sales_rep",
    (
        Dimension("sales_amount", D(40), label="Sales"),
        Dimension("csat", D(20)),
        Dimension("bug_rate", D(30), direction="lower"),
        Dimension("manager_rating", D(10), kind="rating"),
    ),
)
SUMS = {"sales_amount", "bug_rate"}  # bug_rate is a sum here too: lower-is-better stands


def test_progress_counts_working_days_with_today_elapsed() -> None:
    mid = progress(*NOV, date(2026, 11, 20))
    assert (mid.elapsed, mid.total, mid.fraction, mid.partial) == (15, 21, D("0.7143"), True)


def test_first_day_of_a_month_on_a_weekend_has_nothing_elapsed() -> None:
    first = progress(*NOV, date(2026, 11, 1))  # a Sunday
    assert (first.elapsed, first.partial) == (0, True)
    assert not first.projectable(D(20)) and not first.projectable(D(0))


def test_first_working_day_counts_one() -> None:
    assert progress(*NOV, date(2026, 11, 2)).elapsed == 1


def test_weekends_do_not_move_progress() -> None:
    friday, saturday, sunday = (progress(*NOV, date(2026, 11, d)) for d in (20, 21, 22))
    assert friday.elapsed == saturday.elapsed == sunday.elapsed == 15


def test_last_day_is_complete_but_still_partial_and_the_day_after_is_not() -> None:
    last = progress(*NOV, date(2026, 11, 30))
    assert (last.elapsed, last.total, last.partial) == (21, 21, True)
    after = progress(*NOV, date(2026, 12, 1))
    assert (after.elapsed, after.partial) == (21, False)


def test_a_day_before_the_period_has_nothing_elapsed() -> None:
    before = progress(*NOV, date(2026, 10, 31))
    assert before.elapsed == 0 and before.partial


def test_holidays_leave_both_elapsed_and_total() -> None:
    holidays = {date(2026, 11, 3), date(2026, 11, 26), date(2026, 11, 28)}  # Tue, Thu, Sat
    p = progress(*NOV, date(2026, 11, 20), holidays)
    assert (p.elapsed, p.total) == (14, 19)


def test_february_29_in_a_leap_year() -> None:
    feb = (date(2028, 2, 1), date(2028, 2, 29))  # Tue 1st .. Tue 29th
    assert progress(*feb, date(2028, 2, 29)).total == 21
    assert progress(*feb, date(2028, 2, 29)).elapsed == 21
    assert progress(*feb, date(2028, 2, 28)).elapsed == 20
    assert not progress(*feb, date(2028, 3, 1)).partial


@pytest.mark.parametrize(
    ("month", "working"),
    [((2026, 2), 20), ((2026, 11), 21), ((2026, 1), 22), ((2026, 12), 23)],
)
def test_months_of_20_to_23_working_days(month: tuple[int, int], working: int) -> None:
    start = date(*month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert progress(start, end, end).total == working
    # The sweep's 20%: reached on the working day where elapsed * 100 >= 20 * total.
    first_ok = next(d for d in range(1, 32) if progress(start, end, start.replace(day=d))
                    .projectable(D(20)))  # fmt: skip
    p = progress(start, end, start.replace(day=first_ok))
    assert p.elapsed * 100 >= 20 * working > (p.elapsed - 1) * 100


def test_projectable_matches_the_sweeps_rounded_fraction() -> None:
    p = progress(*NOV, date(2026, 11, 5))  # 4 of 21 = 19.05%: too early
    assert p.fraction == D("0.1905") and not p.projectable(D(20))
    assert progress(*NOV, date(2026, 11, 6)).projectable(D(20))  # 5 of 21 = 23.81%


def test_project_actual_scales_sums_only() -> None:
    assert project_actual(D(300), True, 5, 21) == D(1260)
    assert project_actual(D(300), False, 5, 21) == D(300)  # a rate stands
    assert project_actual(None, True, 5, 21) is None
    assert project_actual(D(300), True, 21, 21) == D(300)
    assert project_actual(D(300), True, 0, 21) is None  # no pace to extrapolate


def test_project_runs_the_scorecard_on_projected_figures() -> None:
    actuals = {"sales_amount": D(250_000), "csat": D(88), "bug_rate": D(2)}
    targets = {"sales_amount": D(1_000_000), "csat": D(90), "bug_rate": D(4)}
    ratings = {"manager_rating": 4}
    result = project(SALES, actuals, targets, ratings, cumulative=SUMS, elapsed=5, total=21)
    by = {d.metric: d for d in result.dimensions}
    assert by["sales_amount"].actual == D(1_050_000)  # 250,000 * 21 / 5
    assert by["sales_amount"].attainment == D("105.00")
    assert by["csat"].actual == D(88)  # a rate: as it stands
    assert by["bug_rate"].actual == D(2)  # lower-is-better: as it stands
    assert by["manager_rating"].attainment == D("75.00")
    expected = score(
        SALES, {**actuals, "sales_amount": D(1_050_000)}, targets, ratings
    )  # the same arithmetic, on the projected figures
    assert result == expected


def test_project_caps_like_the_scorecard() -> None:
    result = project(
        SALES,
        {"sales_amount": D(900_000)},
        {"sales_amount": D(1_000_000)},
        {},
        cumulative=SUMS,
        elapsed=5,
        total=21,
    )
    assert result.dimensions[0].attainment == D("120.00") and result.total == D("120.00")


def test_project_uses_the_formula() -> None:
    card = Scorecard(SALES.key, SALES.dimensions, formula="total * 0.5")
    result = project(
        card,
        {"sales_amount": D(100)},
        {"sales_amount": D(420)},
        {},
        cumulative=SUMS,
        elapsed=5,
        total=21,
    )
    assert result.total == D("50.00")  # 100 * 21 / 5 = 420: 100%, halved


@given(
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.decimals(min_value=1, max_value=10**7, places=2),
    st.integers(min_value=1, max_value=23),
)
def test_the_whole_period_projects_to_the_score_itself(
    actual: Decimal, target: Decimal, total: int
) -> None:
    actuals, targets = {"sales_amount": actual, "csat": D(90)}, {"sales_amount": target}
    full = project(SALES, actuals, targets, {}, cumulative=SUMS, elapsed=total, total=total)
    assert full == score(SALES, actuals, targets, {})


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.integers(min_value=1, max_value=23),
    st.integers(min_value=1, max_value=23),
)
def test_a_sum_projects_to_its_pace_and_never_below_the_figure(
    actual: Decimal, elapsed: int, total: int
) -> None:
    projected = project_actual(actual, True, min(elapsed, total), total)
    assert projected is not None and projected >= actual
    assert abs(projected * min(elapsed, total) / total - actual) < D("0.000001")


def test_qualifies_excludes_the_lowest_band_only() -> None:
    assert lowest_band(BANDS) == "needs improvement" and lowest_band(()) is None
    assert qualifies("good", BANDS) and qualifies("excellent", BANDS)
    assert not qualifies("needs improvement", BANDS) and not qualifies(None, BANDS)


def test_projected_incentives_never_reward_the_lowest_band() -> None:
    # Everyone early in a weak month: the top 10% of 10 is still "needs improvement".
    totals = {f"p{i}": D(40 + i) for i in range(10)}
    history = {k: ["needs improvement"] for k in totals}
    rule = TopPercentRule("bonus", D(10))
    assert projected_incentives([rule], totals, history, BANDS) == []
    history["p9"] = ["good"]
    found = projected_incentives([rule], totals, history, BANDS)
    assert [(d.employee, d.rule) for d in found] == [("p9", "bonus")]
    assert found[0].reason == "rank 1 of 10, top 10.0%"  # ranked among everyone


def test_projected_consecutive_band_counts_the_projection_as_the_last_period() -> None:
    rule = ConsecutiveBandRule("promotion candidate", "excellent", 3)
    history = {
        "a": ["excellent", "excellent", "excellent"],
        "b": ["excellent", "excellent", "good"],  # projected good: not this time
        "c": ["", "excellent", "excellent"],  # unscored two periods ago
    }
    totals = {"a": D(95), "b": D(80), "c": D(93)}
    found = projected_incentives([rule], totals, history, BANDS)
    assert [d.employee for d in found] == ["a"]
