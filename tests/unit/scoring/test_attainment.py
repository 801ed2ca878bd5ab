from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.attainment import attainment, rating_attainment, round2

D = Decimal


def _d(value: str | None) -> Decimal | None:
    return None if value is None else D(value)


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("95", "100", "95.00"),
        ("120000", "100000", "120.00"),
        ("150000", "100000", "120.00"),  # capped
        ("0", "100", "0.00"),
        ("-50", "100", "0.00"),  # net of refunds: never negative
        ("1", "3", "33.33"),
        ("2", "3", "66.67"),
        ("0.0125", "0.02", "62.50"),
    ],
)
def test_higher_is_better(actual: str, target: str, expected: str) -> None:
    assert attainment(D(actual), D(target)) == D(expected)


@pytest.mark.parametrize(
    ("actual", "target"),
    [
        (None, "100"),
        ("5", None),
        (None, None),
        ("5", "0"),
        ("5", "-10"),
        ("NaN", "1"),
        ("1", "Infinity"),
    ],
)
def test_higher_without_data_is_none(actual: str | None, target: str | None) -> None:
    assert attainment(_d(actual), _d(target)) is None


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("2", "1", "50.00"),  # bug rate 2% against a 1% target
        ("1", "1", "100.00"),
        ("0.5", "1", "120.00"),  # 200% capped
        ("0.9", "1", "111.11"),
        ("0", "1", "120.00"),  # zero bugs: the cap, not a division by zero
        ("0", "0", "120.00"),  # zero-tolerance target met
        ("3", "0", "0.00"),  # zero-tolerance target missed
    ],
)
def test_lower_is_better(actual: str, target: str, expected: str) -> None:
    assert attainment(D(actual), D(target), "lower") == D(expected)


@pytest.mark.parametrize(("actual", "target"), [(None, "1"), ("1", None), ("-1", "1"), ("1", "-1")])
def test_lower_without_meaningful_data_is_none(actual: str | None, target: str | None) -> None:
    assert attainment(_d(actual), _d(target), "lower") is None


def test_custom_cap_applies_in_both_directions() -> None:
    assert attainment(D(300), D(100), cap=D(150)) == D("150.00")
    assert attainment(D(0), D(1), "lower", cap=D(100)) == D("100.00")
    assert attainment(D(300), D(100), cap=D(1000)) == D("300.00")


@pytest.mark.parametrize("cap", [D(0), D(-1), D("NaN")])
def test_non_positive_cap_is_a_programming_error(cap: Decimal) -> None:
    with pytest.raises(ValueError, match="cap"):
        attainment(D(1), D(1), cap=cap)


def test_rounds_half_up() -> None:
    assert attainment(D("0.12345"), D(1)) == D("12.35")  # 12.345 -> 12.35, not banker's 12.34
    assert round2(D("2.675")) == D("2.68")
    assert round2(D("-2.675")) == D("-2.68")


decimals = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4),
)


@given(decimals, decimals, st.sampled_from(["higher", "lower"]))
def test_never_raises_never_negative_never_above_cap(
    actual: Decimal | None, target: Decimal | None, direction: str
) -> None:
    result = attainment(actual, target, "lower" if direction == "lower" else "higher")
    assert result is None or D(0) <= result <= D(120)
    if result is not None:
        assert result == round2(result)


@pytest.mark.parametrize(
    ("rating", "expected"), [(1, "0"), (2, "25"), (3, "50"), (4, "75"), (5, "100")]
)
def test_rating_is_linear(rating: int, expected: str) -> None:
    assert rating_attainment(rating) == D(expected)


def test_no_rating_is_no_data() -> None:
    assert rating_attainment(None) is None


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_rating_out_of_range_raises(rating: int) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        rating_attainment(rating)
