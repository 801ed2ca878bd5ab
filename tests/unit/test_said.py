"""said/: English as today, the msgid kept for the edge, rendered in the reader's locale."""

from __future__ import annotations

import json
import pickle

from handlers.i18n import say, speaking
from handlers.periods import resolve_key
from said import Said, SaidError, data_of, from_data, joined, said_of, to_data


def test_a_said_is_its_english_and_keeps_its_msgid() -> None:
    s = Said("{where}: unknown time zone {tz!r}", where=Said("line {n}", n=3), tz="X/Y")
    assert s == "line 3: unknown time zone 'X/Y'"
    assert (s.msgid, s.params["tz"]) == ("{where}: unknown time zone {tz!r}", "X/Y")
    back = pickle.loads(pickle.dumps(s))
    assert (back, back.msgid, back.params) == (s, s.msgid, s.params)


def test_an_exception_raised_with_a_said_has_it_unless_it_words_itself() -> None:
    s = Said("not found: {who}", who="a@x.com")
    assert said_of(ValueError(s)) is s
    assert said_of(SaidError(s)).msgid == "not found: {who}"  # type: ignore[union-attr]
    assert said_of(ValueError(s, 2)) is None  # str() is the tuple, not the Said
    assert said_of(ValueError("plain")) is None and said_of("plain") is None


def test_the_edge_says_it_in_the_readers_locale_nested_saids_too() -> None:
    s = Said("{where}: unknown time zone {tz!r}", where=Said("line {n}", n=3), tz="X/Y")
    both = joined("\n", [s, "as is"])
    with speaking("zh_CN"):
        assert say(s) == "第 3 行：未知的时区 'X/Y'"
        assert say(ValueError(s)) == "第 3 行：未知的时区 'X/Y'"
        assert say(ValueError(both)) == "第 3 行：未知的时区 'X/Y'\nas is"
        assert say(KeyError("k")) == "'k'"
    assert say(s) == str(s) == "line 3: unknown time zone 'X/Y'"


def test_a_said_stored_as_data_is_said_again_and_anything_else_is_not() -> None:
    s = Said("{where}: gave up after {tries} in {seconds:.1f} s", where="GET /x",
             tries=Said("{n} attempts", n=6), seconds=12.25)  # fmt: skip
    back = from_data(json.loads(json.dumps(to_data(s))))
    assert back == s == "GET /x: gave up after 6 attempts in 12.2 s"
    assert back is not None and back.params["tries"].msgid == "{n} attempts"
    assert from_data("plain") is None and from_data({"msgid": 3}) is None
    assert from_data({"msgid": "{gone}", "params": {}}) is None  # the words changed since


def test_a_period_key_refused_below_the_edge_is_said_in_chinese() -> None:
    try:
        resolve_key("soon")
    except ValueError as exc:
        assert str(exc) == "'soon' is not a period key such as 2026-11 or 2026-Q4"
        with speaking("zh_CN"):
            assert say(exc) == "“soon”不是 2026-11 或 2026-Q4 这样的周期"
    else:
        raise AssertionError("soon is no period key")


def test_a_joined_list_takes_the_readers_punctuation() -> None:
    listed = joined("; ", [joined(", ", ["a", "b"]), "c"])
    assert say(listed) == "a, b; c"
    with speaking("zh_CN"):
        assert say(listed) == "a、b；c"
    lines = joined("\n", ["a", "b"], lead="  - ")  # a lead or separator not catalogued: as is
    with speaking("zh_CN"):
        assert say(lines) == "  - a\n  - b"


def test_data_of_stores_a_said_and_nothing_for_plain_text() -> None:
    said = Said("{source}: HTTP {status}", source="crm", status=503)
    assert data_of(said) == to_data(said)
    assert data_of(SaidError(said)) == to_data(said)
    assert data_of("HTTP 503") is None and data_of(None) is None
