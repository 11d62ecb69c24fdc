"""The realisation sheet of RAD KLA on plain values: one row per activity and source of the plan in force (the
amount spent) and one per activity and output indicator (the output achieved), grouped by (activity, year,
quarter); every problem names its row and column. Pure module: no Django import."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import kla.rad.rules as rules
from kla.core.marking import Text, gettext_noop
from kla.rad.spreadsheet_rules import (
    REALISATION_COLUMNS,
    REQUIRED,
    SOURCE_BY_LABEL,
    RowError,
    amount_problem,
    number_text,
    text,
    year_problem,
)

FIGURES = ("Tahun", "Triwulan", "Realisasi (Rp)", "Capaian", "Catatan", "Penjelasan realisasi melebihi rencana")
ROW_REQUIRED = ("Kunci kegiatan", "Tahun", "Triwulan")
SPENT, ACHIEVED = "Realisasi (Rp)", "Capaian"


@dataclass(slots=True)
class QuarterRows:
    """One activity's quarter: what every row of it says, and the rows it came from."""

    key: str
    year: int
    quarter: int
    spent: dict[str, Decimal] = field(default_factory=dict)
    achieved: dict[str, Decimal] = field(default_factory=dict)  # output key → value
    notes: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


UNKNOWN_KEY = gettext_noop(
    "kegiatan ini tidak ada pada rencana yang berlaku atau bukan tanggung jawab instansi Anda; jangan mengubah kolom "
    "ini dari templat."
)
UNKNOWN_OUTPUT = gettext_noop(
    "indikator keluaran ini bukan milik kegiatan pada baris ini; jangan mengubah kolom ini dari templat."
)
NEITHER = gettext_noop(
    'isi "Sumber dana" untuk realisasi anggaran atau "Kunci keluaran" untuk capaian keluaran; gunakan baris dari '
    "templat."
)
BOTH = gettext_noop('satu baris untuk satu hal: kosongkan "Kunci keluaran" pada baris sumber dana, atau sebaliknya.')
EXPLANATION = "Penjelasan realisasi melebihi rencana"


@dataclass(frozen=True, slots=True)
class _Row:
    key: str
    year: int
    quarter: int
    source: str  # a money row: the source; an output row: ""
    output: str  # an output row: the output key; a money row: ""
    number: Decimal


def _read(number: int, column: str, cells: Mapping[str, object], found: list[RowError]) -> Decimal | None:
    """The amount (``Realisasi (Rp)``) or value (``Capaian``) of a row, or None with its problem noted."""
    if not text(cells.get(column)):
        found.append(RowError(number, column, REQUIRED))
        return None
    reader = rules.read_amount if column == SPENT else rules.read_value
    try:
        return reader(number_text(cells.get(column)))
    except rules.AmountError as exc:
        found.append(RowError(number, column, amount_problem(exc)))
        return None


def _what(
    number: int, cell: Mapping[str, str], outputs: Collection[str] | None, found: list[RowError]
) -> tuple[str, str]:
    """(source, output key) of a row: exactly one of them is given and known (`outputs` None: the activity is
    unknown, its problem is named already)."""
    source = SOURCE_BY_LABEL.get(cell["Sumber dana"].casefold(), "") if cell["Sumber dana"] else ""
    output = cell["Kunci keluaran"]
    if cell["Sumber dana"] and output:
        found.append(RowError(number, "Kunci keluaran", BOTH))
    elif not cell["Sumber dana"] and not output:
        found.append(RowError(number, "Sumber dana", NEITHER))
    elif cell["Sumber dana"] and not source:
        found.append(RowError(number, "Sumber dana", gettext_noop("tidak dikenal; pilih dari daftar.")))
    elif output and outputs is not None and output not in outputs:
        found.append(RowError(number, "Kunci keluaran", UNKNOWN_OUTPUT))
    return source, output


