"""Cleaning spreadsheet cells: the dirty forms history files really contain."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from connectors.cleaning import clean_date, clean_email, clean_number, clean_text, is_empty


@pytest.mark.parametrize(
    "cell, number",
    [
        ("1,234.50", "1234.50"),
        (" 12万 ", "120000"),
        ("1.5亿", "150000000"),
        ("1亿2000万", "120000000"),
        ("3万5000", "35000"),
        ("¥12万元", "120000"),
        ("RMB 8,800", "8800"),
        ("$1,000,000.25", "1000000.25"),
        ("€ 99.9", "99.9"),
        ("１２，３４５．６", "12345.6"),  # full-width digits and punctuation
        ("￥３万", "30000"),
        ("(300)", "-300"),
        ("-¥1,200", "-1200"),
        ("95%", "95"),
        ("0.5萬", "5000"),
        (1234.5, "1234.5"),
        (42, "42"),
    ],
)
def test_numbers(cell: object, number: str) -> None:
    assert clean_number(cell) == Decimal(number)


@pytest.mark.parametrize(
    "cell", ["12k", "1,2345", "1.234,56", "abc", "1万2亿", "万", "12..5", True]
)
def test_not_numbers(cell: object) -> None:
    with pytest.raises(ValueError, match="number"):
        clean_number(cell)


@pytest.mark.parametrize(
    "cell, day",
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("2026/11/3", date(2026, 11, 3)),
        ("2026.11.03", date(2026, 11, 3)),
        ("2026年11月3日", date(2026, 11, 3)),
        ("２０２６年１１月３日", date(2026, 11, 3)),
        ("2026 年 11 月 3", date(2026, 11, 3)),
        ("03.11.2026", date(2026, 11, 3)),
        ("20261103", date(2026, 11, 3)),
        ("2026-11-03T09:30:00Z", date(2026, 11, 3)),
        ("2026-11-03 09:30", date(2026, 11, 3)),
        ("25/11/2026", date(2026, 11, 25)),
        ("11/25/2026", date(2026, 11, 25)),
        (datetime(2026, 11, 3, 8, 0), date(2026, 11, 3)),
        (46329, date(2026, 11, 3)),  # an Excel serial number
    ],
)
def test_dates(cell: object, day: date) -> None:
    assert clean_date(cell) == day


def test_ambiguous_and_impossible_dates_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="ambiguous date '03/11/2026'"):
        clean_date("03/11/2026")
    assert clean_date("03/11/2026", day_first=True) == date(2026, 11, 3)
    assert clean_date("03/11/2026", day_first=False) == date(2026, 3, 11)
    assert clean_date("3 Nov 2026", fmt="%d %b %Y") == date(2026, 11, 3)
    with pytest.raises(ValueError, match="no such date"):
        clean_date("2026-02-30")
    with pytest.raises(ValueError, match="not a date"):
        clean_date("next tuesday")


def test_text_and_addresses() -> None:
    assert clean_email(" Ana.Li＠ACME.example ") == "ana.li@acme.example"
    with pytest.raises(ValueError, match="not an e-mail"):
        clean_email("Ana Li")
    assert clean_text("  Ana\u3000  Li ") == "Ana Li"
    assert is_empty("  -  ") and is_empty(None) and not is_empty("0")
