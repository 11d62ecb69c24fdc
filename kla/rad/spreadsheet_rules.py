"""The RAD KLA spreadsheets on plain values: template versions, columns, and every row checked before anything is
written. Pure module: no Django import (the workbook is read and written in `kla.rad.spreadsheet`).

A plan sheet has one row per budget line: indicator → programme → activity (→ sub-activity), the responsible agency,
an output with its unit, the year, the source, the amount and the output's target of that year. Programmes,
activities and outputs are created at their first mention and found again by name below. A realisation sheet has
one row per activity and source of the plan in force (year, quarter and the amount spent) and one per activity and
output indicator (year, quarter and the output achieved). Row numbers are those the
spreadsheet program shows (the header is row 1); every problem names its row and column, and the import writes
nothing while one is left.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import kla.rad.rules as rules
from kla.core.formatting import format_count, format_number
from kla.core.marking import Text, as_text, gettext_noop

PLAN_MARK = "kla-rad-rencana-v1"
REALISATION_MARK = "kla-rad-realisasi-v2"  # v2: output achieved per output indicator
MARK_SHEET = "Versi"  # a hidden sheet whose A1 holds the mark
LIST_SHEET = "Daftar"  # the hidden sheet of the drop-down lists
MAX_ROWS = 5000

PLAN_COLUMNS: tuple[str, ...] = (
    "Indikator",
    "Program",
    "Kode program",
    "Kegiatan",
    "Kode kegiatan",
    "Sub kegiatan",
    "Kode sub kegiatan",
    "Instansi penanggung jawab",
    "Indikator keluaran",
    "Satuan",
    "Tahun",
    "Sumber dana",
    "Anggaran (Rp)",
    "Target",
)
PLAN_REQUIRED = (
    "Indikator",
    "Program",
    "Kegiatan",
    "Instansi penanggung jawab",
    "Tahun",
    "Sumber dana",
    "Anggaran (Rp)",
)
REALISATION_COLUMNS: tuple[str, ...] = (
    "Kunci kegiatan",
    "Instansi penanggung jawab",
    "Kegiatan",
    "Sumber dana",
    "Tahun",
    "Triwulan",
    "Realisasi (Rp)",
    "Catatan",
    "Penjelasan realisasi melebihi rencana",
    "Kunci keluaran",
    "Indikator keluaran",
    "Satuan",
    "Capaian",
)
REALISATION_REQUIRED = (
    "Kunci kegiatan",
    "Sumber dana",
    "Tahun",
    "Triwulan",
    "Realisasi (Rp)",
    "Kunci keluaran",
    "Capaian",
)
_SPACES = re.compile(r"\s+")
SOURCE_BY_LABEL = {label.casefold(): s.value for s, label in rules.SOURCE_LABELS.items()} | {
    s.value: s.value for s in rules.Source
}


class SheetError(ValueError):
    """The file as a whole cannot be read (wrong template version, missing column): one Indonesian sentence, a
    `Text` (`message`) said again in the reader's language where it is shown."""

    def __init__(self, message: Text) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    number: int
    column: str  # the column's title in the template (the sheet is Indonesian in every language)
    message: str  # marked Indonesian or a `Text`

    def text(self) -> Text:
        """The problem with its row and column, to be said in the reader's language."""
        return Text(
            gettext_noop("Baris %(row)s, kolom %(column)s: %(message)s"),
            row=self.number,
            column=self.column,
            message=as_text(self.message),
        )

    def __str__(self) -> str:
        return str(self.text())


REQUIRED = gettext_noop("wajib diisi.")


KNOWN_SOURCES = Text(
    ", ".join(f"%({s.value})s" for s in rules.Source),
    **{s.value: Text(label) for s, label in rules.SOURCE_LABELS.items()},
)


def _number(value: Decimal) -> Callable[[str], str]:
    return lambda lang: format_number(value, lang=lang)


def amount_problem(error: rules.AmountError) -> str:
    """Why an amount cell is refused, to be said in the reader's language (a typed number's refusal too)."""
    unread = error.unread
    return Text(unread.template, **unread.params) if unread is not None else error.message


