"""Numbers, sizes, dates and times as Indonesians write and read them, in one place. Pure module: no Django import.

Every page, message, email, PDF and export formats through here (``lang="id"`` by default; ``"en"`` for English
pages), and every typed number is read by ``parse_number`` (the Indonesian way, or the English way on English pages;
``kla.core.typed_numbers`` picks the style from the active language):

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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal
from zoneinfo import ZoneInfo

from kla.core.marking import gettext_noop

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

Style = Literal["id", "en"]

# Messages are Indonesian msgids (``%(name)s`` placeholders): ``NumberInputError.message`` is the Indonesian text,
# and a Django caller shows ``gettext(error.template) % error.params`` in the reader's language
# (``kla.core.typed_numbers``). The examples in a shared message are parameters, so one sentence serves both styles.
EMPTY_MESSAGE = gettext_noop("Isi angkanya terlebih dahulu.")
INVALID_MESSAGE = gettext_noop(
    '"%(text)s" bukan angka. Tulis angka seperti %(thousand)s (seribu lima ratus) atau %(half)s (satu setengah).'
)
AMBIGUOUS_MESSAGE = gettext_noop(
    '"%(text)s" dapat dibaca dua cara. Tulis %(thousands)s jika maksudnya ribuan, atau %(decimal)s jika maksudnya '
    "bilangan desimal."
)
SHORT_INVALID_MESSAGE = gettext_noop('"%(text)s" bukan angka.')


@dataclass(frozen=True)
class _Notation:
    """How a style writes numbers, and what it says when a typed one does not fit."""

    group: str  # thousands separator
    decimal: str  # decimal mark
    wrong_mark: str  # the code when the decimal mark of the other style is used
    space: str  # message: thousands separated by spaces
    marks: str  # message: more than one decimal mark, or nothing after it
    other_mark: str  # message: the other style's decimal mark (the hint gives the number in this style)


NOTATIONS: dict[str, _Notation] = {
    "id": _Notation(
        ".",
        ",",
        "decimal_point",
        gettext_noop('"%(text)s" bukan angka. Pisahkan ribuan dengan titik, bukan spasi: 1.500.'),
        gettext_noop('"%(text)s" bukan angka. Gunakan satu koma untuk desimal, misalnya 1.234,5.'),
        gettext_noop(
            '"%(text)s" tidak dapat dibaca: titik memisahkan ribuan, koma menandai desimal. '
            "Tulis %(decimal)s untuk bilangan desimal."
        ),
    ),
    "en": _Notation(
        ",",
        ".",
        "decimal_comma",
        gettext_noop('"%(text)s" bukan angka. Pisahkan ribuan dengan koma, bukan spasi: 1,500.'),
        gettext_noop('"%(text)s" bukan angka. Gunakan satu titik untuk desimal, misalnya 1,234.5.'),
        gettext_noop(
            '"%(text)s" tidak dapat dibaca: koma memisahkan ribuan, titik menandai desimal. '
            "Tulis %(decimal)s untuk bilangan desimal."
        ),
    ),
}


class NumberInputError(ValueError):
    """A typed number that cannot be read, or could be read two ways.

    ``code`` for callers (``empty``, ``invalid``, ``ambiguous``, ``decimal_point`` for ``1.5`` read the Indonesian
    way, ``decimal_comma`` for ``1,5`` read the English way); ``template`` and ``params`` to say it in the reader's
    language; ``message``: the Indonesian sentence, or the one a caller translated (it says what to type instead).
    """

    def __init__(self, code: str, template: str, params: dict[str, str] | None = None, message: str = "") -> None:
        self.code = code
        self.template = template
        self.params = dict(params or {})
        self.message = message or template % self.params
        super().__init__(self.message)

    def said_with(self, translate: Callable[[str], str]) -> NumberInputError:
        """The same refusal with its message passed through ``translate`` (Django's ``gettext``)."""
        return NumberInputError(self.code, self.template, self.params, translate(self.template) % self.params)


_PLAIN = re.compile(r"\d+")


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


def _refuse(code: str, template: str, original: str, **params: str) -> NumberInputError:
    return NumberInputError(code, template, {"text": original, **params})


def _invalid(original: str, style: str) -> NumberInputError:
    examples = {"thousand": format_number(1500, lang=style), "half": format_number(Decimal("1.5"), lang=style)}
    return _refuse("invalid", INVALID_MESSAGE, original, **examples)


def _integer_part(whole: str, original: str, style: str) -> str:
    notation = NOTATIONS[style]
    group = re.escape(notation.group)
    if re.fullmatch(rf"\d{{1,3}}({group}\d{{3}})+", whole):  # 1.500 / 1.250.000 (English 1,500 / 1,250,000)
        return whole.replace(notation.group, "")
    if _PLAIN.fullmatch(whole):
        return whole
    if re.fullmatch(rf"\d+{group}\d+", whole):  # the group mark used as a decimal mark: 1.5 (English 1,5)
        digits, fraction = whole.split(notation.group)
        decimal = f"{digits}{notation.decimal}{fraction}"
        raise _refuse(notation.wrong_mark, notation.other_mark, original, decimal=decimal)
    raise _invalid(original, style)


def parse_number(text: str, style: Style | str = "id") -> Decimal:
    """Read a typed number and return it exactly: the Indonesian way (``style="id"``) or the English way (``"en"``).

    Indonesian: ``"1.500"`` → 1500, ``"1.250.000,50"`` → 1250000.50, ``"1,5"`` → 1.5, ``"Rp 1.250.000"`` → 1250000,
    ``"-2,25"`` → -2.25. English mirrors it: ``"1,500"`` → 1500, ``"1,500.5"`` → 1500.5, ``"1.5"`` → 1.5,
    ``"Rp 1,250,000"``. Refused with a hint (``NumberInputError``): empty text, letters, spaces, the other style's
    decimal mark (``"1.5"`` in Indonesian, ``"1,5"`` in English), misplaced groups (``"1.50"``), and a number that
    could be a thousand of the other style (``"1,250"`` in Indonesian, ``"1.250"`` in English: a single decimal mark
    followed by exactly three digits, no thousands mark, and a whole part other than zero).
    """
    style = "en" if style.startswith("en") else "id"
    notation = NOTATIONS[style]
    original = (text or "").strip()
    body = _strip_currency(original.replace("\u00a0", " "))
    sign, body = _split_sign(body)
    body = _strip_currency(body) if sign else body  # "-Rp 5.000", as format_rupiah writes a negative amount
    if not body:
        raise NumberInputError("empty", EMPTY_MESSAGE)
    if " " in body:
        raise _refuse("invalid", notation.space, original)
    whole, mark, fraction = body.partition(notation.decimal)
    if mark and not _PLAIN.fullmatch(fraction):
        raise _refuse("invalid", notation.marks, original)
    digits = _integer_part(whole, original, style)
    if mark and len(fraction) == 3 and notation.group not in whole and int(digits) != 0:
        thousands = f"{digits}{notation.group}{fraction}"
        decimal = f"{digits}{notation.decimal}{fraction.rstrip('0') or '0'}"
        raise _refuse("ambiguous", AMBIGUOUS_MESSAGE, original, thousands=thousands, decimal=decimal)
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if mark else f"{sign}{digits}")
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only digits
        raise _refuse("invalid", SHORT_INVALID_MESSAGE, original) from exc


def format_typed(value: Number, places: int | None = None, *, lang: str = "id") -> str:
    """A number as a form field shows it, to be read back by ``parse_number`` in the same style: ``format_number``,
    with a trailing zero where the text would be ambiguous (``1.125`` → ``"1,1250"``, English ``"1.1250"``)."""
    style = "en" if lang.startswith("en") else "id"
    text = format_number(value, places, lang=style)
    try:
        parse_number(text, style)
    except NumberInputError as exc:
        if exc.code == "ambiguous":
            return f"{text}0"
        raise  # pragma: no cover - format_number writes only readable numbers
    return text
