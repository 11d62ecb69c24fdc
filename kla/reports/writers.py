"""Table files written row by row: CSV and XLSX in constant memory. Pure module: no Django import.

A cell is text, a whole number, a decimal, a date or empty. Numbers and dates follow the house formats
(kla.core.formatting, docs/language.md rule 5) in a form a spreadsheet still reads as numbers:

- XLSX: real numbers and dates; a decimal shows as ``1.234,56`` in an Indonesian spreadsheet program (number format
  ``#,##0.00``; the program's own language sets the marks), a whole number as it is (counts, years, numbers of
  indicators); a date ``d mmm yyyy``; a filter on every column of the header row.
- CSV: a decimal with a decimal comma and always at least two places (``612,50``, ``45,00``: one way for every
  decimal, as the pages write it, without thousands dots so that ``1234,50`` cannot be read as a thousand), a whole
  number as digits, a date as the tables write it (``7 Des 2026``).
 Text that a spreadsheet program would run as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe in CSV,
the form spreadsheet programs show as plain text (OWASP "CSV injection"). XLSX cells are typed: text is always
written as a text cell, never as a formula, so it needs no prefix there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol

import xlsxwriter

from kla.core.formatting import format_date_short, format_number

Cell = str | int | Decimal | dt.date | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def csv_number(value: Decimal) -> str:
    """``Decimal("612.5")`` → ``"612,50"``; ``Decimal("1234.567")`` → ``"1234,567"`` (places kept, never fewer than
    two; no thousands dots)."""
    text = str(value)
    if "E" not in text and "N" not in text and "I" not in text:  # plain notation: only the mark and the places
        whole, _, places = text.partition(".")
        return f"{whole},{places:0<2}"
    exponent = value.as_tuple().exponent
    places_kept = max(2, -exponent) if isinstance(exponent, int) else 2
    return format_number(value, places_kept).replace(".", "")


def csv_text(value: Cell) -> str:
    """One cell as CSV text: decimals ``612,50``, whole numbers as digits, dates ``7 Des 2026``, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.date):
        return format_date_short(value)
    if isinstance(value, Decimal):
        return csv_number(value)
    return str(value)


def _csv_str(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# the cell types of most rows, written without walking `csv_text`'s checks (the csv module writes ints and None)
_CSV_CELL: dict[type, Callable[[Any], Any]] = {
    str: _csv_str,
    int: lambda value: value,
    type(None): lambda value: value,
    Decimal: csv_number,
}


SHEET_NAME_MAX = 31


def sheet_name(title: str) -> str:
    """A title as Excel accepts it for a sheet: at most 31 characters, none of ``[]:*?/\\``; a longer title is cut
    after its last whole word that fits (``Rekap evaluasi per kabupaten/kota`` → ``Rekap evaluasi per``)."""
    name = "".join("-" if ch in "[]:*?/\\" else ch for ch in title).strip()
    if len(name) > SHEET_NAME_MAX:
        cut = name[: SHEET_NAME_MAX + 1].rsplit(" ", 1)[0] if " " in name[: SHEET_NAME_MAX + 1] else ""
        name = (cut or name[:SHEET_NAME_MAX]).strip()
    return name or "Data"


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
        get = _CSV_CELL.get
        self._csv.writerow([get(type(v), csv_text)(v) for v in values])

    def close(self) -> None:
        self._file.close()


class XlsxTable:
    """One sheet, header row bold and frozen with a filter on every column; rows go straight to disk (xlsxwriter's
    constant-memory mode). A decimal is a number shown with two places and grouped thousands unless its column has a
    format of its own (``set_column`` with a format, e.g. the RAD KLA recaps' money and shares)."""

    DECIMAL_FORMAT = "#,##0.00"
    DATE_FORMAT = "d mmm yyyy"

    OPTIONS = {
        "constant_memory": True,
        "strings_to_formulas": False,  # "=..." stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,  # region codes such as "16.71" stay text
    }

    def __init__(self, path: str, columns: Sequence[str], *, title: str, widths: Sequence[int] = ()) -> None:
        self._book = xlsxwriter.Workbook(path, self.OPTIONS)
        self._sheet = self._book.add_worksheet(sheet_name(title))
        self._date = self._book.add_format({"num_format": self.DATE_FORMAT})
        self._decimal = self._book.add_format({"num_format": self.DECIMAL_FORMAT})
        self._width = len(columns)
        for col, width in enumerate(widths):
            self._sheet.set_column(col, col, width)
        self._sheet.freeze_panes(1, 0)
        self._sheet.write_row(0, 0, list(columns), self._book.add_format({"bold": True}))
        self._next = 1
        self._decimals: list[Any] | None = None

    def row(self, values: Sequence[Cell]) -> None:
        sheet, r = self._sheet, self._next
        decimals = self._decimals
        if decimals is None:  # columns are formatted before the first row (`set_column`, also by subclasses)
            decimals = self._decimals = [
                None if self._column_formatted(c) else self._decimal for c in range(self._width)
            ]
        for c, value in enumerate(values):
            kind = type(value)
            if kind is str:
                sheet.write_string(r, c, value)
            elif value is None:
                continue
            elif kind is int:
                sheet.write_number(r, c, value)
            elif isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), decimals[c] if c < self._width else self._decimal)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), self._date)
            else:  # e.g. a lazily translated label
                sheet.write_string(r, c, str(value))
        self._next = r + 1

    def _column_formatted(self, col: int) -> bool:
        info = self._sheet.col_info.get(col)
        return getattr(info, "column_format", None) is not None

    def close(self) -> None:
        if self._width:
            self._sheet.autofilter(0, 0, max(self._next - 1, 1), self._width - 1)
        self._book.close()


def open_table(fmt: str, path: str, columns: Sequence[str], *, title: str, widths: Sequence[int] = ()) -> TableWriter:
    if fmt == "csv":
        return CsvTable(path, columns)
    if fmt == "xlsx":
        return XlsxTable(path, columns, title=title, widths=widths)
    raise ValueError(f"unknown format {fmt!r}")
