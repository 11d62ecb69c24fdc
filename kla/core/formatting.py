"""Numbers, sizes, dates and times as Indonesians write and read them, in one place. Pure module: no Django import.

Every page, message, email, PDF and export formats through here (``lang="id"`` by default; ``"en"`` for English
pages), and every typed number is read by ``parse_number``:

- numbers: ``1.234,56`` (dot groups thousands, comma marks decimals); English ``1,234.56``;
- money: ``Rp 1.250.000.000`` and, with sen, ``Rp 1.250.000.000,50``;
- dates: ``7 Desember 2026`` (long), ``7 Des 2026`` (tables);
- times: ``7 Desember 2026 pukul 16.00 WIB``, always with the zone of the region (WIB, WITA, WIT).

Indonesia has three zones; a region's zone is one of ``Asia/Jakarta`` (WIB), ``Asia/Makassar`` (WITA) and
``Asia/Jayapura`` (WIT). An instant is stored in UTC and shown in the viewer's zone with its label.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

Number = int | float | Decimal

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
ZONE_LABELS: dict[str, str] = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_ID_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_EN_SHORT = tuple(m[:3] for m in MONTHS_EN)

_KIB, _MIB, _GIB = 1024, 1024**2, 1024**3


def _separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) for a language: Indonesian unless English is asked for."""
    return (",", ".") if lang.startswith("en") else (".", ",")


def _to_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value: Number | None, places: int | None = None, *, lang: str = "id", empty: str = "–") -> str:
    """``1234.5`` → ``"1.234,5"``; with ``places`` rounded half-up to that many decimals (``"1.234,50"``).

    Without ``places`` an integer stays whole and a decimal keeps its significant digits (``Decimal("45.00")`` →
    ``"45"``, ``Decimal("12.50")`` → ``"12,5"``). ``None`` gives ``empty`` (an en dash).
    """
    if value is None:
        return empty
    number = _to_decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{number:,.{places}f}"
    elif number == number.to_integral_value():
        text = f"{number.to_integral_value():,f}"
    else:
        text = f"{number.normalize():,f}"
    thousands, decimal = _separators(lang)
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_count(n: int, *, lang: str = "id") -> str:
    """A whole count with thousands grouped: ``91600`` → ``"91.600"``."""
    return format_number(n, lang=lang)


def format_percent(value: Number | None, places: int = 2, *, lang: str = "id", empty: str = "–") -> str:
    """``45`` → ``"45,00%"`` (the value is already a percentage)."""
    if value is None:
        return empty
    return f"{format_number(value, places, lang=lang)}%"


def format_rupiah(value: Number | None, *, lang: str = "id", empty: str = "–") -> str:
    """An amount of money as ``"Rp 1.250.000.000"``; with sen, always two places: ``"Rp 1.250.000.000,50"``.

    ``parse_number`` reads it back (``"Rp"`` is allowed there). A negative amount reads ``"-Rp 5.000"``."""
    if value is None:
        return empty
    number = _to_decimal(value)
    places = None if number == number.to_integral_value() else 2
    sign = "-" if number < 0 else ""
    return f"{sign}Rp {format_number(abs(number), places, lang=lang)}"


def format_size(n_bytes: int, *, lang: str = "id") -> str:
    """Bytes as ``"1,5 MB"``, one decimal, rounded **up** so a file just over a limit never reads as equal to it."""
    for unit, factor in (("GB", _GIB), ("MB", _MIB), ("KB", _KIB)):
        if n_bytes >= factor:
            value = Decimal(math.ceil(n_bytes * 10 / factor)) / 10
            return f"{format_number(value, lang=lang)} {unit}"
    return f"{n_bytes} {'bytes' if lang.startswith('en') else 'bita'}"


def format_date(value: dt.date, *, lang: str = "id") -> str:
    """``"7 Desember 2026"`` (English ``"7 December 2026"``)."""
    months = MONTHS_EN if lang.startswith("en") else MONTHS_ID
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_date_short(value: dt.date, *, lang: str = "id") -> str:
    """``"7 Des 2026"`` for tables (English ``"7 Dec 2026"``)."""
    months = MONTHS_EN_SHORT if lang.startswith("en") else MONTHS_ID_SHORT
    return f"{value.day} {months[value.month - 1]} {value.year}"


def zone_label(zone: str) -> str:
    """``"WIB"``, ``"WITA"`` or ``"WIT"`` for Indonesia's zones; the zone's own abbreviation or name otherwise."""
    if zone in ZONE_LABELS:
        return ZONE_LABELS[zone]
    name = dt.datetime.now(ZoneInfo(zone)).tzname()
    return name or zone


