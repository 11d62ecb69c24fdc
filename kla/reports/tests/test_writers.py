"""The table writers, without a database: what a spreadsheet program reads back from them."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kla.reports.writers import csv_text, open_table, sheet_name

COLUMNS = ["Kode wilayah", "Nama", "Nilai", "Jumlah", "Tanggal"]
ROWS = [
    ["16.71", "Kota Palembang", Decimal("612.50"), 24, dt.date(2026, 11, 29)],
    ["16.73", '=HYPERLINK("http://contoh.invalid","klik")', None, 0, None],
    ["16.01", "-1+2", Decimal("0.00"), 3, dt.date(2026, 1, 2)],
]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+62 811", "'+62 811"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Dinas Kesehatan", "Dinas Kesehatan"),
        ("a=b", "a=b"),
        (None, ""),
        (Decimal("12.30"), "12,30"),
        (Decimal("45"), "45,00"),
        (Decimal("12.5"), "12,50"),
        (Decimal("1234.567"), "1234,567"),
        (Decimal("-2.5"), "-2,50"),
        (Decimal("1250000000.50"), "1250000000,50"),
        (7, "7"),
        (12336, "12336"),
        (dt.date(2026, 2, 3), "3 Feb 2026"),
    ],
)
def test_csv_cells_defuse_formulas_and_write_numbers_one_way(value: object, text: str) -> None:
    assert csv_text(value) == text  # type: ignore[arg-type]


def test_sheet_names_follow_excel_rules() -> None:
    assert sheet_name("Rekap evaluasi per kabupaten/kota") == "Rekap evaluasi per"  # not cut inside a word
    assert sheet_name("Rincian per indikator") == "Rincian per indikator"
    assert sheet_name("a" * 31 + " b") == "a" * 31
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("[]") == "--"
    assert sheet_name("   ") == "Data"


def test_csv_has_a_bom_a_header_and_every_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    table = open_table("csv", str(path), COLUMNS, title="Uji")
    for row in ROWS:
        table.row(row)
    table.close()
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    read = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert read == [
        COLUMNS,
        ["16.71", "Kota Palembang", "612,50", "24", "29 Nov 2026"],
        ["16.73", '\'=HYPERLINK("http://contoh.invalid","klik")', "", "0", ""],
        ["16.01", "'-1+2", "0,00", "3", "2 Jan 2026"],
    ]


def test_xlsx_cells_are_typed_and_text_is_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    table = open_table("xlsx", str(path), COLUMNS, title="Rekap: uji/coba", widths=[12, 30])
    for row in ROWS:
        table.row(row)
    table.close()
    book = load_workbook(path)  # not read-only: the cell types are checked
    sheet = book.active
    assert sheet.title == "Rekap- uji-coba"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == COLUMNS and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["16.71", "Kota Palembang", 612.5, 24, dt.datetime(2026, 11, 29)]
    assert sheet["A2"].data_type == "s"  # a region code stays text, not the number 16.71
    formula_like = sheet["B3"]
    assert formula_like.value == '=HYPERLINK("http://contoh.invalid","klik")' and formula_like.data_type == "s"
    assert sheet["B4"].data_type == "s" and sheet["C3"].value is None
    assert sheet.max_row == 1 + len(ROWS)
    assert sheet["C2"].number_format == "#,##0.00" and sheet["D2"].number_format == "General"  # 612,50 / 24
    assert sheet["E2"].number_format == "d mmm yyyy"
    assert sheet.auto_filter.ref == "A1:E4"


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        open_table("pdf", str(tmp_path / "t.pdf"), COLUMNS, title="x")
