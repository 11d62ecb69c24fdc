"""The rules of a RAD KLA (Rencana Aksi Daerah Kabupaten/Kota Layak Anak) on plain values. Pure module: no Django
import; today is passed in.

- A plan covers consecutive years (`period_refusal`), at most `MAX_PERIOD_YEARS` (one RPJMD period); every target,
  budget and realisation names a year inside it (`year_refusal`).
- The regional budgeting nomenclature (Permendagri 90/2019 and its updates) gives a programme ``1.02.02`` (urusan,
  bidang, programme), an activity ``1.02.02.2.01`` and a sub-activity ``1.02.02.2.01.0001``; supporting programmes
  use ``X.XX``. The code is optional; when given it must have its level's shape and extend its parent's code.
- Amounts are rupiah with at most two decimals, never negative, below `AMOUNT_CAP` (a typo guard, far above any
  region's budget); they are read the Indonesian way through `kla.core.formatting.parse_number` ("1.250.000.000",
  "1.250.000.000,50", "Rp 1.250.000.000"; "1,250" is refused with a hint), or the English way when the caller
  passes ``style="en"`` (a form typed on an English page; spreadsheets are always read the Indonesian way).
- Realisation is recorded per quarter once the quarter has started; a quarter has "ended" the day after its last
  day. Spending more than planned is allowed but must be explained (`overspend_refusal`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum

from kla.core.formatting import NumberInputError, format_number, format_rupiah, parse_number
from kla.core.marking import Text, gettext_noop

MAX_PERIOD_YEARS = 5
FIRST_YEAR, LAST_YEAR = 2000, 2100
AMOUNT_CAP = Decimal("1000000000000000")  # Rp 1.000 triliun: above any region's yearly budget, a typo guard
VALUE_CAP = Decimal("1000000000000")  # an output target or achievement (persons, units, percent …)
PLACES = 2
CENT = Decimal("0.01")  # the quantum of PLACES decimals
QUARTERS = (1, 2, 3, 4)


class Level(StrEnum):
    """The levels of a plan's own structure below cluster → indicator (those come from the instrument)."""

    PROGRAMME = "programme"
    ACTIVITY = "activity"
    SUB_ACTIVITY = "sub_activity"


LEVEL_LABELS: dict[Level, str] = {
    Level.PROGRAMME: "Program",
    Level.ACTIVITY: "Kegiatan",
    Level.SUB_ACTIVITY: "Sub kegiatan",
}
PARENT_LEVEL: dict[Level, Level | None] = {
    Level.PROGRAMME: None,
    Level.ACTIVITY: Level.PROGRAMME,
    Level.SUB_ACTIVITY: Level.ACTIVITY,
}
FUNDED_LEVELS = frozenset({Level.ACTIVITY, Level.SUB_ACTIVITY})


class Source(StrEnum):
    """Where the money comes from."""

    APBD_KABKOTA = "apbd_kabkota"
    APBD_PROVINSI = "apbd_provinsi"
    APBN = "apbn"
    DAK = "dak"
    DANA_DESA = "dana_desa"
    BUSINESS = "business"
    OTHER = "other"


SOURCE_LABELS: dict[Source, str] = {
    Source.APBD_KABKOTA: "APBD kabupaten/kota",
    Source.APBD_PROVINSI: "APBD provinsi",
    Source.APBN: "APBN",
    Source.DAK: "DAK",
    Source.DANA_DESA: "Dana Desa",
    Source.BUSINESS: "Dunia usaha/CSR",
    Source.OTHER: "Sumber lain yang sah",
}


class BasisKind(StrEnum):
    """The regulation that adopts the plan."""

    PERDA = "perda"
    PERBUP = "perbup"
    PERWAL = "perwal"
    PERGUB = "pergub"


BASIS_LABELS: dict[BasisKind, str] = {
    BasisKind.PERDA: "Peraturan Daerah",
    BasisKind.PERBUP: "Peraturan Bupati",
    BasisKind.PERWAL: "Peraturan Wali Kota",
    BasisKind.PERGUB: "Peraturan Gubernur",
}
# Which head-of-region regulation fits which kind of region (a Perda fits every region).
BASIS_FOR_KIND: dict[str, BasisKind] = {
    "kabupaten": BasisKind.PERBUP,
    "kota": BasisKind.PERWAL,
    "provinsi": BasisKind.PERGUB,
}

