"""Properties of the parser: it never raises, and what it returns is always usable."""

from __future__ import annotations

import time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import strings_en as S
from handlers.commands import COMMAND_NAMES, Command, Invalid, Kpi, PersonRef, Score, parse

NAMES = [*COMMAND_NAMES, "start", "cancel", "perf", "goal", "scor", "", "Score", "ＫＰＩ"]

mentions = st.one_of(
    st.from_regex(r"<@[a-z]{0,12}:[A-Za-z0-9_.-]{0,70}>", fullmatch=True),
    st.from_regex(r"@[A-Za-z0-9_]{0,40}", fullmatch=True),
    st.emails().flatmap(lambda e: st.sampled_from([e, f"@{e}", e.upper()])),
    st.sampled_from(["<@>", "<!here>", "<#C024BE7LR|general>", "@", "ana@", "<mailto:x>"]),
)
periods = st.one_of(
    st.builds("{}-{}".format, st.integers(0, 10000), st.integers(-1, 20)),
    st.builds("{}-Q{}".format, st.integers(0, 10000), st.integers(-1, 9)),
    st.builds(str, st.integers(0, 10000)),
    st.sampled_from(["last", "current", "this", "LAST", "q4", "2026-", "2026q", "２０２６－１１"]),
)
numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.builds(
        "{}{}{}".format,
        st.sampled_from(["", "-", "+", "$", "¥"]),
        st.from_regex(r"[0-9]{0,20}(,[0-9]{3}){0,3}(\.[0-9]{0,6})?", fullmatch=True),
        st.sampled_from(["", "k", "K", "m", "M", "b", "万", "亿", "千", "%", "kk"]),
    ),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "sNaN", "８００００", "1e999999"]),
)
words = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,12}", fullmatch=True),
    st.sampled_from(["what-if", "WHAT-IF", "whatif", "update", "ack", "#tag", "#", "<", ">"]),
    st.sampled_from(["https://crm.example.com/d/1", "<https://x.example.com/a?b=1&amp;c|l>"]),
    st.text(max_size=12),
)
tokens = st.lists(st.one_of(mentions, periods, numbers, words), max_size=10)
spaces = st.sampled_from([" ", "  ", "\n", "\t", " \n "])


@st.composite
def command_lines(draw: st.DrawFn) -> str:
    """A command name in any dress, then tokens of every kind, joined by odd whitespace."""
    name = draw(st.sampled_from(NAMES))
    head = draw(st.sampled_from(["/", "", "/help "])) + name
    parts = [head, *draw(tokens)]
    return "".join(p + draw(spaces) for p in parts)


def _check(result: object) -> None:
    assert isinstance(result, Command | Invalid)
    if isinstance(result, Invalid):
        assert result.usage and result.problem
        assert result.problem != S.ERR_INTERNAL  # the safety net in parse() is never needed


@settings(max_examples=1500)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    _check(parse(text))


@settings(max_examples=1500)
@given(command_lines())
def test_never_raises_on_command_like_text(text: str) -> None:
    _check(parse(text))


long_texts = st.builds(
    lambda head, unit, extra: head + unit * (4001 // len(unit) + 1 + extra),
    command_lines(),
    st.text(min_size=1, max_size=20),
    st.integers(0, 200),
)


@settings(max_examples=200)
@given(long_texts)
def test_too_long_is_invalid_and_fast(text: str) -> None:
    started = time.perf_counter()
    result = parse(text)
    assert isinstance(result, Invalid) and result.usage
    assert time.perf_counter() - started < 0.05


def test_worst_case_input_at_the_limit_is_fast() -> None:
    for text in ("/score " + "<a " * 1330, "/kpi " + "@a" * 1995, "/goals " + "1-" * 1995):
        started = time.perf_counter()
        _check(parse(text[:4000]))
        assert time.perf_counter() - started < 0.2


people = st.one_of(
    st.tuples(
        st.from_regex(r"[a-z][a-z0-9_-]{0,31}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True),
    ).map(lambda p: (f"<@{p[0]}:{p[1]}>", PersonRef("chat", p[1], p[0]))),
    st.from_regex(r"[A-Za-z0-9_]{1,32}", fullmatch=True).map(
        lambda v: (f"@{v}", PersonRef("handle", v))
    ),
)


@given(people, st.integers(2000, 2100), st.integers(1, 12), st.booleans())
def test_person_and_period_in_either_order(
    person: tuple[str, PersonRef], year: int, month: int, swap: bool
) -> None:
    mention, ref = person
    args = [f"{year}-{month:02d}", mention]
    result = parse("/score " + " ".join(reversed(args) if swap else args))
    assert isinstance(result, Score) and result.who == ref
    assert result.period is not None and (result.period.year, result.period.number) == (year, month)


@given(st.integers(0, 10**12))
def test_grouped_and_scaled_numbers_mean_the_same(n: int) -> None:
    forms = [str(n), f"{n:,}", f"{Decimal(n) / 1000:f}k", f"{Decimal(n) / 10**4:f}万"]
    for form in forms:
        result = parse(f"/kpi @ana sales {form} market change")
        assert isinstance(result, Kpi) and result.new_target == n, form
