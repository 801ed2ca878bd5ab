"""pydantic's errors in our words (connectors/validation.py): each error type a msgid with
its context as values, so a Chinese reader of a bad key reads Chinese; English is pydantic's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from bot.config import OutboxSettings, SchedulerSettings, Settings
from connectors import strings as cs
from connectors.config import SourceConfig
from connectors.history_import import ImportMapping
from connectors.validation import message, problems
from handlers.i18n import say, speaking
from said import said_of

SENTENCE = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")


def errors(model: type[BaseModel], data: Any) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value.errors(include_url=False)


def lowered(err: Any) -> str:
    return err["msg"][:1].lower() + err["msg"][1:]


SOURCE = {"name": "crm", "base_url": "https://x", "endpoint": {"path": "/p"}}
MAPPING = {
    "employee": {"column": "E"},
    "date": {"column": "D"},
    "metrics": [{"name": "m", "column": "M"}],
}
BAD = [
    (SourceConfig, {**SOURCE, "name": "Bad"}, "string_pattern_mismatch"),
    (SourceConfig, {**SOURCE, "endpoint": {"path": "/p", "method": "PUT"}}, "literal_error"),
    (SourceConfig, {**SOURCE, "retry": {"max_attempts": 0}}, "greater_than_equal"),
    (SourceConfig, {**SOURCE, "retry": {"max_attempts": 99}}, "less_than_equal"),
    (SourceConfig, {**SOURCE, "timeouts": {"read": 0}}, "greater_than"),
    (SourceConfig, {**SOURCE, "timeouts": {"read": "soon"}}, "float_parsing"),
    (SourceConfig, {**SOURCE, "retry": {"max_attempts": "x"}}, "int_parsing"),
    (SourceConfig, {**SOURCE, "retry": {"max_attempts": 1.5}}, "int_from_float"),
    (SourceConfig, {**SOURCE, "endpoint": "p"}, "model_type"),
    (SourceConfig, {**SOURCE, "name": 5}, "string_type"),
    (
        SourceConfig,
        {**SOURCE, "incremental": {"initial": "2026-13-01"}},
        "datetime_from_date_parsing",
    ),
    (ImportMapping, {**MAPPING, "metrics": []}, "too_short"),
    (ImportMapping, {**MAPPING, "date": {"column": "D", "day_first": "maybe"}}, "bool_parsing"),
    (ImportMapping, {**MAPPING, "employee": {"column": "E", "kind": "id"}}, "literal_error"),
    (ImportMapping, {**MAPPING, "header_row": "one"}, "int_parsing"),
    (ImportMapping, {**MAPPING, "surprise": 1}, "extra_forbidden"),
]


@pytest.mark.parametrize(("model", "data", "kind"), BAD)
def test_english_is_pydantics_own_words(model: type[BaseModel], data: Any, kind: str) -> None:
    found = [e for e in errors(model, data) if e["type"] == kind]
    assert found, errors(model, data)
    for err in found:
        said = message(err)
        assert said == lowered(err)
        assert said_of(said) is not None, f"{kind} has no msgid"


@pytest.mark.parametrize(("model", "data", "kind"), BAD)
def test_chinese_has_no_english_sentence(model: type[BaseModel], data: Any, kind: str) -> None:
    for err in errors(model, data):
        with speaking("zh_CN"):
            zh = say(message(err))
        assert not SENTENCE.findall(zh), (kind, zh)
        assert zh != lowered(err)


def test_a_parse_detail_is_said_too() -> None:
    bad = {**SOURCE, "incremental": {"initial": "2026-13-01"}}
    (err,) = [e for e in errors(SourceConfig, bad) if e["loc"] == ("incremental", "initial")]
    assert (
        message(err) == "input should be a valid datetime or date, month value is outside "
        "expected range of 1-12"
    )
    with speaking("zh_CN"):
        assert say(message(err)) == "应为有效的日期时间或日期：月份应在 1–12 之间"


def test_counted_nouns_take_their_form() -> None:
    (err,) = errors(ImportMapping, {**MAPPING, "metrics": []})
    assert message(err) == "list should have at least 1 item after validation, not 0"
    assert said_of(message(err)).msgid == cs.PYDANTIC["too_short"]  # type: ignore[union-attr]


def test_an_unknown_type_keeps_pydantics_english() -> None:
    err = {"type": "no_such_type_yet", "msg": "Something new happened", "loc": ("x",)}
    assert message(err) == "something new happened"
    assert said_of(message(err)) is None


def test_a_validators_own_said_is_kept() -> None:
    (err,) = [
        e
        for e in errors(SourceConfig, {**SOURCE, "base_url": "ftp://x"})
        if e["loc"] == ("base_url",)
    ]
    assert message(err) == cs.NOT_HTTP and said_of(message(err)).msgid == cs.NOT_HTTP  # type: ignore[union-attr]


def test_settings_problems_name_the_variable_and_speak_chinese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PERFBOT_OUTBOX_MAX_ATTEMPTS", "0")
    monkeypatch.setenv("PERFBOT_OUTBOX_BATCH", "many")
    with pytest.raises(ValidationError) as caught:
        OutboxSettings()
    said = problems(caught.value)
    assert said == (
        "max_attempts: input should be greater than or equal to 1; "
        "batch: input should be a valid integer, unable to parse string as an integer"
    )
    with speaking("zh_CN"):
        assert (
            say(said)
            == "max_attempts：应大于或等于 1；batch：应为有效的整数：无法把该字符串解析为整数"
        )


def test_settings_of_a_pattern_and_a_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFBOT_SCHEDULER_PERIOD_CLOSE_AT", "late")
    with pytest.raises(ValidationError) as caught:
        SchedulerSettings()
    with speaking("zh_CN"):
        zh = say(problems(caught.value))
    assert zh.startswith("period_close_at：字符串应符合模式") and not SENTENCE.findall(zh)
    monkeypatch.delenv("PERFBOT_SCHEDULER_PERIOD_CLOSE_AT")
    monkeypatch.setenv("PERFBOT_METRICS_PORT", "70000")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert problems(caught.value) == "metrics_port: input should be less than or equal to 65535"


def test_a_literals_choices_are_joined_in_the_readers_words() -> None:
    bad = {**SOURCE, "endpoint": {"path": "/p", "method": "PUT"}}
    (err,) = [e for e in errors(SourceConfig, bad) if e["type"] == "literal_error"]
    assert message(err) == lowered(err) == "input should be 'GET' or 'POST'"
    with speaking("zh_CN"):
        zh = say(message(err))
    assert "'GET' 或 'POST'" in zh and " or " not in zh, zh
