"""The rules an agency's fields follow, and the checks of a spreadsheet of agencies. Pure module: no Django import.

An import is all-or-nothing: `check_rows` names every bad row with its row number and column (the header is row 1,
so the first agency is row 2, as the spreadsheet program shows it), and nothing is written while one is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kla.agencies.catalogue import BY_CODE, LEVEL_NAMES, AgencyKind
from kla.core.marking import Text, as_text, gettext_noop
from kla.regions.levels import LEVEL_LABELS, Level

NAME_MAX = 200
SHORT_NAME_MAX = 60
COLUMNS: tuple[str, ...] = ("jenis", "nama", "singkatan")
COLUMN_LABELS: dict[str, str] = {"jenis": "jenis", "nama": "nama", "singkatan": "singkatan"}
_SPACES = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """Trim and collapse white space: "Dinas  Kesehatan " and "Dinas Kesehatan" are the same name."""
    return _SPACES.sub(" ", text).strip()


def name_key(text: str) -> str:
    """The key two names are compared by (case and spacing ignored): names are unique within a region."""
    return clean_name(text).casefold()


def kind_problem(code: str, level: Level) -> str | None:
    """Why `code` is not a kind an agency of a region of `level` may have, or None."""
    kind = BY_CODE.get(code.strip().upper())
    if kind is None:
        return Text(
            gettext_noop("jenis instansi tidak dikenal: %(code)s"), code=code.strip() or Text(gettext_noop("(kosong)"))
        )
    if not kind.fits(level):
        return Text(
            gettext_noop("%(kind)s berada di tingkat %(where)s, bukan %(level)s"),
            kind=kind.name,
            where=Text(LEVEL_NAMES[kind.level]) if kind.level else "",
            level=Text(LEVEL_NAMES[level]) if level in LEVEL_NAMES else LEVEL_LABELS[level].lower(),
        )
    return None


def name_problem(name: str, short_name: str = "") -> str | None:
    """Why a name (and short name) cannot be stored, or None."""
    if not clean_name(name):
        return gettext_noop("nama instansi wajib diisi")
    if len(clean_name(name)) > NAME_MAX:
        return Text(gettext_noop("nama instansi paling panjang %(max)s huruf"), max=NAME_MAX)
    if len(clean_name(short_name)) > SHORT_NAME_MAX:
        return Text(gettext_noop("singkatan paling panjang %(max)s huruf"), max=SHORT_NAME_MAX)
    return None


@dataclass(frozen=True, slots=True)
class Row:
    """One agency read from a spreadsheet: its row number (as the spreadsheet shows it) and its cells."""

    number: int
    kind: str
    name: str
    short_name: str

    def kind_spec(self) -> AgencyKind:
        return BY_CODE[self.kind.strip().upper()]


@dataclass(frozen=True, slots=True)
class RowError:
    number: int
    column: str
    message: str

    def text(self) -> Text:
        """The problem with its row and column, to be said in the reader's language."""
        return Text(
            gettext_noop("Baris %(row)s, kolom %(column)s: %(message)s."),
            row=self.number,
            column=COLUMN_LABELS.get(self.column, self.column),
            message=as_text(self.message),
        )

    def __str__(self) -> str:
        return str(self.text())


def header_problem(header: Iterable[str]) -> str | None:
    """Why the first row is not the template's header (jenis, nama, singkatan), or None."""
    seen = [clean_name(h).lower() for h in header]
    missing = [c for c in ("jenis", "nama") if c not in seen]
    if missing:
        return Text(
            gettext_noop(
                "Baris 1 harus berisi judul kolom jenis, nama, singkatan (unduh templatnya); tidak ada kolom "
                "%(missing)s."
            ),
            missing=", ".join(missing),
        )
    return None


def rows_from(records: Iterable[Mapping[str, str]], *, first_number: int = 2) -> list[Row]:
    """Rows from dicts keyed by column title; blank lines are skipped but keep their numbers."""
    rows = []
    for number, record in enumerate(records, start=first_number):
        cells = {k: clean_name(v or "") for k, v in record.items()}
        if not any(cells.get(c) for c in COLUMNS):
            continue
        rows.append(Row(number, cells.get("jenis", ""), cells.get("nama", ""), cells.get("singkatan", "")))
    return rows


def check_rows(rows: Iterable[Row], *, level: Level, existing_names: Iterable[str]) -> list[RowError]:
    """Every problem of every row: unknown or misplaced kind, missing or too long name, a name already in the
    region or repeated in the file (each repetition is named, with the row it repeats)."""
    taken = {name_key(n) for n in existing_names}
    first_row: dict[str, int] = {}
    errors: list[RowError] = []
    for row in rows:
        problem = kind_problem(row.kind, level)
        if problem:
            errors.append(RowError(row.number, "jenis", problem))
        problem = name_problem(row.name, row.short_name)
        if problem:
            errors.append(RowError(row.number, "singkatan" if "singkatan" in problem else "nama", problem))
            continue
        key = name_key(row.name)
        if key in taken:
            known = Text(gettext_noop("%(name)s sudah terdaftar di wilayah ini"), name=row.name)
            errors.append(RowError(row.number, "nama", known))
        elif key in first_row:
            again = Text(gettext_noop("%(name)s sudah ada di baris %(row)s"), name=row.name, row=first_row[key])
            errors.append(RowError(row.number, "nama", again))
        else:
            first_row[key] = row.number
    return errors
