"""Answers as stored per question (JSON) → typed values, or a refusal that names the problem in Indonesian.

Pure module: no Django import. ``{"option": "perda"}``, ``{"yes": true}``, ``{"number": "12.5"}``,
``{"numerator": "912", "denominator": "1000"}``, ``{"date": "2024-07-23"}`` and ``{"text": "..."}`` become a
str, bool, Decimal, `PercentageAnswer`, date or str; None, ``{}`` or only blank fields mean unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from kla.core.formatting import format_count
from kla.indicators.framework_schema import AnswerType
from kla.indicators.points import to_cent

TEXT_MAX_CHARS: Final = 5000
_PLACES: Final = Decimal("0.0001")  # answers may carry 4 decimals (rates such as 0.25 per 1,000 births)
_MAX_VALUE: Final = Decimal(10) ** 12  # far beyond any count a kab/kota reports; keeps Decimal maths exact
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")  # date.fromisoformat alone also takes 20240723 or 2024-W30


class AnswerError(ValueError):
    """An answer that does not fit its question; `message_id` says why, in Indonesian."""

    def __init__(self, message_id: str) -> None:
        self.message_id = message_id
        super().__init__(message_id)


@dataclass(frozen=True, slots=True)
class PercentageAnswer:
    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> Decimal | None:
        """numerator/denominator×100 rounded half-up to 2 decimals (what rubrics compare); None when 0 is below."""
        if self.denominator == 0:
            return None
        return to_cent(self.numerator * 100 / self.denominator)


# Typed answers: option → its code (str), yes_no → bool, number → Decimal, date → date, text → str.
type AnswerValue = str | bool | Decimal | PercentageAnswer | date
type RawAnswer = Mapping[str, object] | None  # the JSON stored per question

_KEYS: Final = {"option": ("option",), "yes_no": ("yes",), "number": ("number",),
                "percentage": ("numerator", "denominator"), "date": ("date",), "text": ("text",)}  # fmt: skip
_NAMES: Final = {"option": "Pilihan", "yes": "Jawaban Ya/Tidak", "number": "Angka", "numerator": "Pembilang",
                 "denominator": "Penyebut", "date": "Tanggal", "text": "Teks"}  # fmt: skip


def parse_answer(
    answer_type: AnswerType | str, raw: RawAnswer, *, option_codes: Collection[str] | None = None
) -> AnswerValue | None:
    """Validate the JSON stored for one answer and return it typed, or None when unanswered.

    Numbers: Decimal strings or JSON numbers, ≥ 0, ≤ 4 decimals, dot as decimal separator. `option_codes`, when
    given, are the question's codes. Raises `AnswerError` naming the problem.
    """
    if answer_type not in _KEYS:
        raise AnswerError(f"Jenis jawaban '{answer_type}' tidak dikenal")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise AnswerError(f"Jawaban harus berupa objek JSON, bukan {type(raw).__name__}")
    keys = _KEYS[str(answer_type)]
    if not _filled(raw, keys, str(answer_type)):
        return None
    value = raw[keys[0]]
    if answer_type == AnswerType.YES_NO:
        if not isinstance(value, bool):
            raise AnswerError("Jawaban Ya/Tidak harus true atau false")
        return value
    if answer_type == AnswerType.NUMBER:
        return _decimal(value, "Angka")
    if answer_type == AnswerType.PERCENTAGE:
        return PercentageAnswer(_decimal(value, "Pembilang"), _decimal(raw["denominator"], "Penyebut"))
    if not isinstance(value, str):
        raise AnswerError(f"{_NAMES[keys[0]]} harus berupa teks")
    return _text_value(answer_type, value.strip(), option_codes)


def _filled(raw: Mapping[str, object], keys: tuple[str, ...], answer_type: str) -> bool:
    """False when every field is blank (unanswered); raises on unknown fields or on a part filled in."""
    extra = sorted(str(k) for k in raw if k not in keys)
    if extra:
        raise AnswerError(f"Kolom tidak dikenal: {', '.join(extra)}; jawaban {answer_type} memakai: {', '.join(keys)}")
    blank = [k for k in keys if raw.get(k) is None or (isinstance(raw[k], str) and not str(raw[k]).strip())]
    if len(blank) == len(keys):
        return False
    if blank:
        raise AnswerError(f"{_NAMES[blank[0]]} wajib diisi")
    return True


def _text_value(answer_type: AnswerType | str, text: str, option_codes: Collection[str] | None) -> str | date:
    if answer_type == AnswerType.OPTION:
        if option_codes is not None and text not in option_codes:
            raise AnswerError(f"Pilihan '{text}' tidak dikenal; pilihan yang ada: {', '.join(option_codes)}")
        return text
    if answer_type == AnswerType.DATE:
        try:
            if _ISO_DATE.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise AnswerError(f"Tanggal '{text}' tidak valid; gunakan format TTTT-BB-HH, mis. 2024-07-23")
    if len(text) > TEXT_MAX_CHARS:
        raise AnswerError(
            f"Teks terlalu panjang: {format_count(len(text))} karakter, paling banyak {format_count(TEXT_MAX_CHARS)}"
        )
    return text


def _decimal(value: object, name: str) -> Decimal:
    # bool is an int in Python, but true/false is never a count.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise AnswerError(f"{name} harus berupa angka")
    text = value.strip() if isinstance(value, str) else repr(value)  # repr: 0.1 stays 0.1, not a binary fraction
    if "," in text:  # "1,5" or "1,000": ambiguous, so the form must send a dot decimal without grouping
        raise AnswerError(f"{name} '{text}': gunakan titik sebagai pemisah desimal, tanpa pemisah ribuan")
    try:
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise AnswerError(f"{name} '{text}' bukan angka") from None
    if number < 0:
        raise AnswerError(f"{name} tidak boleh negatif ({text})")
    if number > _MAX_VALUE:
        raise AnswerError(f"{name} terlalu besar ({text})")
    if number != number.quantize(_PLACES):
        raise AnswerError(f"{name} paling banyak 4 angka di belakang titik desimal ({text})")
    return number
