from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.formula import FormulaError
from scoring.scorecard import Dimension, DimensionResult, Scorecard, ScoreResult, score

D = Decimal
SALES_REP = Scorecard(
    "sales_rep",
    (
        Dimension("sales_amount", D(40), label="Sales"),
        Dimension("csat", D(20)),
        Dimension("collection_rate", D(30)),
        Dimension("manager_rating", D(10), kind="rating"),
    ),
)
TARGETS = {"sales_amount": D(100000), "csat": D("4.5"), "collection_rate": D(95)}


def test_brief_example_full_breakdown() -> None:
    actuals = {"sales_amount": D(120000), "csat": D("4.2"), "collection_rate": D(90)}
    result = score(SALES_REP, actuals, TARGETS, {"manager_rating": 4})
    assert result == ScoreResult(
        total=D("102.59"),  # 48.00 + 18.67 + 28.42 + 7.50
        coverage=D(100),
        dimensions=(
            DimensionResult(
                "sales_amount", "Sales", D(40), D(120000), D(100000), D("120.00"), D("48.00")
            ),
            DimensionResult("csat", "csat", D(20), D("4.2"), D("4.5"), D("93.33"), D("18.67")),
            DimensionResult(
                "collection_rate", "collection_rate", D(30), D(90), D(95), D("94.74"), D("28.42")
            ),
            DimensionResult(
                "manager_rating", "manager_rating", D(10), D(4), None, D("75.00"), D("7.50")
            ),
        ),
    )


def test_points_rounded_per_dimension_then_summed() -> None:
    card = Scorecard("c", (Dimension("a", D(50)), Dimension("b", D(50))))
    # a: 1/3 -> 33.33% -> 16.665 -> 16.67 points; b the same; sum 33.34 (not 33.33).
    result = score(card, {"a": D(1), "b": D(1)}, {"a": D(3), "b": D(3)})
    assert [row.points for row in result.dimensions] == [D("16.67"), D("16.67")]
    assert result.total == D("33.34")


def test_missing_rating_is_renormalised_not_punished() -> None:
    actuals = {"sales_amount": D(100000), "csat": D("4.5"), "collection_rate": D(95)}
    result = score(SALES_REP, actuals, TARGETS)  # no ratings at all
    assert result.coverage == D(90)
    assert result.dimensions[3].attainment is None
    assert result.dimensions[3].points == D("0.00")
    assert result.total == D("100.00")  # 90 points over 90 of weight


def test_renormalised_total_is_rounded_half_up() -> None:
    card = Scorecard("c", (Dimension("a", D(30)), Dimension("b", D(40)), Dimension("c", D(30))))
    # a: 50% -> 15.00 points; b: 100% -> 40.00; c: no data. 55 * 100 / 70 = 78.5714... -> 78.57
    result = score(card, {"a": D(1), "b": D(2)}, {"a": D(2), "b": D(2)})
    assert (result.coverage, result.total) == (D(70), D("78.57"))


def test_no_data_at_all_scores_zero() -> None:
    result = score(SALES_REP, {}, {})
    assert (result.total, result.coverage) == (D("0.00"), D(0))
    assert all(row.points == D("0.00") for row in result.dimensions)


def test_zero_target_is_no_data() -> None:
    card = Scorecard("c", (Dimension("a", D(60)), Dimension("b", D(40))))
    result = score(card, {"a": D(5), "b": D(9)}, {"a": D(0), "b": D(10)})
    assert result.coverage == D(40)
    assert result.total == D("90.00")


def test_lower_is_better_dimension_with_zero_bugs() -> None:
    card = Scorecard(
        "engineer",
        (
            Dimension("tasks_done", D(70)),
            Dimension("bug_rate", D(30), direction="lower", cap=D(110)),
        ),
    )
    result = score(
        card, {"tasks_done": D(9), "bug_rate": D(0)}, {"tasks_done": D(10), "bug_rate": D(1)}
    )
    assert [row.attainment for row in result.dimensions] == [D("90.00"), D("110.00")]
    assert result.total == D("96.00")  # 63.00 + 33.00


def test_formula_applies_to_total() -> None:
    card = Scorecard("c", (Dimension("a", D(100)),), formula="min(total, 100)")
    assert score(card, {"a": D(150)}, {"a": D(100)}).total == D("100.00")


def test_formula_sees_attainments_and_points() -> None:
    card = Scorecard(
        "c",
        (Dimension("a", D(50)), Dimension("b", D(50))),
        formula="total if att_a >= 80 else pts_b + coverage / 100",
    )
    assert score(card, {"a": D(90), "b": D(100)}, {"a": D(100), "b": D(100)}).total == D("95.00")
    # a missing: att_a is 0 inside the formula, so the else branch runs
    assert score(card, {"b": D(100)}, {"a": D(100), "b": D(100)}).total == D("50.50")


def test_formula_runtime_error_propagates() -> None:
    card = Scorecard("c", (Dimension("a", D(100)),), formula="total / (coverage - 100)")
    with pytest.raises(FormulaError, match="division by zero"):
        score(card, {"a": D(1)}, {"a": D(1)})


def test_invalid_rating_raises() -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        score(SALES_REP, {}, {}, {"manager_rating": 7})


def _reference_total(rows: list[tuple[Decimal, Decimal | None]]) -> Decimal:
    """The docstring's arithmetic, written out independently."""
    from decimal import ROUND_HALF_UP

    pts = [(w * a / 100).quantize(D("0.01"), ROUND_HALF_UP) for w, a in rows if a is not None]
    cov = sum((w for w, a in rows if a is not None), D(0))
    return (sum(pts, D(0)) * 100 / cov).quantize(D("0.01"), ROUND_HALF_UP) if cov else D("0.00")


values = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2))


@given(st.lists(st.tuples(values, values), min_size=4, max_size=4))
def test_total_between_0_and_cap_and_matches_reference(
    pairs: list[tuple[Decimal | None, Decimal | None]],
) -> None:
    card = Scorecard("c", tuple(Dimension(f"m{i}", D(25)) for i in range(4)))
    actuals = {f"m{i}": actual for i, (actual, _) in enumerate(pairs)}
    targets = {f"m{i}": target for i, (_, target) in enumerate(pairs)}
    result = score(card, actuals, targets)
    assert D(0) <= result.total <= D(120)
    assert result.total == _reference_total(
        [(row.weight, row.attainment) for row in result.dimensions]
    )