_URUSAN = r"(?:[1-8]|X)\.(?:\d{2}|XX)"
CODE_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.PROGRAMME: re.compile(rf"{_URUSAN}\.\d{{2}}"),
    Level.ACTIVITY: re.compile(rf"{_URUSAN}\.\d{{2}}\.\d\.\d{{2}}"),
    Level.SUB_ACTIVITY: re.compile(rf"{_URUSAN}\.\d{{2}}\.\d\.\d{{2}}\.\d{{4}}"),
}
CODE_NAMES: dict[Level, str] = {  # a level as named inside a sentence
    Level.PROGRAMME: gettext_noop("program"),
    Level.ACTIVITY: gettext_noop("kegiatan"),
    Level.SUB_ACTIVITY: gettext_noop("sub kegiatan"),
}
CODE_EXAMPLES: dict[Level, str] = {
    Level.PROGRAMME: "1.02.02",
    Level.ACTIVITY: "1.02.02.2.01",
    Level.SUB_ACTIVITY: "1.02.02.2.01.0001",
}


# --- periods and years ---------------------------------------------------------------------------------------------


def period_refusal(start: int, end: int) -> str | None:
    """Why `start`–`end` is not a plan period, or None."""
    if not (FIRST_YEAR <= start <= LAST_YEAR and FIRST_YEAR <= end <= LAST_YEAR):
        return Text(
            gettext_noop("Tahun periode rencana harus antara %(first)s dan %(last)s. Periksa tahun awal dan akhirnya."),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    if end < start:
        return Text(
            gettext_noop("Tahun akhir (%(end)s) tidak boleh sebelum tahun awal (%(start)s). Tukar kedua tahun itu."),
            end=end,
            start=start,
        )
    if end - start + 1 > MAX_PERIOD_YEARS:
        return Text(
            gettext_noop(
                "Periode rencana paling lama %(max)s tahun, mengikuti RPJMD; %(start)s–%(end)s adalah %(years)s "
                "tahun. Perpendek periodenya."
            ),
            max=MAX_PERIOD_YEARS,
            start=start,
            end=end,
            years=end - start + 1,
        )
    return None


def period_years(start: int, end: int) -> tuple[int, ...]:
    return tuple(range(start, end + 1))


def year_refusal(year: int, start: int, end: int) -> str | None:
    """Why `year` cannot carry a target, budget or realisation of a plan for `start`–`end`, or None."""
    if start <= year <= end:
        return None
    return Text(
        gettext_noop(
            "Tahun %(year)s di luar periode rencana (%(start)s–%(end)s). Pilih tahun %(start)s sampai %(end)s."
        ),
        year=year,
        start=start,
        end=end,
    )


# --- regulation ----------------------------------------------------------------------------------------------------


def basis_refusal(kind: str, region_kind: str, number: str, date: dt.date | None, today: dt.date) -> str | None:
    """Why the legal basis cannot adopt a plan of a region of `region_kind`, or None."""
    try:
        basis = BasisKind(kind)
    except ValueError:
        return gettext_noop("Pilih jenis dasar hukum: Perda, Perbup, Perwal, atau Pergub.")
    fitting = BASIS_FOR_KIND.get(region_kind)
    if basis != BasisKind.PERDA and basis != fitting:
        if fitting:
            allowed = Text(gettext_noop("Perda atau %(label)s"), label=Text(BASIS_LABELS[fitting]))
        else:
            allowed = Text("Perda")
        return Text(
            gettext_noop("%(label)s tidak menetapkan rencana wilayah ini. Gunakan %(allowed)s."),
            label=Text(BASIS_LABELS[basis]),
            allowed=allowed,
        )
    if not number.strip():
        return gettext_noop("Isi nomor peraturan yang menetapkan rencana terlebih dahulu.")
    if date is None:
        return gettext_noop("Isi tanggal peraturan yang menetapkan rencana terlebih dahulu.")
    if date > today:
        return gettext_noop(
            "Tanggal peraturan tidak boleh di masa depan. Tetapkan rencana setelah peraturannya ditandatangani."
        )
    return None


# --- nomenclature codes --------------------------------------------------------------------------------------------


def clean_code(code: str) -> str:
    return code.strip().upper()


def code_refusal(level: Level, code: str, parent_code: str = "") -> str | None:
    """Why `code` is not a regional budgeting nomenclature code of `level` under `parent_code`, or None.

    An empty code is allowed (not every agency has one); a code under a parent that has one must extend it."""
    code = clean_code(code)
    if not code:
        return None
    label = Text(CODE_NAMES[level])
    if not CODE_PATTERNS[level].fullmatch(code):
        return Text(
            gettext_noop(
                'Kode %(label)s "%(code)s" tidak sesuai nomenklatur, contohnya %(example)s. Salin kode dari dokumen '
                "anggaran atau kosongkan."
            ),
            label=label,
            code=code,
            example=CODE_EXAMPLES[level],
        )
    parent = clean_code(parent_code)
    if parent and not code.startswith(parent + "."):
        return Text(
            gettext_noop('Kode %(label)s "%(code)s" harus diawali kode induknya (%(parent)s). Periksa kodenya.'),
            label=label,
            code=code,
            parent=parent,
        )
    return None


# --- amounts and values --------------------------------------------------------------------------------------------


class AmountError(ValueError):
    """An amount or value that cannot be accepted; `message` is one Indonesian sentence that says what to do."""

    def __init__(self, code: str, message: str, unread: NumberInputError | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.unread = unread  # the typed text's refusal, to be said in the reader's language


def _read(value: Decimal | int | str, style: str = "id") -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = parse_number(value, style)
        except NumberInputError as exc:
            raise AmountError(exc.code, exc.message, exc) from exc
    else:
        raise AmountError("invalid", NOT_A_NUMBER)
    if not number.is_finite():
        raise AmountError("invalid", NOT_A_NUMBER)
    return number


NOT_A_NUMBER = gettext_noop("Isi angka seperti 1.250.000 atau 1.250.000,50.")
# The refusals of an amount (budget, rupiah) and of a value (an output's target or achievement), one sentence each.
AMOUNT_REFUSALS = {
    "negative": gettext_noop("Anggaran tidak boleh negatif. Isi 0 bila tidak ada."),
    "too_large": gettext_noop("Anggaran %(number)s terlalu besar; periksa jumlah digitnya (batas di bawah %(cap)s)."),
    "places": gettext_noop("Anggaran paling banyak %(places)s angka di belakang koma."),
}
VALUE_REFUSALS = {
    "negative": gettext_noop("Nilai tidak boleh negatif. Isi 0 bila tidak ada."),
    "too_large": gettext_noop("Nilai %(number)s terlalu besar; periksa jumlah digitnya (batas di bawah %(cap)s)."),
    "places": gettext_noop("Nilai paling banyak %(places)s angka di belakang koma."),
}


def _check(number: Decimal, cap: Decimal, refusals: dict[str, str]) -> Decimal:
    if number < 0:
        raise AmountError("negative", Text(refusals["negative"]))
    if number >= cap:
        raise AmountError(
            "too_large",
            Text(
                refusals["too_large"],
                number=lambda lang: format_number(number, lang=lang),
                cap=lambda lang: format_number(cap, lang=lang),
            ),
        )
    if number != number.quantize(CENT):
        raise AmountError("places", Text(refusals["places"], places=PLACES))
    return number.quantize(CENT)


def read_amount(value: Decimal | int | str, style: str = "id") -> Decimal:
    """A rupiah amount from typed text (read in `style`, see `parse_number`) or a number: exact, ≥ 0, below the cap,
    at most two decimals."""
    return _check(_read(value, style), AMOUNT_CAP, AMOUNT_REFUSALS)


def read_value(value: Decimal | int | str, style: str = "id") -> Decimal:
    """An output target or achievement: exact, ≥ 0, below its cap, at most two decimals."""
    return _check(_read(value, style), VALUE_CAP, VALUE_REFUSALS)


# --- quarters --------------------------------------------------------------------------------------------------------


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of the quarter (31 March, 30 June, 30 September, 31 December)."""
    return dt.date(year, 12, 31) if quarter == 4 else quarter_start(year, quarter + 1) - dt.timedelta(days=1)


def quarter_ended(year: int, quarter: int, today: dt.date) -> bool:
    return today > quarter_end(year, quarter)


def quarter_refusal(year: int, quarter: int, start: int, end: int, today: dt.date) -> str | None:
    """Why realisation cannot be recorded for `quarter` of `year` in a plan for `start`–`end` today, or None."""
    if quarter not in QUARTERS:
        return gettext_noop("Pilih triwulan I, II, III, atau IV.")
    refusal = year_refusal(year, start, end)
    if refusal:
        return refusal
    if today < quarter_start(year, quarter):
        return Text(
            gettext_noop(
                "Triwulan %(quarter)s tahun %(year)s belum dimulai. Catat realisasinya setelah triwulan itu berjalan."
            ),
            quarter=quarter,
            year=year,
        )
    return None


def overspent(planned: Decimal, realised: Decimal) -> bool:
    return realised > planned


def overspend_refusal(planned: Decimal, realised: Decimal, explanation: str) -> str | None:
    """Spending above plan is allowed once explained: why not yet, or None."""
    if overspent(planned, realised) and not explanation.strip():
        return Text(
            gettext_noop(
                "Realisasi tahun ini (%(realised)s) melebihi anggaran yang direncanakan (%(planned)s). Isi penjelasan "
                "mengapa realisasi melebihi rencana."
            ),
            realised=lambda lang: format_rupiah(realised, lang=lang),
            planned=lambda lang: format_rupiah(planned, lang=lang),
        )
    return None
