"""Cleaning spreadsheet cells: numbers with currency, separators and Chinese units; dates.

Every function raises ValueError with a message fit for an import report.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from connectors import strings as cs
from said import Said

UNITS = {"千": Decimal(1_000), "万": Decimal(10_000), "萬": Decimal(10_000),
         "亿": Decimal(100_000_000), "億": Decimal(100_000_000)}  # fmt: skip
EMPTY = {"", "-", "--", "—", "–"}  # how reports write "nothing here"
CURRENCY = re.compile(r"^(?:RMB|CNY|USD|EUR|人民币|[¥$€£])|(?:RMB|CNY|USD|EUR|元|[¥$€£])$", re.I)
PLAIN = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
NUMBER = re.compile(rf"^(?:{PLAIN})$")
UNIT_PART = re.compile(rf"({PLAIN})([千万萬亿億])")
EXCEL_EPOCH = date(1899, 12, 30)  # serial day 0 of Excel's 1900 date system (as it counts)
YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
CJK = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
DMY_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def normal(value: Any) -> str:
    """Text with full-width forms folded (１２３ -> 123, ＠ -> @), trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and normal(value) in EMPTY)


def clean_number(value: Any) -> Decimal:
    """12万 -> 120000, 1.5亿 -> 150000000, ¥1,234.50 -> 1234.50, (300) -> -300, 95% -> 95."""
    if isinstance(value, bool):
        raise ValueError(Said(cs.EXPECTED_NUMBER, value=value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(Said(cs.EXPECTED_FINITE, value=value))
        return number
    original = str(value).strip()
    text = normal(value).replace(" ", "")
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    for _ in range(2):  # a symbol on one side and a word on the other: ¥12万元
        text = CURRENCY.sub("", text)
    if text.startswith(("-", "+")):
        negative, text = negative != (text[0] == "-"), text[1:]
    text = CURRENCY.sub("", text).removesuffix("%")
    found = _magnitude(text)
    if found is None:
        raise ValueError(Said(cs.NOT_A_NUMBER, value=original))
    return -found if negative else found


def _magnitude(text: str) -> Decimal | None:
    if NUMBER.match(text):
        return _plain(text)
    total, rest, last = Decimal(0), text, None
    while rest:
        part = UNIT_PART.match(rest)
        if part is None:
            break
        unit = UNITS[part.group(2)]
        if last is not None and unit >= last:  # 1万2亿 is no number
            return None
        total += _plain(part.group(1)) * unit
        rest, last = rest[part.end() :], unit
    if last is None:
        return None
    if rest:  # 3万5000 = 35000: a trailing plain part counts in ones
        if not NUMBER.match(rest):
            return None
        total += _plain(rest)
    return total


def _plain(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # the patterns rule this out; keep the message clear anyway
        raise ValueError(Said(cs.NOT_A_NUMBER, value=text)) from None


def clean_date(value: Any, fmt: str | None = None, day_first: bool | None = None) -> date:
    """A date from a cell: 2026-11-03, 2026/11/3, 2026年11月3日, 03.11.2026, 20261103, an Excel
    date or serial number; `fmt` (strptime) for anything else. Ambiguous 03/11/2026 needs
    `day_first` (or `fmt`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2_958_466:
            raise ValueError(Said(cs.NOT_A_DATE, value=value))
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = normal(value)
    if not text:
        raise ValueError(Said(cs.NO_DATE))
    if fmt:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            raise ValueError(Said(cs.NOT_A_DATE_IN, fmt=fmt, value=text)) from None
    for pattern, order in ((YMD, "ymd"), (CJK, "ymd"), (COMPACT, "ymd"), (DMY_DOTS, "dmy")):
        match = pattern.match(text)
        if match:
            return _make(text, match.groups(), order)
    match = SLASHED.match(text)
    if match:
        a, b = int(match.group(1)), int(match.group(2))
        if day_first is None and a <= 12 and b <= 12 and a != b:
            raise ValueError(Said(cs.AMBIGUOUS_DATE, value=text))
        first = day_first if day_first is not None else a > 12
        return _make(text, match.groups(), "dmy" if first else "mdy")
    raise ValueError(Said(cs.NOT_A_DATE, value=text))


def _make(text: str, parts: tuple[str | Any, ...], order: str) -> date:
    values = dict(zip(order, (int(p) for p in parts[:3]), strict=True))
    try:
        return date(values["y"], values["m"], values["d"])
    except ValueError:
        raise ValueError(Said(cs.NO_SUCH_DATE, value=text)) from None


def clean_email(value: Any) -> str:
    """Folded, trimmed, lower-case; must look like an address."""
    text = normal(value).lower()
    if "@" not in text or " " in text:
        raise ValueError(Said(cs.NOT_AN_EMAIL, value=str(value).strip()))
    return text


def clean_text(value: Any) -> str:
    """Folded and trimmed, inner runs of white space made one space."""
    return " ".join(normal(value).split())
