from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.decompose import by_headcount, by_last_share, by_weights, decompose, equal

D = Decimal


def test_equal_split_gives_leftover_to_first_key() -> None:
    assert decompose(D(100), equal(["a", "b", "c"])) == {"a": D(34), "b": D(33), "c": D(33)}


def test_company_revenue_by_headcount() -> None:
    parts = decompose(D(50000000), by_headcount({"north": 3, "south": 7, "west": 1}))
    assert parts == {"north": D(13636364), "south": D(31818182), "west": D(4545454)}
    assert sum(parts.values()) == D(50000000)


def test_largest_remainder_not_first_key() -> None:
    # quotas 1.2, 1.2, 2.6 -> floors 1, 1, 2 and the one spare unit goes to the .6
    assert decompose(D(5), by_weights({"a": D(12), "b": D(12), "c": D(26)})) == {
        "a": D(1),
        "b": D(1),
        "c": D(3),
    }


def test_fractional_total_with_places() -> None:
    assert decompose(D("0.5"), equal("xyz"), places=1) == {
        "x": D("0.2"),
        "y": D("0.2"),
        "z": D("0.1"),
    }
    parts = decompose(D("1000.00"), equal("abc"), places=2)
    assert [str(v) for v in parts.values()] == ["333.34", "333.33", "333.33"]


def test_negative_places_rounds_to_thousands() -> None:
    parts = decompose(D(50000000), by_headcount({"a": 3, "b": 7, "c": 1}), places=-3)
    assert parts == {"a": D(13636000), "b": D(31818000), "c": D(4546000)}


def test_single_child_gets_everything() -> None:
    assert decompose(D("12.5"), {"only": D(1)}, places=1) == {"only": D("12.5")}


def test_order_of_result_follows_shares() -> None:
    assert list(decompose(D(10), equal(["z", "a", "m"]))) == ["z", "a", "m"]


@pytest.mark.parametrize(
    ("total", "shares", "places", "message"),
    [
        (D(10), {}, 0, "no shares"),
        (D(10), {"a": D(1), "b": D(0)}, 0, "'b' must be greater than 0"),
        (D(10), {"a": D(-1)}, 0, "'a' must be greater than 0"),
        (D(10), {"a": D("NaN")}, 0, "'a' must be greater than 0"),
        (D("0.5"), {"a": D(1)}, 0, "more than 0 decimal places"),
        (D("1500"), {"a": D(1)}, -3, "more than -3 decimal places"),
        (D("Infinity"), {"a": D(1)}, 0, "finite"),
    ],
)
def test_invalid_input(
    total: Decimal, shares: dict[str, Decimal], places: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        decompose(total, shares, places)


def test_share_helpers() -> None:
    assert equal(["a", "b"]) == {"a": D(1), "b": D(1)}
    assert by_headcount({"a": 4, "b": 6}) == {"a": D(4), "b": D(6)}
    assert by_weights({"a": D("0.3"), "b": D("0.7")}) == {"a": D("0.3"), "b": D("0.7")}


def test_last_share_proportional() -> None:
    shares = by_last_share({"a": D(100), "b": D(300)})
    assert decompose(D(1000), shares) == {"a": D(250), "b": D(750)}


def test_last_share_falls_back_to_equal_when_nobody_has_history() -> None:
    assert by_last_share({"a": None, "b": D(0)}) == {"a": D(1), "b": D(1)}


def test_last_share_gives_newcomers_the_average() -> None:
    shares = by_last_share({"a": D(100), "new": None, "b": D(300), "zero": D(0), "neg": D(-5)})
    assert shares == {"a": D(100), "new": D(200), "b": D(300), "zero": D(200), "neg": D(200)}


totals = st.decimals(min_value=-(10**9), max_value=10**10, places=2)
shares = st.dictionaries(
    st.text(min_size=1, max_size=5),
    st.decimals(min_value=D("0.0001"), max_value=10**9, places=4),
    min_size=1,
    max_size=25,
)


@given(totals, shares, st.integers(min_value=2, max_value=6))
def test_children_always_sum_exactly_to_total(
    total: Decimal, shares: dict[str, Decimal], places: int
) -> None:
    parts = decompose(total, shares, places)
    assert sum(parts.values()) == total
    assert list(parts) == list(shares)
    assert all(part.as_tuple().exponent == -places for part in parts.values())


@given(st.integers(min_value=0, max_value=10**12), shares)
def test_each_child_within_one_unit_of_its_exact_quota(
    total: int, shares: dict[str, Decimal]
) -> None:
    parts = decompose(D(total), shares)
    whole = sum(shares.values())
    for key, part in parts.items():
        quota = D(total) * shares[key] / whole
        assert abs(part - quota) < 1
    assert sum(parts.values()) == total


@given(st.decimals(min_value=0, max_value=10**8, places=0), shares)
def test_deterministic(total: Decimal, shares: dict[str, Decimal]) -> None:
    assert decompose(total, shares) == decompose(total, dict(shares))