def _local(value: dt.datetime, zone: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("waktu tanpa zona tidak dapat ditampilkan dengan zona wilayah")
    return value.astimezone(ZoneInfo(zone))


def format_time(value: dt.datetime, zone: str = WIB, *, lang: str = "id") -> str:
    """``"16.00 WIB"`` (English ``"16:00 WIB"``)."""
    local = _local(value, zone)
    sep = ":" if lang.startswith("en") else "."
    return f"{local.hour:02d}{sep}{local.minute:02d} {zone_label(zone)}"


def format_datetime(value: dt.datetime, zone: str = WIB, *, lang: str = "id") -> str:
    """``"7 Desember 2026 pukul 16.00 WIB"`` (English ``"7 December 2026 at 16:00 WIB"``) in the given zone."""
    local = _local(value, zone)
    word = "at" if lang.startswith("en") else "pukul"
    return f"{format_date(local.date(), lang=lang)} {word} {format_time(value, zone, lang=lang)}"


def format_datetime_short(value: dt.datetime, zone: str = WIB, *, lang: str = "id") -> str:
    """``"7 Des 2026 16.00 WIB"`` for tables."""
    local = _local(value, zone)
    return f"{format_date_short(local.date(), lang=lang)} {format_time(value, zone, lang=lang)}"


# --- reading typed numbers -----------------------------------------------------------------------------------------


class NumberInputError(ValueError):
    """A typed number that cannot be read, or could be read two ways. ``code`` for callers, ``message`` in Indonesian
    (a full sentence that says what to type instead)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")  # 1.500 / 1.250.000
_PLAIN = re.compile(r"\d+")
_FRACTION = re.compile(r"\d+")


def _split_sign(text: str) -> tuple[str, str]:
    if text[:1] in "-−":
        return "-", text[1:].strip()
    if text[:1] == "+":
        return "", text[1:].strip()
    return "", text


def _strip_currency(text: str) -> str:
    lowered = text.lower()
    if lowered.startswith("rp"):
        text = text[2:].lstrip(". ").strip()
    return text


def _integer_part(whole: str, original: str) -> str:
    if _GROUPED.fullmatch(whole):
        return whole.replace(".", "")
    if _PLAIN.fullmatch(whole):
        return whole
    if "." in whole and re.fullmatch(r"\d+\.\d+", whole):
        digits, fraction = whole.split(".")
        raise NumberInputError(
            "decimal_point",
            f'"{original}" tidak dapat dibaca: titik memisahkan ribuan, koma menandai desimal. '
            f"Tulis {digits},{fraction} untuk bilangan desimal.",
        )
    raise NumberInputError(
        "invalid",
        f'"{original}" bukan angka. Tulis angka seperti 1.500 (seribu lima ratus) atau 1,5 (satu setengah).',
    )


def parse_number(text: str) -> Decimal:
    """Read a number typed the Indonesian way and return it exactly.

    ``"1.500"`` → 1500, ``"1.250.000,50"`` → 1250000.50, ``"1,5"`` → 1.5, ``"Rp 1.250.000"`` → 1250000,
    ``"-2,25"`` → -2.25. Refused with a hint (``NumberInputError``): empty text, letters, ``"1.5"`` (a dot is never a
    decimal mark here), misplaced groups (``"1.50"``), and ``"1,250"`` when it could be an English thousand (a comma
    followed by exactly three digits, no dot, and a whole part other than zero).
    """
    original = (text or "").strip()
    body = _strip_currency(original.replace("\u00a0", " "))
    sign, body = _split_sign(body)
    if not body:
        raise NumberInputError("empty", "Isi angkanya terlebih dahulu.")
    if " " in body:
        raise NumberInputError(
            "invalid", f'"{original}" bukan angka. Pisahkan ribuan dengan titik, bukan spasi: 1.500.'
        )
    whole, comma, fraction = body.partition(",")
    if comma and not _FRACTION.fullmatch(fraction):
        raise NumberInputError(
            "invalid",
            f'"{original}" bukan angka. Gunakan satu koma untuk desimal, misalnya 1.234,5.',
        )
    digits = _integer_part(whole, original)
    if comma and len(fraction) == 3 and "." not in whole and int(digits) != 0:
        raise NumberInputError(
            "ambiguous",
            f'"{original}" dapat dibaca dua cara. Tulis {digits}.{fraction} jika maksudnya ribuan, atau '
            f"{digits},{fraction.rstrip('0') or '0'} jika maksudnya bilangan desimal.",
        )
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if comma else f"{sign}{digits}")
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only digits
        raise NumberInputError("invalid", f'"{original}" bukan angka.') from exc