def _row(
    number: int, cells: Mapping[str, object], known: Mapping[str, Collection[str]], start: int, end: int
) -> _Row | list[RowError]:
    """One row read, or every problem of it."""
    cell = {c: text(cells.get(c)) for c in REALISATION_COLUMNS}
    found = [RowError(number, c, REQUIRED) for c in ROW_REQUIRED if not cell[c]]
    key = cell["Kunci kegiatan"]
    if key and key not in known:
        found.append(RowError(number, "Kunci kegiatan", UNKNOWN_KEY))
    source, output = _what(number, cell, known.get(key), found)
    year, problem = year_problem(cells.get("Tahun"), start, end) if cell["Tahun"] else (None, None)
    if problem:
        found.append(RowError(number, "Tahun", problem))
    quarter = int(cell["Triwulan"]) if cell["Triwulan"] in {"1", "2", "3", "4"} else None
    if cell["Triwulan"] and quarter is None:
        found.append(RowError(number, "Triwulan", gettext_noop("isi 1, 2, 3, atau 4.")))
    if bool(cell["Sumber dana"]) == bool(output):
        return found  # neither or both: which figure the row holds is unknown, its problem is named
    own, other = (ACHIEVED, SPENT) if output else (SPENT, ACHIEVED)
    if cell[other]:
        if own == SPENT:
            found.append(RowError(number, other, gettext_noop("kosongkan kolom ini pada baris sumber dana.")))
        else:
            found.append(RowError(number, other, gettext_noop("kosongkan kolom ini pada baris indikator keluaran.")))
    value = _read(number, own, cells, found)
    if found or year is None or quarter is None or value is None:
        return found
    return _Row(key, year, quarter, source if own == SPENT else "", output if own == ACHIEVED else "", value)


def _repeated(read: _Row, number: int, first: int) -> RowError:
    """A second row for the same source or output of the same quarter."""
    if read.source:
        column, template = (
            "Sumber dana",
            gettext_noop("sumber ini untuk triwulan %(quarter)s %(year)s sudah diisi di baris %(first)s."),
        )
    else:
        column, template = (
            "Kunci keluaran",
            gettext_noop("capaian keluaran ini untuk triwulan %(quarter)s %(year)s sudah diisi di baris %(first)s."),
        )
    return RowError(number, column, Text(template, quarter=read.quarter, year=read.year, first=first))


def _add(group: QuarterRows, read: _Row, number: int, cells: Mapping[str, object]) -> None:
    if read.source:
        group.spent[read.source] = read.number
    else:
        group.achieved[read.output] = read.number
    group.rows.append(number)
    group.notes += [text(cells.get("Catatan"))] if text(cells.get("Catatan")) else []
    group.explanation += [text(cells.get(EXPLANATION))] if text(cells.get(EXPLANATION)) else []


def parse_realisation(
    rows: Sequence[tuple[int, Mapping[str, object]]],
    *,
    keys: Iterable[str],
    start: int,
    end: int,
    outputs: Mapping[str, Collection[str]] | None = None,
) -> tuple[list[QuarterRows], list[RowError]]:
    """Rows grouped by (activity, year, quarter), or every problem of every row. `keys`: the activity keys of the
    plan in force that the uploader may realise; `outputs`: each such activity's output keys. A prefilled row
    without figures is not reported."""
    known = {key: (outputs or {}).get(key, ()) for key in keys}
    groups: dict[tuple[str, int, int], QuarterRows] = {}
    seen: dict[tuple[str, int, int, str, str], int] = {}
    errors: list[RowError] = []
    for number, cells in rows:
        if not any(text(cells.get(c)) for c in FIGURES):
            continue
        read = _row(number, cells, known, start, end)
        if isinstance(read, list):
            errors += read
            continue
        first = seen.setdefault((read.key, read.year, read.quarter, read.source, read.output), number)
        if first != number:
            errors.append(_repeated(read, number, first))
            continue
        group = groups.setdefault((read.key, read.year, read.quarter), QuarterRows(read.key, read.year, read.quarter))
        _add(group, read, number, cells)
    if not groups and not errors:
        errors.append(
            RowError(2, SPENT, gettext_noop("tidak ada realisasi yang diisi; isi tahun, triwulan, dan realisasinya."))
        )
    return list(groups.values()), sorted(errors, key=lambda e: (e.number, REALISATION_COLUMNS.index(e.column)))
