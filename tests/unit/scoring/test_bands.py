from decimal import Decimal

import pytest

from scoring.bands import Band, band_for

D = Decimal
BANDS = (Band("needs_improvement", D(0)), Band("excellent", D(90)), Band("good", D(75)))


@pytest.mark.parametrize(
    ("total", "name"),
    [
        ("100", "excellent"),
        ("90.00", "excellent"),  # reaching min is enough
        ("89.99", "good"),
        ("75", "good"),
        ("74.99", "needs_improvement"),
        ("0", "needs_improvement"),
        ("113.5", "excellent"),
    ],
)
def test_highest_min_reached_in_any_order(total: str, name: str) -> None:
    assert band_for(D(total), BANDS) == name


def test_below_every_band_gets_lowest() -> None:
    assert band_for(D(-5), BANDS) == "needs_improvement"
    assert band_for(D(10), (Band("good", D(75)), Band("ok", D(50)))) == "ok"


def test_no_bands_is_an_error() -> None:
    with pytest.raises(ValueError, match="no bands"):
        band_for(D(50), ())
