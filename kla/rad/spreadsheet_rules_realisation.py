"""The realisation sheet of RAD KLA on plain values: one row per activity and source of the plan in force, grouped
by (activity, year, quarter); every problem names its row and column. Pure module: no Django import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import kla.rad.rules as rules
from kla.rad.spreadsheet_rules import (
    REALISATION_COLUMNS,
    REALISATION_REQUIRED,
    SOURCE_BY_LABEL,
    RowError,
    number_text,
    text,
    year_problem,
)

FIGURES = ("Tahun", "Triwulan", "Realisasi (Rp)", "Catatan", "Penjelasan realisasi melebihi rencana")


@dataclass(slots=True)
class QuarterRows:
    """One activity's quarter: what every row of it says, and the rows it came from."""

    key: str
    year: int
    quarter: int
    spent: dict[str, Decimal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


UNKNOWN_KEY = (
    "kegiatan ini tidak ada pada rencana yang berlaku atau bukan tanggung jawab instansi Anda; jangan mengubah kolom "
    "ini dari templat."
)
EXPLANATION = "Penjelasan realisasi melebihi rencana"


@dataclass(frozen=True, slots=True)
class _Row:
    key: str
    year: int
    quarter: int
    source: str
    amount: Decimal


def _row(number: int, cells: Mapping[str, object], known: set[str], start: int, end: int) -> _Row | list[RowError]:
    """One row read, or every problem of it."""
    cell = {c: text(cells.get(c)) for c in REALISATION_COLUMNS}
    found = [RowError(number, c, "wajib diisi.") for c in REALISATION_REQUIRED if not cell[c]]
    if cell["Kunci kegiatan"] and cell["Kunci kegiatan"] not in known:
        found.append(RowError(number, "Kunci kegiatan", UNKNOWN_KEY))
    source = SOURCE_BY_LABEL.get(cell["Sumber dana"].casefold())
    if cell["Sumber dana"] and source is None:
        found.append(RowError(number, "Sumber dana", "tidak dikenal; pilih dari daftar."))
    year, problem = year_problem(cells.get("Tahun"), start, end) if cell["Tahun"] else (None, None)
    if problem:
        found.append(RowError(number, "Tahun", problem))
    quarter = int(cell["Triwulan"]) if cell["Triwulan"] in {"1", "2", "3", "4"} else None
    if cell["Triwulan"] and quarter is None:
        found.append(RowError(number, "Triwulan", "isi 1, 2, 3, atau 4."))
    amount = None
    if cell["Realisasi (Rp)"]:
        try:
            amount = rules.read_amount(number_text(cells.get("Realisasi (Rp)")))
        except rules.AmountError as exc:
            found.append(RowError(number, "Realisasi (Rp)", exc.message))
    if found or year is None or quarter is None or source is None or amount is None:
        return found
    return _Row(cell["Kunci kegiatan"], year, quarter, source, amount)


def parse_realisation(
    rows: Sequence[tuple[int, Mapping[str, object]]], *, keys: Iterable[str], start: int, end: int
) -> tuple[list[QuarterRows], list[RowError]]:
    """Rows grouped by (activity, year, quarter), or every problem of every row. `keys`: the activity keys of the
    plan in force that the uploader may realise; a prefilled row without figures is not reported."""
    known = set(keys)
    groups: dict[tuple[str, int, int], QuarterRows] = {}
    seen: dict[tuple[str, int, int, str], int] = {}
    errors: list[RowError] = []
    for number, cells in rows:
        if not any(text(cells.get(c)) for c in FIGURES):
            continue
        read = _row(number, cells, known, start, end)
        if isinstance(read, list):
            errors += read
            continue
        first = seen.setdefault((read.key, read.year, read.quarter, read.source), number)
        if first != number:
            where = f"sumber ini untuk triwulan {read.quarter} {read.year} sudah diisi di baris {first}."
            errors.append(RowError(number, "Sumber dana", where))
            continue
        group = groups.setdefault((read.key, read.year, read.quarter), QuarterRows(read.key, read.year, read.quarter))
        group.spent[read.source] = read.amount
        group.rows.append(number)
        group.notes += [text(cells.get("Catatan"))] if text(cells.get("Catatan")) else []
        group.explanation += [text(cells.get(EXPLANATION))] if text(cells.get(EXPLANATION)) else []
    if not groups and not errors:
        errors.append(
            RowError(2, "Realisasi (Rp)", "tidak ada realisasi yang diisi; isi tahun, triwulan, dan realisasinya.")
        )
    return list(groups.values()), sorted(errors, key=lambda e: (e.number, REALISATION_COLUMNS.index(e.column)))