def text(value: object) -> str:
    """A cell as trimmed text with single spaces; a whole number read as a float by the sheet loses its '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def number_text(value: object) -> Decimal | int | str:
    """A money or value cell as `rules.read_amount` takes it: a typed text as typed, a sheet number exactly."""
    if isinstance(value, bool) or value is None:
        return text(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that reads back as this float: 300000000.5, not 3.0e8…
    return text(value)


def check_mark(found: str, wanted: str) -> None:
    if found != wanted:
        raise SheetError(
            Text(
                gettext_noop(
                    'Berkas ini bukan templat RAD KLA versi yang berlaku (tanda versi "%(found)s", seharusnya '
                    '"%(wanted)s"). Unduh templat terbaru, salin isinya, lalu unggah lagi.'
                ),
                found=found or Text(gettext_noop("tidak ada")),
                wanted=wanted,
            )
        )


def header_map(header: Sequence[object], columns: Sequence[str], required: Sequence[str]) -> dict[str, int]:
    """Column title → index; SheetError naming every required column that row 1 lacks."""
    seen = {text(h).casefold(): i for i, h in enumerate(header) if text(h)}
    missing = [c for c in required if c.casefold() not in seen]
    if missing:
        names = ", ".join(f'"{c}"' for c in missing)
        raise SheetError(
            Text(
                gettext_noop("Baris 1 tidak memuat kolom %(names)s. Gunakan templat tanpa mengubah judul kolomnya."),
                names=names,
            )
        )
    return {c: seen[c.casefold()] for c in columns if c.casefold() in seen}


def records(
    rows: Iterable[Sequence[object]], columns: Mapping[str, int], *, first_number: int = 2
) -> list[tuple[int, dict[str, object]]]:
    """(row number, column → cell) of every non-blank row (blank rows are skipped but keep their numbers)."""
    out = []
    for number, row in enumerate(rows, start=first_number):
        cells = {c: (row[i] if i < len(row) else None) for c, i in columns.items()}
        if any(text(v) for v in cells.values()):
            out.append((number, cells))
    if len(out) > MAX_ROWS:
        raise SheetError(
            Text(
                gettext_noop("Berkas berisi lebih dari %(count)s baris; bagi menjadi beberapa berkas."),
                count=lambda lang: format_count(MAX_ROWS, lang=lang),
            )
        )
    return out


def lookup_key(label: str) -> str:
    return text(label).casefold()


# --- the plan sheet ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class LeafPlan:
    """An activity or sub-activity with money: its agency, outputs and budget."""

    name: str
    code: str
    agency_id: int
    first_row: int
    outputs: dict[str, str] = field(default_factory=dict)  # output name → unit
    targets: dict[tuple[str, int], Decimal] = field(default_factory=dict)  # (output, year) → target
    budget: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # (year, source) → amount


@dataclass(slots=True)
class ActivityPlan:
    leaf: LeafPlan
    subs: dict[str, LeafPlan] = field(default_factory=dict)


@dataclass(slots=True)
class ProgrammePlan:
    indicator_id: int
    name: str
    code: str
    activities: dict[str, ActivityPlan] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanContext:
    start: int
    end: int
    agencies: Mapping[str, int]  # lookup_key(name or short name) → id
    indicators: Mapping[str, int]  # lookup_key(label or code) → id


def year_problem(value: object, start: int, end: int) -> tuple[int | None, str | None]:
    raw = text(value)
    if not raw.isdigit():
        return None, Text(gettext_noop("isi tahun dengan angka, misalnya %(year)s."), year=start)
    year = int(raw)
    refusal = rules.year_refusal(year, start, end)
    return (None, refusal) if refusal else (year, None)


class _PlanRow:
    """One row's cells checked; `errors` collects what is wrong, column by column."""

    def __init__(self, number: int, cells: Mapping[str, object], ctx: PlanContext) -> None:
        self.number, self.errors = number, list[RowError]()
        self.cell = {c: text(cells.get(c)) for c in PLAN_COLUMNS}
        for column in PLAN_REQUIRED:
            if not self.cell[column]:
                self.fail(column, REQUIRED)
        self.indicator_id = ctx.indicators.get(lookup_key(self.cell["Indikator"]))
        if self.cell["Indikator"] and self.indicator_id is None:
            self.fail(
                "Indikator",
                Text(
                    gettext_noop('"%(value)s" tidak ada dalam instrumen rencana; pilih dari daftar.'),
                    value=self.cell["Indikator"],
                ),
            )
        self.agency_id = ctx.agencies.get(lookup_key(self.cell["Instansi penanggung jawab"]))
        if self.cell["Instansi penanggung jawab"] and self.agency_id is None:
            self.fail(
                "Instansi penanggung jawab",
                Text(
                    gettext_noop(
                        '"%(value)s" tidak terdaftar di wilayah ini; pilih dari daftar atau daftarkan instansinya '
                        "terlebih dahulu."
                    ),
                    value=self.cell["Instansi penanggung jawab"],
                ),
            )
        self.year: int | None = None
        if self.cell["Tahun"]:
            self.year, problem = year_problem(cells.get("Tahun"), ctx.start, ctx.end)
            if problem:
                self.fail("Tahun", problem)
        self.source = SOURCE_BY_LABEL.get(self.cell["Sumber dana"].casefold())
        if self.cell["Sumber dana"] and self.source is None:
            self.fail(
                "Sumber dana", Text(gettext_noop("tidak dikenal; pilih salah satu: %(known)s."), known=KNOWN_SOURCES)
            )
        self.amount = self.read("Anggaran (Rp)", cells, rules.read_amount) if self.cell["Anggaran (Rp)"] else None
        self.target = self.read("Target", cells, rules.read_value) if self.cell["Target"] else None
        self.check_codes()
        if (self.cell["Target"] or self.cell["Satuan"]) and not self.cell["Indikator keluaran"]:
            self.fail("Indikator keluaran", gettext_noop("isi nama indikator keluaran untuk target dan satuannya."))
        if self.cell["Indikator keluaran"] and not self.cell["Satuan"]:
            self.fail("Satuan", gettext_noop("isi satuan indikator keluaran, misalnya unit atau orang."))

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def read(self, column: str, cells: Mapping[str, object], reader: object) -> Decimal | None:
        try:
            return reader(number_text(cells.get(column)))  # type: ignore[operator, no-any-return]
        except rules.AmountError as exc:
            self.fail(column, amount_problem(exc))
            return None

    def check_codes(self) -> None:
        levels = (
            ("Kode program", rules.Level.PROGRAMME, ""),
            ("Kode kegiatan", rules.Level.ACTIVITY, self.cell["Kode program"]),
            ("Kode sub kegiatan", rules.Level.SUB_ACTIVITY, self.cell["Kode kegiatan"]),
        )
        for column, level, parent in levels:
            refusal = rules.code_refusal(level, self.cell[column], parent)
            if refusal:
                self.fail(column, refusal)
        if self.cell["Kode sub kegiatan"] and not self.cell["Sub kegiatan"]:
            self.fail("Sub kegiatan", gettext_noop("isi nama sub kegiatan untuk kodenya."))


