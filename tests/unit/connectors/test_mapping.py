"""Raw record -> SourceRecords: ids, employees, dates in the source's zone, voids, rejections."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from connectors.mapping import (
    MappingConfig,
    MappingError,
    RecordMapper,
    get_path,
    parse_datetime,
    parse_decimal,
    render,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def mapper(tz: Any = UTC, variables: dict[str, str] | None = None, **cfg: Any) -> RecordMapper:
    base = {
        "record_id": "id",
        "employee": {"field": "owner.email", "kind": "email"},
        "date": "closed",
        "metric": "sales",
        "value": "amount",
    }
    if "metrics" in cfg:
        del base["metric"], base["value"]
    if "metric_from" in cfg:
        del base["metric"]
    config = MappingConfig.model_validate(base | cfg)
    return RecordMapper("crm", config, variables=variables or {}, tz=tz)


RAW = {
    "id": 7,
    "owner": {"email": " Alice@Example.COM "},
    "closed": "2024-03-31T20:00:00Z",
    "amount": "1,250.50",
}


def test_maps_a_record() -> None:
    [record] = mapper().map(RAW)
    assert record.key == ("crm", "7", "sales")
    assert record.employee_key == "alice@example.com" and record.employee_key_kind == "email"
    assert record.value == Decimal("1250.50")
    assert record.occurred_on == date(2024, 3, 31)
    assert record.raw is RAW and not record.void


def test_the_day_is_the_day_in_the_source_time_zone() -> None:
    [record] = mapper(tz=SHANGHAI).map(RAW)
    assert record.occurred_on == date(2024, 4, 1)  # 04:00 on 1 April in Shanghai


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({**RAW, "id": None}, "no record id at id"),
        ({**RAW, "owner": None}, "no employee at owner.email"),
        ({**RAW, "owner": {"email": "alice"}}, "is not an e-mail"),
        ({**RAW, "closed": None}, "no date at closed"),
        ({**RAW, "closed": "31/03/2024"}, "bad date at closed"),
        ({**RAW, "amount": None}, "no value at amount"),
        ({**RAW, "amount": "n/a"}, "bad value at amount"),
        ({**RAW, "amount": "NaN"}, "bad value at amount"),
        ([1, 2], "record is list"),
    ],
)
def test_unmappable_records_say_why(raw: Any, reason: str) -> None:
    with pytest.raises(MappingError, match=reason):
        mapper().map(raw)


def test_several_metrics_with_conditions_come_back_void_when_false() -> None:
    m = mapper(
        metrics=[
            {"name": "csat_good", "value": 1, "when": {"field": "score", "in": ["good"]}},
            {"name": "csat_bad", "value": 1, "when": {"field": "score", "in": ["bad"]}},
        ]
    )
    good = {r.metric: r for r in m.map({**RAW, "score": "good"})}
    assert not good["csat_good"].void and good["csat_bad"].void
    offered = m.map({**RAW, "score": "offered"})
    assert all(r.void for r in offered) and len(offered) == 2


def test_void_conditions_and_boolean_matching() -> None:
    m = mapper(
        void=[{"field": "archived", "in": [True]}, {"field": "status", "in": ["Voided", "deleted"]}]
    )
    assert m.map({**RAW, "archived": True})[0].void
    assert m.map({**RAW, "archived": "true", "status": "open"})[0].void
    assert m.map({**RAW, "status": "VOIDED"})[0].void
    assert not m.map({**RAW, "archived": False, "status": "open"})[0].void
    keep = mapper(void=[{"field": "status", "not_in": ["approved"]}])
    assert keep.map({**RAW, "status": "pending"})[0].void
    assert keep.map({**RAW, "status": None})[0].void


def test_a_void_record_without_a_value_still_voids_its_fact() -> None:
    m = mapper(void=[{"field": "status", "in": ["void"]}])
    [record] = m.map({**RAW, "status": "void", "amount": None})
    assert record.void and record.value == 0


def test_metric_name_from_a_field_and_external_ids() -> None:
    m = mapper(
        employee={"field": "agent", "kind": "external_id"}, metric_from="kind", value="amount"
    )
    [record] = m.map({**RAW, "agent": 201, "kind": "collected"})
    assert record.metric == "collected" and record.employee_key == "201"


def test_link_template_from_variables_and_record_fields() -> None:
    m = mapper(
        variables={"portal": "42"}, link="https://app.hubspot.com/contacts/{portal}/deal/{id}"
    )
    assert m.map(RAW)[0].link == "https://app.hubspot.com/contacts/42/deal/7"
    assert mapper(link="https://x/{portal}/{id}").map(RAW)[0].link is None  # no portal: no link


def test_updated_at_is_parsed_when_present() -> None:
    m = mapper(updated_at="meta.updated")
    assert m.map({**RAW, "meta": {"updated": 1_700_000_000_000}})[0].updated_at == datetime(
        2023, 11, 14, 22, 13, 20, tzinfo=UTC
    )
    assert m.map({**RAW, "meta": {"updated": "garbage"}})[0].updated_at is None


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("2024-03-01T10:00:00.000+0000", "iso", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("2019-12-07T16:50:06.678Z", "iso", datetime(2019, 12, 7, 16, 50, 6, 678000, tzinfo=UTC)),
        ("2024-03-01", "iso", datetime(2024, 3, 1, tzinfo=UTC)),
        (1709287200000, "epoch_ms", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("1709287200", "epoch_s", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("01/03/2024 10:00", "%d/%m/%Y %H:%M", datetime(2024, 3, 1, 10, tzinfo=UTC)),
    ],
)
def test_parse_datetime(value: Any, fmt: str, expected: datetime) -> None:
    assert parse_datetime(value, fmt) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(12, "12"), (0.1, "0.1"), ("1,000.25", "1000.25"), (" 3 ", "3")]
)
def test_parse_decimal(value: Any, expected: str) -> None:
    assert parse_decimal(value) == Decimal(expected)


@pytest.mark.parametrize("value", [True, None, "", "Infinity", "12abc"])
def test_parse_decimal_rejects(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_decimal(value)


def test_get_path_and_render() -> None:
    data = {"a": {"b": [{"c": 1}]}}
    assert get_path(data, "a.b.0.c") == 1
    assert get_path(data, "") is data
    assert get_path(data, "a.x", None) is None
    with pytest.raises(KeyError):
        get_path(data, "a.b.5")
    lookup = {"since": "1700", "n": 5}.__getitem__
    template = {"filters": [{"value": "{since}"}], "q": "updated >= {since} AND {x y}", "n": "{n}"}
    assert render(template, lookup) == {
        "filters": [{"value": "1700"}],
        "q": "updated >= 1700 AND {x y}",
        "n": 5,
    }
