"""The open-data files, written as they are sent: CSV and JSON as streams of text, XLSX through the reports' table
writer (constant memory, to a temporary file that is sent from disk). Numbers and dates are for programs: a dot
before the decimals and ISO 8601 dates in CSV and JSON, real numbers and dates in XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _

from kla.reports.writers import Cell, XlsxTable, csv_text
from kla.results import opendata
from kla.results.opendata import OpenRow


def machine_text(value: object) -> str:
    """One CSV cell for programs: ``612.50``, ``2026-12-07``, digits, text (formulas defused as the writers do)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


class _Line:
    """A file-like object that hands back what the csv writer writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[OpenRow]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield writer.writerow(opendata.COLUMN_NAMES).encode()
    for row in rows:
        yield writer.writerow([machine_text(v) for v in row.values()]).encode()


def json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)  # at most 7 digits with 2 places: exact as a JSON number
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def json_head(cycles: Sequence[str]) -> dict[str, object]:
    """What comes before the rows: the licence, the data dictionary, notes on the format, the cycles' codes. Built
    while the request's language is active (the rows are streamed after the view has returned)."""
    return {
        "licence": {"name": opendata.LICENCE, "url": opendata.LICENCE_URL, "text": opendata.licence_text()},
        "dictionary": [{"column": c.name, "type": c.kind, "description": c.description} for c in opendata.columns()],
        "notes": opendata.format_notes(),
        "cycles": list(cycles),
    }


def json_stream(head: dict[str, object], rows: Iterable[OpenRow]) -> Iterator[bytes]:
    """``{**head, "rows": [{column: value}, …]}``, one row at a time."""
    names = opendata.COLUMN_NAMES
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "rows": ['
    for i, row in enumerate(rows):
        item = dict(zip(names, (json_value(v) for v in row.values()), strict=True))
        yield (b", " if i else b"") + json.dumps(item, ensure_ascii=False).encode()
    yield b"]}"


class OpenDataXlsx(XlsxTable):
    """The rows' sheet of the reports' writer, and after it a sheet with the data dictionary and the licence."""

    def dictionary_sheet(self, title: str, columns: Sequence[str], lines: Iterable[Sequence[Cell]]) -> None:
        sheet = self._book.add_worksheet(title)
        bold = self._book.add_format({"bold": True})
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 2, 100)
        sheet.write_row(0, 0, list(columns), bold)
        for r, values in enumerate(lines, start=1):
            for c, value in enumerate(values):
                sheet.write_string(r, c, str(value or ""))


def xlsx_file(rows: Iterable[OpenRow]) -> IO[bytes]:
    """The workbook in a temporary file already unlinked (it disappears once the response closes it)."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="kla-data-")
    os.close(fd)
    try:
        dictionary = opendata.columns()
        widths = [8, 22, 30, 12, 8, 26, 12, 30, 12, 12, 28, 12, 12]
        table = OpenDataXlsx(path, [c.name for c in dictionary], title=_("Hasil"), widths=widths)
        for row in rows:
            table.row(row.values())  # type: ignore[arg-type]  # OpenRow's values are cells
        lines: list[Sequence[Cell]] = [(c.name, c.kind, c.description) for c in dictionary]
        lines += [("", "", ""), (_("lisensi"), opendata.LICENCE, opendata.licence_text())]
        lines += [(_("catatan"), "", note) for note in opendata.format_notes()]
        table.dictionary_sheet(_("Kamus data"), [_("kolom"), _("jenis"), _("keterangan")], lines)
        table.close()
        handle = open(path, "rb")  # noqa: SIM115 - closed by the response
    finally:
        os.unlink(path)
    return handle
