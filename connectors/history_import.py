"""Import historical figures from a .csv or .xlsx file through a column mapping (R12).

Each accepted row becomes facts with source "import:<file name>" and record id
"<file name>:<row>", so importing the same file again changes nothing, and a corrected
file changes exactly what was corrected (rows now missing or rejected, and emptied cells,
are voided). The whole import is one transaction: it lands completely or not at all
(`dry_run` rolls back, after counting what would have changed); a file without a single
good row changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select

from connectors import strings as cs
from connectors.cleaning import clean_date, clean_email, clean_number, clean_text, is_empty
from connectors.config import ConfigError, format_errors, read_yaml
from connectors.records import SourceRecord
from connectors.sync_batch import MAX_VALUE, Batch, BatchWriter, widen
from connectors.tables import Table, open_table
from said import Said, said_of
from store.models import Period
from store.sync_lock import run_lock
from store.sync_state import all_employee_keys, sweep_unseen
from store.uow import UnitOfWork

BATCH = 5000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmployeeColumn(_Model):
    column: str
    kind: Literal["email", "external_id"] = "email"


class DateColumn(_Model):
    column: str
    format: str | None = None  # strptime, for dates the cleaner cannot read by itself
    day_first: bool | None = None  # for 03/11/2026


class MetricColumn(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    column: str


class LinkColumn(_Model):
    column: str


class ImportMapping(_Model):
    sheet: str | None = None
    header_row: int = Field(1, ge=1)
    encoding: str | None = None
    employee: EmployeeColumn
    date: DateColumn
    metrics: list[MetricColumn] = Field(min_length=1)
    link: LinkColumn | None = None
    unique: list[str] = []  # columns identifying a record; default: every mapped column


def load_mapping(path: str | Path) -> ImportMapping:
    """Read MAP.yaml; a ConfigError lists every bad key with its path."""
    data = read_yaml(path)
    try:
        return ImportMapping.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_errors(exc, data, "mapping"), origin=str(path)) from None


@dataclass
class Rejected:
    row: int
    reasons: list[str]


@dataclass
class ImportReport:
    file: str
    source: str
    dry_run: bool
    rows: int = 0
    blank: int = 0
    accepted: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    voided: int = 0
    first_day: date | None = None
    last_day: date | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "rejected"}
        data["first_day"] = self.first_day.isoformat() if self.first_day else None
        data["last_day"] = self.last_day.isoformat() if self.last_day else None
        data["rejected"] = [{"row": r.row, "reasons": r.reasons} for r in self.rejected]
        return data


class _Rows:
    """Checks each row of the table and turns the good ones into records."""

    def __init__(self, table: Table, mapping: ImportMapping, name: str, context: Any) -> None:
        self.table, self.mapping, self.name = table, mapping, name
        self.emails, self.externals, self.periods = context
        self.employee = table.column(mapping.employee.column)
        self.date = table.column(mapping.date.column)
        self.metrics = [(m, table.column(m.column)) for m in mapping.metrics]
        self.link = table.column(mapping.link.column) if mapping.link else None
        mapped = [
            mapping.employee.column,
            mapping.date.column,
            *(m.column for m in mapping.metrics),
        ]
        self.unique = [table.column(c) for c in (mapping.unique or mapped)]
        self.seen: dict[tuple[str, ...], int] = {}

    def check(self, number: int, cells: list[Any]) -> tuple[list[SourceRecord], list[str]]:
        def cell(i: int) -> Any:
            return cells[i] if i < len(cells) else None

        reasons: list[str] = []
        key = tuple(clean_text(cell(i)) if cell(i) is not None else "" for i in self.unique)
        if key in self.seen:
            reasons.append(Said(cs.DUPLICATE_ROW, row=self.seen[key]))
        else:
            self.seen[key] = number
        who = self._employee(cell(self.employee), reasons)
        day = self._day(cell(self.date), reasons)
        values: list[tuple[str, Any]] = []
        for metric, i in self.metrics:
            if is_empty(cell(i)):
                values.append((metric.name, None))
                continue
            try:
                value = clean_number(cell(i))
                if abs(value) >= MAX_VALUE:
                    raise ValueError(Said(cs.OUT_OF_RANGE, value=value))
                values.append((metric.name, value))
            except ValueError as exc:
                reasons.append(
                    Said(cs.COLUMN_PROBLEM, column=metric.column, error=said_of(exc) or str(exc))
                )
        if not reasons and all(v is None for _, v in values):
            reasons.append(
                Said(cs.NO_VALUE_IN, columns=", ".join(m.column for m in self.mapping.metrics))
            )
        if reasons or who is None or day is None:
            return [], reasons
        raw = {h or f"column {i + 1}": _jsonable(cell(i)) for i, h in enumerate(self.table.header)}
        raw["_row"] = number
        link = None
        if self.link is not None and not is_empty(cell(self.link)):
            link = clean_text(cell(self.link))[:500]
        return [
            SourceRecord(
                source=f"import:{self.name}",
                record_id=f"{self.name}:{number}",
                metric=name,
                value=value if value is not None else Decimal(0),
                occurred_on=day,
                employee_key=who,
                employee_key_kind=self.mapping.employee.kind,
                link=link,
                raw=raw,
                void=value is None,  # an emptied cell voids what an earlier import stored
            )
            for name, value in values
        ], []

    def _employee(self, value: Any, reasons: list[str]) -> str | None:
        kind = self.mapping.employee.kind
        if is_empty(value):
            reasons.append(Said(cs.NO_EMPLOYEE))
            return None
        try:
            key = clean_email(value) if kind == "email" else clean_text(value)
        except ValueError as exc:
            reasons.append(said_of(exc) or str(exc))
            return None
        if key not in (self.emails if kind == "email" else self.externals):
            reasons.append(Said(cs.UNKNOWN_EMPLOYEE, key=key))
            return None
        return key

    def _day(self, value: Any, reasons: list[str]) -> date | None:
        spec = self.mapping.date
        try:
            day = clean_date(value, spec.format, spec.day_first)
        except ValueError as exc:
            reasons.append(
                Said(cs.COLUMN_PROBLEM, column=spec.column, error=said_of(exc) or str(exc))
            )
            return None
        if not any(start <= day <= end for start, end in self.periods):
            reasons.append(Said(cs.OUTSIDE_PERIODS, day=day.isoformat()))
            return None
        return day


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value if value is None or isinstance(value, int | float | str) else str(value)


def import_history(
    path: Path, mapping: ImportMapping, uow: UnitOfWork, *, dry_run: bool = False
) -> ImportReport:
    """Validate every row, store the accepted ones in one transaction; raises TableError or
    ValueError (file name too long) for a file that cannot be imported at all."""
    name = path.name
    source = f"import:{name}"
    if len(source) > 64:
        raise ValueError(Said(cs.NAME_TOO_LONG, name=name, n=64 - len("import:")))
    report = ImportReport(file=name, source=source, dry_run=dry_run)
    table = open_table(
        path, header_row=mapping.header_row, sheet=mapping.sheet, encoding=mapping.encoding
    )
    with uow:
        engine = uow.session.get_bind()
    with run_lock(engine, source), uow:  # type: ignore[arg-type]
        session = uow.session
        emails, externals = all_employee_keys(session)
        periods = session.execute(select(Period.starts_on, Period.ends_on)).all()
        rows = _Rows(table, mapping, name, (emails, externals, periods))
        writer = BatchWriter(source, full=True, unmatched_exist=False)
        writer.preload(session)
        for records in _batches(rows, report):
            batch = Batch()
            batch.add_records(records)
            counts = writer.write(session, batch, uow.clock())
            report.new += counts.new
            report.changed += counts.changed
            report.voided += counts.voided
            span = (report.first_day, report.last_day)
            report.first_day, report.last_day = widen(span, counts.first_day, counts.last_day)
        if not report.accepted:  # a file with no good row at all voids nothing: likely a mistake
            return report
        report.voided += sweep_unseen(session, source, uow.clock())
        uow.audit(
            actor="import",
            action="import.history",
            entity="source",
            entity_id=source,
            after={**report.as_dict(), "rejected": len(report.rejected)},
        )
        if not dry_run:
            uow.commit()
    return report


def _batches(rows: _Rows, report: ImportReport) -> Iterator[list[SourceRecord]]:
    pending: list[SourceRecord] = []
    for number, cells in rows.table.rows:
        if all(is_empty(c) for c in cells):
            report.blank += 1
            continue
        report.rows += 1
        records, reasons = rows.check(number, cells)
        if reasons:
            report.rejected.append(Rejected(number, reasons))
            continue
        report.accepted += 1
        pending.extend(records)
        if len(pending) >= BATCH:
            yield pending
            pending = []
    if pending:
        yield pending
