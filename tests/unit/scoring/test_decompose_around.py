"""Splitting around fixed parts: HR-approved targets stay, the rest keeps the total."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.decompose import CannotSplit, decompose, decompose_around, equal

D = Decimal


def test_fixed_part_kept_and_the_rest_split_by_the_rule() -> None:
    parts = decompose_around(D(1_000_000), equal("abc"), {"a": D(400_000)}, -3)
    assert parts == {"a": D(400_000), "b": D(300_000), "c": D(300_000)}


def test_no_fixed_parts_is_plain_decompose() -> None:
    shares = {"a": D(3), "b": D(2)}
    assert decompose_around(D(10_000_001), shares, {}) == decompose(D(10_000_001), shares)


def test_a_fixed_part_finer_than_the_rounding_puts_the_rest_on_the_largest_share() -> None:
    # 83,500 approved while the goal splits in whole thousands: the others stay in
    # thousands except the largest share, which carries the 500 so the total holds.
    shares = {"a": D(1), "b": D(2), "c": D(1)}
    parts = decompose_around(D(1_000_000), shares, {"a": D(83_500)}, -3)
    assert parts == {"a": D(83_500), "b": D(611_500), "c": D(305_000)}
    assert sum(parts.values()) == D(1_000_000)


def test_everyone_fixed_and_the_total_holds() -> None:
    assert decompose_around(D(5), equal("ab"), {"a": D(2), "b": D(3)}) == {"a": D(2), "b": D(3)}


@pytest.mark.parametrize(
    ("total", "fixed", "left", "others"),
    [
        (D(100), {"a": D(120)}, D(-20), 2),  # approved targets exceed the total
        (D(100), {"a": D(100)}, D(0), 2),  # nothing left for the others
        (D(100), {"a": D(40), "b": D(40), "c": D(40)}, D(-20), 0),  # all fixed, too much
        (D(100), {"a": D(10), "b": D(10), "c": D(10)}, D(70), 0),  # all fixed, too little
    ],
)
def test_impossible_splits_say_why(
    total: Decimal, fixed: dict[str, Decimal], left: Decimal, others: int
) -> None:
    with pytest.raises(CannotSplit) as err:
        decompose_around(total, equal("abc"), fixed)
    assert (err.value.left, err.value.others, err.value.total) == (left, others, total)


def test_a_total_of_zero_with_nothing_fixed_is_all_zeros() -> None:
    assert decompose_around(D(0), equal("ab"), {}) == {"a": D(0), "b": D(0)}


def test_a_fixed_key_outside_the_shares_is_ignored() -> None:
    assert decompose_around(D(10), equal("ab"), {"gone": D(7)}) == {"a": D(5), "b": D(5)}


keys = st.lists(st.sampled_from("abcdefghij"), min_size=1, max_size=10, unique=True)


@given(
    keys,
    st.data(),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=-3, max_value=2),
)
def test_parts_sum_to_the_total_and_fixed_parts_are_untouched(
    names: list[str], data: st.DataObject, total: int, places: int
) -> None:
    shares = {
        k: data.draw(st.decimals(min_value=D("0.01"), max_value=1000, places=2)) for k in names
    }
    fixed_keys = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names) - 1))
    fixed = {
        k: data.draw(st.decimals(min_value=0, max_value=total // (len(names) + 1), places=2))
        for k in fixed_keys
    }
    assume(sum(fixed.values(), D(0)) < total)
    parts = decompose_around(D(total), shares, fixed, places)
    assert sum(parts.values()) == total
    assert list(parts) == names
    assert all(parts[k] == v for k, v in fixed.items())
    assert all(p >= 0 for p in parts.values())
    # Every part not fixed keeps the rounding, except at most one that carries the rest.
    unit = D(1).scaleb(-places)
    off = [k for k in names if k not in fixed and parts[k] % unit != 0]
    assert len(off) <= 1


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_fixed_parts_over_the_total_always_refused(total: int, excess: int) -> None:
    with pytest.raises(CannotSplit):
        decompose_around(D(total), equal("ab"), {"a": D(total + excess)})
