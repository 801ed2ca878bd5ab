"""Rows of a .csv or .xlsx file, numbered as a spreadsheet shows them, read as a stream."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors import strings as cs
from connectors.cleaning import clean_text
from connectors.os_errors import os_reason
from said import Said


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, sheet, header)."""


@dataclass
class Table:
    header: list[str]  # cleaned column names
    rows: Iterator[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)

    def column(self, name: str) -> int:
        """Index of a column by its (cleaned) name; TableError naming the ones there are."""
        wanted = clean_text(name)
        if wanted not in self.header:
            have = ", ".join(h for h in self.header if h) or "none"
            raise TableError(Said(cs.NO_COLUMN, name=name, have=have))
        return self.header.index(wanted)


def open_table(
    path: Path, *, header_row: int = 1, sheet: str | None = None, encoding: str | None = None
) -> Table:
    """The header and a stream of the data rows after it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        cells = _csv(path, encoding)
    elif suffix in (".xlsx", ".xlsm"):
        cells = _xlsx(path, sheet)
    else:
        raise TableError(Said(cs.USE_CSV_XLSX, file=path.name))
    numbered = enumerate(cells, start=1)
    for number, row in numbered:
        if number == header_row:
            header = [clean_text(c) if c is not None else "" for c in row]
            return Table(header, numbered)
    raise TableError(Said(cs.NO_HEADER_ROW, file=path.name, row=header_row))


def _csv(path: Path, encoding: str | None) -> Iterator[list[Any]]:
    # Chinese Excel saves CSV as GB18030 unless told otherwise: try UTF-8 first, then that
    chosen = encoding or _guess_encoding(path)
    try:
        with path.open(encoding=chosen, newline="") as handle:
            yield from csv.reader(handle)
    except (UnicodeDecodeError, LookupError) as exc:
        raise TableError(
            Said(cs.CANNOT_READ_AS, file=path.name, encoding=chosen, error=str(exc))
        ) from None
    except OSError as exc:
        raise TableError(Said(cs.FILE_ERROR, file=path.name, error=os_reason(exc))) from None


def _guess_encoding(path: Path) -> str:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for _ in handle:
                pass
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"
    except OSError as exc:
        raise TableError(Said(cs.FILE_ERROR, file=path.name, error=os_reason(exc))) from None


def _xlsx(path: Path, sheet: str | None) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise TableError(Said(cs.FILE_ERROR, file=path.name, error=os_reason(exc))) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(Said(cs.NOT_XLSX, file=path.name, error=str(exc))) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise TableError(Said(cs.NO_SHEET, file=path.name, sheet=sheet, names=names))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()
