"""Periods: the tokens people type for them and the dates they stand for (pure)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from handlers import strings_en as en
from said import Said

PeriodKind = Literal["month", "quarter", "year", "last", "current"]

# Wide enough for history imports, narrow enough that date arithmetic never leaves `date`.
MIN_YEAR, MAX_YEAR = 1900, 2999

_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_QUARTER = re.compile(r"([0-9]{4})-?q([0-9]{1,2})")
_YEAR = re.compile(r"[0-9]{4}")
# Anything a person plausibly meant as a period, so a typo gets a period hint, not a shrug.
_SHAPED = re.compile(r"[0-9].*|q[0-9]+", re.DOTALL)


@dataclass(frozen=True)
class PeriodRef:
    """A period as typed: 2026-11 (month), 2026-Q4 (quarter), 2026 (year), last or current."""

    kind: PeriodKind
    year: int | None = None
    number: int | None = None


def parse_period(token: str) -> PeriodRef | None:
    """The period a token names; None if it isn't one, ValueError if it is a bad one."""
    word = unicodedata.normalize("NFKC", token).strip().casefold()
    if word in ("last", "上期"):  # the Chinese words as /help writes them there
        return PeriodRef("last")
    if word in ("current", "this", "本期"):
        return PeriodRef("current")
    if not _SHAPED.fullmatch(word):
        return None
    if m := _MONTH.fullmatch(word):
        year, number, top = int(m[1]), int(m[2]), 12
    elif m := _QUARTER.fullmatch(word):
        year, number, top = int(m[1]), int(m[2]), 4
    elif _YEAR.fullmatch(word):
        year, number, top = int(word), 1, 1
    else:
        raise ValueError(token)
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= number <= top):
        raise ValueError(token)
    if top == 1:
        return PeriodRef("year", year)
    return PeriodRef("month" if top == 12 else "quarter", year, number)


@dataclass(frozen=True)
class PeriodSpan:
    """A concrete period: key ("2026-11", "2026-Q4", "2026"), kind, first and last day."""

    key: str
    kind: str
    start: date
    end: date


def month_span(year: int, month: int) -> PeriodSpan:
    """The calendar month, e.g. 2026-11: 1 to 30 November 2026."""
    end = date(year, month, calendar.monthrange(year, month)[1])
    return PeriodSpan(f"{year:04d}-{month:02d}", "month", date(year, month, 1), end)


def quarter_span(year: int, q: int) -> PeriodSpan:
    """The calendar quarter, e.g. 2026-Q4: 1 October to 31 December 2026."""
    if not 1 <= q <= 4:
        raise ValueError(Said(en.QUARTER_RANGE, q=q))
    last = 3 * q
    end = date(year, last, calendar.monthrange(year, last)[1])
    return PeriodSpan(f"{year:04d}-Q{q}", "quarter", date(year, last - 2, 1), end)


def year_span(year: int) -> PeriodSpan:
    """The calendar year, e.g. 2026: 1 January to 31 December 2026."""
    return PeriodSpan(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))


def containing(day: date, kind: str) -> PeriodSpan:
    """The month, quarter or year that contains `day`."""
    if kind == "month":
        return month_span(day.year, day.month)
    if kind == "quarter":
        return quarter_span(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year_span(day.year)
    raise ValueError(Said(en.NOT_A_PERIOD_KIND, kind=kind))


def previous(span: PeriodSpan) -> PeriodSpan:
    """The period of the same kind just before `span`."""
    return containing(span.start - timedelta(days=1), span.kind)


def resolve(
    ref: PeriodRef | None, today: date, default_kind: Literal["month", "quarter"] = "month"
) -> PeriodSpan:
    """Dates for a typed period; None/current is the one containing today, last the one before."""
    if ref is None or ref.kind == "current":
        return containing(today, default_kind)
    if ref.kind == "last":
        return previous(containing(today, default_kind))
    if ref.year is None:
        raise ValueError(Said(en.PERIOD_NO_YEAR, ref=ref))
    if ref.kind == "year":
        return year_span(ref.year)
    if ref.number is None:
        raise ValueError(Said(en.PERIOD_NO_NUMBER, ref=ref))
    if ref.kind == "month":
        return month_span(ref.year, ref.number)
    return quarter_span(ref.year, ref.number)


def resolve_key(key: str) -> PeriodSpan:
    """The span of an absolute period key (`2026-11`, `2026-Q4`, `2026`); ValueError if not."""
    ref = parse_period(key.strip())
    if ref is None or ref.kind in ("last", "current"):
        raise ValueError(Said(en.NOT_A_PERIOD_KEY, key=key))
    return resolve(ref, date(ref.year or 2000, 1, 1))