class _PlanBuilder:
    """Rows grouped into programmes, activities and sub-activities; conflicts between rows named on the later row."""

    def __init__(self) -> None:
        self.programmes: dict[tuple[int, str], ProgrammePlan] = {}
        self.errors: list[RowError] = []
        self.budget_rows: dict[tuple[int, int, str], int] = {}  # (leaf id, year, source) → first row
        self.own_money: dict[int, int] = {}  # id(activity leaf) → first row with money of its own
        self.split: dict[int, int] = {}  # id(activity leaf) → first row with a sub-activity

    def add(self, row: _PlanRow) -> None:
        assert row.indicator_id is not None and row.agency_id is not None
        cell, number = row.cell, row.number
        programme = self.programmes.setdefault(
            (row.indicator_id, lookup_key(cell["Program"])),
            ProgrammePlan(row.indicator_id, cell["Program"], cell["Kode program"]),
        )
        if cell["Kode program"] and programme.code and cell["Kode program"].upper() != programme.code.upper():
            row.fail(
                "Kode program",
                Text(
                    gettext_noop("berbeda dengan kode program yang sama di baris sebelumnya (%(code)s)."),
                    code=programme.code,
                ),
            )
        activity = programme.activities.setdefault(
            lookup_key(cell["Kegiatan"]),
            ActivityPlan(LeafPlan(cell["Kegiatan"], cell["Kode kegiatan"], row.agency_id, number)),
        )
        leaf = activity.leaf
        if cell["Sub kegiatan"]:
            self.split.setdefault(id(leaf), number)
            if id(leaf) in self.own_money:
                row.fail("Sub kegiatan", self._mixed(leaf, self.own_money[id(leaf)]))
            leaf = activity.subs.setdefault(
                lookup_key(cell["Sub kegiatan"]),
                LeafPlan(cell["Sub kegiatan"], cell["Kode sub kegiatan"], row.agency_id, number),
            )
        else:
            self.own_money.setdefault(id(leaf), number)
            if id(leaf) in self.split:
                row.fail("Sub kegiatan", self._mixed(leaf, number, self.split[id(leaf)]))
        if leaf.agency_id != row.agency_id:
            row.fail(
                "Instansi penanggung jawab",
                Text(gettext_noop("berbeda dengan baris %(row)s untuk %(name)s."), row=leaf.first_row, name=leaf.name),
            )
        self._figures(row, leaf)

    @staticmethod
    def _mixed(leaf: LeafPlan, own: int, split: int | None = None) -> Text:
        if split:
            where = Text(gettext_noop("baris %(own)s dan sub kegiatan di baris %(split)s"), own=own, split=split)
        else:
            where = Text(gettext_noop("baris %(own)s"), own=own)
        return Text(
            gettext_noop(
                "%(name)s tidak dapat sekaligus memiliki anggaran sendiri dan sub kegiatan (%(where)s). Isi sub "
                "kegiatan pada setiap barisnya, atau kosongkan di semua barisnya."
            ),
            name=leaf.name,
            where=where,
        )

    def _figures(self, row: _PlanRow, leaf: LeafPlan) -> None:
        assert row.year is not None and row.source is not None and row.amount is not None
        key = (id(leaf), row.year, row.source)
        if key in self.budget_rows:
            row.fail(
                "Sumber dana",
                Text(
                    gettext_noop("anggaran %(name)s tahun %(year)s dari sumber ini sudah diisi di baris %(row)s."),
                    name=leaf.name,
                    year=row.year,
                    row=self.budget_rows[key],
                ),
            )
        self.budget_rows.setdefault(key, row.number)
        leaf.budget[(row.year, row.source)] = row.amount
        output = row.cell["Indikator keluaran"]
        if not output:
            return
        unit = leaf.outputs.setdefault(output, row.cell["Satuan"])
        if unit.casefold() != row.cell["Satuan"].casefold():
            row.fail(
                "Satuan",
                Text(
                    gettext_noop('berbeda dengan satuan "%(unit)s" untuk %(output)s di baris sebelumnya.'),
                    unit=unit,
                    output=output,
                ),
            )
        if row.target is not None:
            known = leaf.targets.setdefault((output, row.year), row.target)
            if known != row.target:
                row.fail(
                    "Target",
                    Text(
                        gettext_noop("target %(output)s tahun %(year)s sudah diisi %(known)s di baris sebelumnya."),
                        output=output,
                        year=row.year,
                        known=_number(known),
                    ),
                )


def parse_plan(
    rows: Sequence[tuple[int, Mapping[str, object]]], ctx: PlanContext
) -> tuple[list[ProgrammePlan], list[RowError]]:
    """The plan the rows describe, or every problem of every row (then the plan is not to be written)."""
    builder = _PlanBuilder()
    errors: list[RowError] = []
    for number, cells in rows:
        row = _PlanRow(number, cells, ctx)
        if not row.errors:
            builder.add(row)
        errors += row.errors
    if not rows:
        errors.append(
            RowError(2, "Indikator", gettext_noop("berkas tidak berisi satu baris rencana pun; isi mulai baris 2."))
        )
    return list(builder.programmes.values()), sorted(errors, key=lambda e: (e.number, PLAN_COLUMNS.index(e.column)))
