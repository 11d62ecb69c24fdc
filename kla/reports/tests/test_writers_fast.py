"""The fast paths of the table writers give exactly what the general ones give (`csv_number` against the house
formatter, a CSV row against `csv_text` cell by cell)."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

from kla.core.formatting import format_number
from kla.reports.writers import CsvTable, csv_number, csv_text


def _slow(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return format_number(value, places).replace(".", "")


def test_csv_numbers_are_those_of_the_house_formatter() -> None:
    rng = random.Random(24)
    values = [Decimal(t) for t in ("0", "0.00", "-0.00", "45", "612.5", "1234.567", "-3.1", "1E+1", "1E+3", "7.000")]
    for _ in range(3000):
        places = rng.randint(0, 4)
        values.append(Decimal(rng.randint(-(10**9), 10**9)).scaleb(-places))
    assert [csv_number(v) for v in values] == [_slow(v) for v in values]


def test_a_csv_row_is_written_as_csv_text_writes_each_cell(tmp_path: Path) -> None:
    row = ["16.71", "=SUM(A1)", "-x", 24, None, Decimal("31.5"), True, "", "@a"]
    table = CsvTable(str(tmp_path / "t.csv"), ["a"] * len(row))
    table.row(row)
    table.close()
    written = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))[1]
    assert written == [csv_text(v) for v in row]
