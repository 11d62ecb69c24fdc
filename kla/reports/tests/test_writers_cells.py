"""Table writers, cell by cell: what the export tests do not look at (kla.reports.writers)."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from kla.reports.writers import XlsxTable, csv_bytes, open_table, sheet_name


class Label:  # a lazily translated label: neither str nor a number
    def __str__(self) -> str:
        return "Klaster I"


def test_csv_bytes_are_a_small_csv_file() -> None:
    data = csv_bytes(["Kode", "Nama"], [["16.71", "=1+1"], [None, Decimal("2.50")]])
    assert data == '\ufeffKode,Nama\r\n16.71,\'=1+1\r\n,"2,50"\r\n'.encode()


def test_sheet_names_keep_every_allowed_character() -> None:
    assert sheet_name("Klaster XI: Anak") == "Klaster XI- Anak"


def test_xlsx_rows_are_written_inline_with_widths_dates_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    table = open_table("xlsx", str(path), ["A", "B", "C", "D"], title="Uji", widths=[12, 30])
    table.row(["a", None, Decimal("1.5"), 24])
    table.row([Label(), dt.date(2026, 1, 2), None, "z"])
    table.close()
    # constant-memory mode: strings go inline with their row, there is no shared string table to hold in memory
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(path).namelist()
    sheet = load_workbook(path).active
    assert [(c.value, c.data_type) for c in sheet[2]] == [("a", "s"), (None, "n"), (1.5, "n"), (24, "n")]
    assert [c.value for c in sheet[3]] == ["Klaster I", dt.datetime(2026, 1, 2), None, "z"]
    assert sheet["B3"].number_format == "d mmm yyyy"
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert round(widths[0]) == 13 and round(widths[1]) == 31 and widths[2] == 13  # C keeps the default
    assert sheet["A3"].data_type == "s"


def test_a_column_with_its_own_format_keeps_it(tmp_path: Path) -> None:
    """The RAD KLA recaps format their money and share columns: a decimal there takes the column's format."""
    path = tmp_path / "t.xlsx"
    table = open_table("xlsx", str(path), ["Nilai", "Bagian"], title="Uji")
    assert isinstance(table, XlsxTable)
    share = table._book.add_format({"num_format": "0.0000"})
    table._sheet.set_column(1, 1, 10, share)
    table.row([Decimal("1.5"), Decimal("0.1234")])
    table.close()
    sheet = load_workbook(path).active
    assert sheet["A2"].number_format == "#,##0.00" and sheet["B2"].number_format == "0.0000"
