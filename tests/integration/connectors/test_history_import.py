"""History import: a dirty CSV and an Excel file, validated row by row, stored exactly once."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from connectors.config import ConfigError
from connectors.history_import import ImportMapping, import_history, load_mapping
from connectors.tables import TableError
from store.models import Employee, MetricFact

DIRTY = """销售,日期,金额,回款,单号,备注
 ana.li@acme.example ,2026年11月3日,12万,"¥98,000.50",A-1,ok
ANA.LI@ACME.EXAMPLE,2026/11/4,1.5亿,,A-2,big one
ｚｈｏｕ.ｔａｏ＠acme.example,03.11.2026,"３，４５６",RMB 1200,A-3,full-width
ana.li@acme.example,2026-11-05,12abc,,A-4,bad number
nobody@acme.example,2026-11-05,100,,A-5,unknown person
ana.li@acme.example,2025-01-05,100,,A-6,no period
ana.li@acme.example,2026年11月3日,12万,"¥98,000.50",A-1,same order again
,,,,,
ana.li@acme.example,2026-11-31,5,,A-7,bad date
zhou.tao@acme.example,2026-11-06,-,—,A-8,nothing
"""
MAPPING = {
    "employee": {"column": "销售"},
    "date": {"column": "日期"},
    "metrics": [
        {"name": "sales_amount", "column": "金额"},
        {"name": "collected", "column": "回款"},
    ],
    "unique": ["单号"],
}
REJECTED = [
    (5, ["金额: not a number: '12abc'"]),
    (6, ["unknown employee nobody@acme.example"]),
    (7, ["date 2025-01-05 is outside every period"]),
    (8, ["duplicate of row 2"]),
    (10, ["日期: no such date: '2026-11-31'"]),
    (11, ["no value in 金额, 回款"]),
]


def write(tmp_path: Path, text: str, name: str = "sales-2026.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def facts(demo, source: str) -> dict[tuple[str, str, str], tuple[Decimal, bool]]:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        rows = uow.session.execute(
            select(MetricFact, Employee.email)
            .join(Employee, Employee.id == MetricFact.employee_id)
            .where(MetricFact.source == source)
        ).all()
    return {
        (f.record_id, f.metric, email): (Decimal(str(f.value)).quantize(Decimal("0.01")), f.void)
        for f, email in rows
    }


def test_a_dirty_csv_imports_its_good_rows_and_reports_every_bad_one(demo, tmp_path) -> None:
    path = write(tmp_path, DIRTY)
    mapping = ImportMapping.model_validate(MAPPING)
    report = import_history(path, mapping, demo.uow())
    assert [(r.row, r.reasons) for r in report.rejected] == REJECTED
    assert (report.rows, report.accepted, report.blank) == (9, 3, 1)  # rows: not blank
    assert (report.new, report.changed, report.voided) == (5, 0, 0)
    assert report.source == "import:sales-2026.csv"
    assert facts(demo, report.source) == {
        ("sales-2026.csv:2", "sales_amount", "ana.li@acme.example"): (Decimal("120000.00"), False),
        ("sales-2026.csv:2", "collected", "ana.li@acme.example"): (Decimal("98000.50"), False),
        ("sales-2026.csv:3", "sales_amount", "ana.li@acme.example"): (
            Decimal("150000000.00"),
            False,
        ),
        ("sales-2026.csv:4", "sales_amount", "zhou.tao@acme.example"): (Decimal("3456.00"), False),
        ("sales-2026.csv:4", "collected", "zhou.tao@acme.example"): (Decimal("1200.00"), False),
    }
    with demo.uow() as uow:
        fact = uow.session.scalar(
            select(MetricFact).where(MetricFact.record_id == "sales-2026.csv:2").limit(1)
        )
    assert fact is not None and fact.raw is not None and fact.raw["_row"] == 2
    assert fact.raw["备注"] == "ok" and fact.raw_hash

    again = import_history(path, mapping, demo.uow())
    assert (again.new, again.changed, again.voided) == (0, 0, 0)
    assert facts(demo, report.source) == facts(demo, again.source)


def test_a_corrected_file_changes_exactly_what_was_corrected(demo, tmp_path) -> None:
    mapping = ImportMapping.model_validate(MAPPING)
    import_history(write(tmp_path, DIRTY), mapping, demo.uow())
    lines = DIRTY.splitlines()
    lines[2] = lines[2].replace("1.5亿", "2亿")  # row 3 corrected
    lines[3] = lines[3].replace("RMB 1200", "")  # row 4 loses its payment
    lines[1] = ",,,,,"  # row 2 removed (left blank)
    report = import_history(write(tmp_path, "\n".join(lines) + "\n"), mapping, demo.uow())
    # row 8 is no longer a duplicate of row 2: 2 new; rows 3 and 4 changed (row 4's raw
    # record did); row 2's two facts and row 4's payment voided
    assert (report.new, report.changed, report.voided) == (2, 2, 3)
    live = {k[:2]: v[0] for k, v in facts(demo, report.source).items() if not v[1]}
    assert live == {
        ("sales-2026.csv:3", "sales_amount"): Decimal("200000000.00"),
        ("sales-2026.csv:4", "sales_amount"): Decimal("3456.00"),
        ("sales-2026.csv:8", "sales_amount"): Decimal("120000.00"),
        ("sales-2026.csv:8", "collected"): Decimal("98000.50"),
    }
    assert [r.row for r in report.rejected] == [5, 6, 7, 10, 11]  # row 8 no longer a duplicate


def test_dry_run_counts_but_stores_nothing(demo, tmp_path) -> None:
    report = import_history(
        write(tmp_path, DIRTY), ImportMapping.model_validate(MAPPING), demo.uow(), dry_run=True
    )
    assert report.dry_run and report.new == 5 and len(report.rejected) == 6
    assert facts(demo, report.source) == {}


def test_an_excel_file_with_a_title_row_typed_cells_and_a_named_sheet(demo, tmp_path) -> None:
    book = Workbook()
    book.active.title = "notes"
    sheet = book.create_sheet("2026")
    sheet.append(["Q4 collections (exported)"])
    sheet.append(["Employee ID", "Paid on", "Amount", "Invoice"])
    sheet.append(["SALEAS-001", datetime(2026, 11, 2), 1234.5, "INV-1"])  # Ana Li
    sheet.append(["SALEAS-002", "2026年10月30日", "3.2万", "INV-2"])
    sheet.append(["SALEAS-002", 46328, 10, "INV-3"])  # an Excel serial date: 2026-11-02
    sheet.append(["NOPE-9", datetime(2026, 11, 2), 10, "INV-4"])
    path = tmp_path / "collections.xlsx"
    book.save(path)
    mapping = ImportMapping.model_validate(
        {
            "sheet": "2026",
            "header_row": 2,
            "employee": {"column": "Employee ID", "kind": "external_id"},
            "date": {"column": "Paid on"},
            "metrics": [{"name": "collected", "column": "Amount"}],
            "unique": ["Invoice"],
        }
    )
    report = import_history(path, mapping, demo.uow())
    assert [(r.row, r.reasons) for r in report.rejected] == [(6, ["unknown employee NOPE-9"])]
    assert report.accepted == 3
    got = facts(demo, "import:collections.xlsx")
    assert got[("collections.xlsx:3", "collected", "ana.li@acme.example")][0] == Decimal("1234.50")
    assert got[("collections.xlsx:4", "collected", "zhou.tao@acme.example")][0] == Decimal(
        "32000.00"
    )


def test_file_level_problems_are_clear(demo, tmp_path) -> None:
    mapping = ImportMapping.model_validate({**MAPPING, "date": {"column": "Date"}})
    with pytest.raises(TableError, match=r"no column 'Date' in the header row .*日期"):
        import_history(write(tmp_path, DIRTY), mapping, demo.uow())
    with pytest.raises(TableError, match=r"use a \.csv or \.xlsx file"):
        import_history(write(tmp_path, DIRTY, "x.txt"), mapping, demo.uow())
    bad = tmp_path / "map.yaml"
    bad.write_text("employee: {column: A, kind: phone}\nmetrics: []\nextra: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_mapping(bad)
    assert "mapping.employee.kind" in str(caught.value)
    assert "mapping.metrics" in str(caught.value) and "mapping.date" in str(caught.value)
    assert "mapping.extra" in str(caught.value)


def test_a_gb18030_csv_from_chinese_excel(demo, tmp_path) -> None:
    path = write(tmp_path, DIRTY, "gbk.csv", encoding="gb18030")
    report = import_history(path, ImportMapping.model_validate(MAPPING), demo.uow())
    assert report.accepted == 3 and [r.row for r in report.rejected] == [5, 6, 7, 8, 10, 11]
