"""Periods: typed tokens, spans and the arithmetic between them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.periods import (
    PeriodRef,
    PeriodSpan,
    containing,
    month_span,
    parse_period,
    previous,
    quarter_span,
    resolve,
    year_span,
)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("2026-11", PeriodRef("month", 2026, 11)),
        ("2026-1", PeriodRef("month", 2026, 1)),
        ("2026-01", PeriodRef("month", 2026, 1)),
        ("2026-Q4", PeriodRef("quarter", 2026, 4)),
        ("2026-q1", PeriodRef("quarter", 2026, 1)),
        ("2026Q2", PeriodRef("quarter", 2026, 2)),
        ("２０２６－１１", PeriodRef("month", 2026, 11)),
        ("2026", PeriodRef("year", 2026)),
        ("last", PeriodRef("last")),
        ("LAST", PeriodRef("last")),
        ("current", PeriodRef("current")),
        ("this", PeriodRef("current")),
        ("sales", None),
        ("@ana", None),
        ("", None),
    ],
)
def test_parse_period(token: str, expected: PeriodRef | None) -> None:
    assert parse_period(token) == expected


@pytest.mark.parametrize(
    "token",
    ["2026-13", "2026-0", "2026-Q5", "2026-Q0", "2026-", "2026q", "1899", "3000", "12", "q4"],
)
def test_parse_period_rejects_period_shaped_nonsense(token: str) -> None:
    with pytest.raises(ValueError):
        parse_period(token)


@pytest.mark.parametrize(
    ("span", "key", "start", "end"),
    [
        (month_span(2026, 11), "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        (month_span(2026, 12), "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        (month_span(2028, 2), "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        (month_span(2026, 2), "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        (quarter_span(2026, 1), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        (quarter_span(2026, 4), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        (year_span(2026), "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_spans(span: PeriodSpan, key: str, start: date, end: date) -> None:
    assert (span.key, span.start, span.end) == (key, start, end)


def test_spans_reject_bad_numbers() -> None:
    with pytest.raises(ValueError):
        month_span(2026, 13)
    with pytest.raises(ValueError):
        quarter_span(2026, 5)


@pytest.mark.parametrize(
    ("span", "before"),
    [
        (month_span(2026, 11), month_span(2026, 10)),
        (month_span(2026, 1), month_span(2025, 12)),
        (quarter_span(2026, 1), quarter_span(2025, 4)),
        (quarter_span(2026, 3), quarter_span(2026, 2)),
        (year_span(2026), year_span(2025)),
    ],
)
def test_previous(span: PeriodSpan, before: PeriodSpan) -> None:
    assert previous(span) == before


TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    ("ref", "kind", "key"),
    [
        (None, "month", "2026-01"),
        (None, "quarter", "2026-Q1"),
        (PeriodRef("current"), "month", "2026-01"),
        (PeriodRef("current"), "quarter", "2026-Q1"),
        (PeriodRef("last"), "month", "2025-12"),
        (PeriodRef("last"), "quarter", "2025-Q4"),
        (PeriodRef("month", 2026, 11), "quarter", "2026-11"),
        (PeriodRef("quarter", 2026, 4), "month", "2026-Q4"),
        (PeriodRef("year", 2025), "month", "2025"),
    ],
)
def test_resolve(ref: PeriodRef | None, kind: Literal["month", "quarter"], key: str) -> None:
    assert resolve(ref, TODAY, kind).key == key


@pytest.mark.parametrize(
    "ref",
    [PeriodRef("month"), PeriodRef("month", 2026), PeriodRef("quarter", 2026, 5)],
)
def test_resolve_rejects_malformed_refs(ref: PeriodRef) -> None:
    with pytest.raises(ValueError):
        resolve(ref, TODAY)


def test_containing_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError):
        containing(TODAY, "week")


@given(
    st.dates(date(1901, 1, 1), date(2998, 12, 31)), st.sampled_from(["month", "quarter", "year"])
)
def test_spans_tile_the_calendar(day: date, kind: str) -> None:
    span = containing(day, kind)
    assert span.start <= day <= span.end
    assert previous(span).end + timedelta(days=1) == span.start
    assert parse_period(span.key) is not None
    assert resolve(parse_period(span.key), day) == span
