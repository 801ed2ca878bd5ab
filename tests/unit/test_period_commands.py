"""`/period` in the command language: preview, close and calibrate, and their bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers import strings_en as S
from handlers.commands import Calibrate, Invalid, PeriodPreview, parse
from handlers.periods import parse_period


@pytest.mark.parametrize(
    "text, period",
    [("/period", None), ("/period 2026-10", "2026-10"), ("/period close last", "last"),
     ("/period preview 2026-Q4", "2026-Q4")],
)  # fmt: skip
def test_period_preview_and_close_take_an_optional_period(text: str, period: str | None) -> None:
    cmd = parse(text)
    assert isinstance(cmd, PeriodPreview)
    assert cmd.period == (None if period is None else parse_period(period))


@pytest.mark.parametrize(
    "text, who, period, total, reason",
    [
        ("/period calibrate @ana.li 88 late deal", "ana.li", None, "88", "late deal"),
        ("/period calibrate 2026-10 ana.li@acme.example 88.5 x", "ana.li@acme.example",
         "2026-10", "88.5", "x"),
        ("/period calibrate @ana.li last 91 two\nlines", "ana.li", "last", "91", "two\nlines"),
    ],
)  # fmt: skip
def test_period_calibrate(text: str, who: str, period: str | None, total: str, reason: str) -> None:
    cmd = parse(text)
    assert isinstance(cmd, Calibrate)
    assert (cmd.who.value, cmd.total, cmd.reason) == (who, Decimal(total), reason)
    assert cmd.period == (None if period is None else parse_period(period))


@pytest.mark.parametrize(
    "text, problem",
    [
        ("/period soon", "'soon' is not part of /period"),
        ("/period @ana", "'@ana' is not part of /period"),
        ("/period calibrate @ana.li 2026-10 88", "calibrate whom to what, and why?"),
        ("/period calibrate 88 reason", "calibrate whom to what, and why?"),
        ("/period calibrate @ana.li lots reason", "'lots' is not a number"),
        ("/period calibrate @ana.li -5 reason", "can't be negative"),
    ],
)
def test_period_bad_input_gets_the_usage(text: str, problem: str) -> None:
    result = parse(text)
    assert isinstance(result, Invalid) and problem in result.problem
    assert result.usage == S.USAGE["period"]
