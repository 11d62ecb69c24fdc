"""Table files written row by row: CSV and XLSX in constant memory. Pure module: no Django import.

A cell is text, a whole number, a decimal, a date or empty. Text that a spreadsheet program would run as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe in CSV,
the form spreadsheet programs show as plain text (OWASP "CSV injection"). XLSX cells are typed: text is always
written as a text cell, never as a formula, so it needs no prefix there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

import xlsxwriter

Cell = str | int | Decimal | dt.date | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def csv_text(value: Cell) -> str:
    """One cell as CSV text: numbers as written by Python (dot decimals), dates as ISO, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def sheet_name(title: str) -> str:
    """A title as Excel accepts it for a sheet: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Data"


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """A small table as CSV bytes, written as `CsvTable` writes a file (BOM, formulas defused)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([csv_text(c) for c in columns])
    writer.writerows([csv_text(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


class TableWriter(Protocol):
    def row(self, values: Sequence[Cell]) -> None: ...

    def close(self) -> None: ...


class CsvTable:
    """UTF-8 with a byte-order mark, so that Excel opens Indonesian names correctly; comma-separated, RFC 4180."""

    def __init__(self, path: str, columns: Sequence[str]) -> None:
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by close()
        self._csv = csv.writer(self._file)
        self._csv.writerow([csv_text(c) for c in columns])

    def row(self, values: Sequence[Cell]) -> None:
        self._csv.writerow([csv_text(v) for v in values])

    def close(self) -> None:
        self._file.close()


class XlsxTable:
    """One sheet, header row bold and frozen; rows go straight to disk (xlsxwriter's constant-memory mode)."""

    OPTIONS = {
        "constant_memory": True,
        "strings_to_formulas": False,  # "=..." stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,  # region codes such as "16.71" stay text
    }

    def __init__(self, path: str, columns: Sequence[str], *, title: str, widths: Sequence[int] = ()) -> None:
        self._book = xlsxwriter.Workbook(path, self.OPTIONS)
        self._sheet = self._book.add_worksheet(sheet_name(title))
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})
        for col, width in enumerate(widths):
            self._sheet.set_column(col, col, width)
        self._sheet.freeze_panes(1, 0)
        self._sheet.write_row(0, 0, list(columns), self._book.add_format({"bold": True}))
        self._next = 1

    def row(self, values: Sequence[Cell]) -> None:
        sheet, r = self._sheet, self._next
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, Decimal | int):
                sheet.write_number(r, c, float(value) if isinstance(value, Decimal) else value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), self._date)
            else:  # e.g. a lazily translated label
                sheet.write_string(r, c, str(value))
        self._next = r + 1

    def close(self) -> None:
        self._book.close()


def open_table(fmt: str, path: str, columns: Sequence[str], *, title: str, widths: Sequence[int] = ()) -> TableWriter:
    if fmt == "csv":
        return CsvTable(path, columns)
    if fmt == "xlsx":
        return XlsxTable(path, columns, title=title, widths=widths)
    raise ValueError(f"unknown format {fmt!r}")
