"""Issue 17: why a source's record is set aside (it can't be mapped, stored or matched) and
why a history file can't be opened are Saids: English word for word as before, Chinese for a
Chinese reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from connectors import strings as cs
from connectors.mapping import MappingError, parse_datetime, parse_decimal
from connectors.records import SourceRecord
from connectors.sync_batch import Batch, BatchWriter, Group
from connectors.tables import TableError, open_table
from handlers.i18n import say, speaking
from said import said_of
from tests.unit.connectors.test_mapping import RAW, mapper


@pytest.mark.parametrize(
    ("raw", "english", "chinese"),
    [
        ({**RAW, "id": None}, "no record id at id", "id 处没有记录 ID"),
        ({**RAW, "owner": None}, "no employee at owner.email", "owner.email 处没有员工"),
        (
            {**RAW, "owner": {"email": "alice"}},
            "employee at owner.email is not an e-mail",
            "owner.email 处的员工不是邮箱地址",
        ),
        ({**RAW, "closed": None}, "no date at closed", "closed 处没有日期"),
        ({**RAW, "closed": 5 * [1]}, "bad date at closed: expected a date, got [1, 1, 1, 1, 1]",
         "closed 处的日期有误：应为日期，实际为 [1, 1, 1, 1, 1]"),
        ({**RAW, "amount": None}, "no value at amount", "amount 处没有数值"),
        ({**RAW, "amount": "n/a"}, "bad value at amount: expected a number, got 'n/a'",
         "amount 处的数值有误：应为数字，实际为 'n/a'"),
        ({**RAW, "amount": "NaN"}, "bad value at amount: expected a finite number, got 'NaN'",
         "amount 处的数值有误：应为有限的数字，实际为 'NaN'"),
        ([1, 2], "record is list, not an object", "记录是 list，不是对象"),
    ],
)  # fmt: skip
def test_a_record_that_cannot_be_mapped_says_why_in_the_readers_language(
    raw: Any, english: str, chinese: str
) -> None:
    with pytest.raises(MappingError) as caught:
        mapper().map(raw)
    assert str(caught.value) == english
    assert said_of(caught.value) is not None
    with speaking("zh_CN"):
        assert say(caught.value) == chinese


def test_a_metric_name_field_that_is_empty_says_so() -> None:
    with pytest.raises(MappingError) as caught:
        mapper(metric_from="kind").map(RAW)
    assert str(caught.value) == "no metric name at kind"
    with speaking("zh_CN"):
        assert say(caught.value) == "kind 处没有指标名称"


def test_parsing_a_number_or_a_date_says_what_it_expected() -> None:
    for bad, english in (
        (True, "expected a number, got True"),
        ("x", "expected a number, got 'x'"),
    ):
        with pytest.raises(ValueError) as caught:
            parse_decimal(bad)
        assert str(caught.value) == english
        assert said_of(caught.value).msgid == cs.EXPECTED_NUMBER  # type: ignore[union-attr]
    with pytest.raises(ValueError) as caught:
        parse_datetime("  ")
    assert str(caught.value) == "expected a date, got '  '"
    with speaking("zh_CN"):
        assert say(caught.value) == "应为日期，实际为 '  '"


def rec(record_id: str, **extra: Any) -> SourceRecord:
    fields: dict[str, Any] = {
        "source": "crm", "record_id": record_id, "metric": "sales_amount",
        "value": Decimal(10), "occurred_on": date(2026, 11, 3), "employee_key": "ana@x.example",
        "employee_key_kind": "email", "link": None, "raw": {"id": record_id},
    }  # fmt: skip
    return SourceRecord(**(fields | extra))


def test_a_record_that_cannot_be_stored_says_why_in_the_readers_language() -> None:
    batch = Batch()
    batch.add_records([rec("X" * 129)])
    batch.add_records([rec("M-1", metric="")])
    batch.add_records([rec("B-1", value=Decimal("100000000000000"))])
    why = {k: g.dead[0][1] for k, g in batch.entries.items() if isinstance(g, Group)}
    assert why["X" * 129] == "record id longer than 128 characters"
    assert why["M-1"] == "metric name empty or longer than 64 characters"
    assert why["B-1"] == ("value 100000000000000 out of range (at most 14 digits before the point)")
    with speaking("zh_CN"):
        assert say(why["X" * 129]) == "记录 ID 超过 128 个字符"
        assert say(why["M-1"]) == "指标名称为空或超过 64 个字符"
        assert say(why["B-1"]) == "数值 100000000000000 超出范围（整数部分最多 14 位）"


def test_a_record_whose_employee_is_unknown_says_whom_in_the_readers_language() -> None:
    batch = Batch()
    batch.add_records([rec("E-1"), rec("I-1", employee_key="104", employee_key_kind="external_id")])
    writer = BatchWriter("crm")
    writer.preload(_NoPeople())  # type: ignore[arg-type]
    aside = {u.record_id: u.reason for u in writer.prepare(batch, "sqlite").aside}
    assert aside == {
        "E-1": "no employee with e-mail ana@x.example",
        "I-1": "no employee with external id 104",
    }
    with speaking("zh_CN"):
        assert say(aside["E-1"]) == "没有邮箱为 ana@x.example 的员工"
        assert say(aside["I-1"]) == "没有外部 ID 为 104 的员工"


class _NoPeople:
    """A session in which no employee is known (all_employee_keys finds no rows)."""

    def execute(self, *args: Any, **kwargs: Any) -> _NoPeople:
        return self

    def all(self) -> list[Any]:
        return []


def test_a_history_file_the_system_will_not_open_says_so_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sales.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(TableError) as caught:
        open_table(path, encoding="utf-8")
    assert str(caught.value) == "sales.csv: Permission denied"
    with speaking("zh_CN"):
        assert say(caught.value) == "sales.csv：没有读取权限"  # the system's words, translated
