"""A stored score explanation in the reader's language.

The scorers (`kla.indicators.scorers`, pure) write the explanation in Indonesian when an answer is saved, and it is
stored with the answer ("Persentase 5/6 = 83,33% ≥ 80 → 25 poin dari 25"). On an English page its words are
translated phrase by phrase through the catalogue and its Indonesian numbers rewritten in English format; option
labels (the instrument's data) stay as they are. Indonesian pages show the stored text unchanged.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext

from kla.core.formatting import format_number, parse_number

# Longest first, so that "Tidak dijawab" is translated before "Tidak".
_PHRASES = (
    "Pembilang lebih besar dari penyebut: periksa kembali datanya",
    "Penyebut 0: persentase tidak dapat dihitung",
    "tidak memenuhi ambang terendah",
    "keterangan, tidak dinilai",
    "dibatasi ke rentang",
    "Jawaban tidak valid",
    "Tidak dijawab",
    "poin rubrik",
    "Persentase",
    "poin dari",
    "melebihi",
    "karakter",
    "Pilihan",
    "Tanggal",
    "Angka",
    "Teks",
    "Ya",
    "Tidak",
)
_PATTERN = re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in _PHRASES) + r")(?!\w)")
# An Indonesian number with a decimal comma or thousands dots: 83,33 · 1.500 · 1.234,5
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+)(?![\w.,]\d)")


def _english_number(found: re.Match[str]) -> str:
    raw = found.group(1)
    places = len(raw.split(",")[1]) if "," in raw else None
    return format_number(parse_number(raw), places, lang="en")


def explanation(text: str) -> str:
    """The stored explanation as the reader reads it."""
    if not text or not (get_language() or "").startswith("en"):
        return text
    translated = _PATTERN.sub(lambda m: gettext(m.group(1)), text)
    return _NUMBER.sub(_english_number, translated)


def _mark() -> None:  # pragma: no cover - never called: lists the phrases for makemessages
    gettext("Pembilang lebih besar dari penyebut: periksa kembali datanya")
    gettext("Penyebut 0: persentase tidak dapat dihitung")
    gettext("tidak memenuhi ambang terendah")
    gettext("keterangan, tidak dinilai")
    gettext("dibatasi ke rentang")
    gettext("Jawaban tidak valid")
    gettext("Tidak dijawab")
    gettext("poin rubrik")
    gettext("Persentase")
    gettext("poin dari")
    gettext("melebihi")
    gettext("karakter")
    gettext("Pilihan")
    gettext("Tanggal")
    gettext("Angka")
    gettext("Teks")
    gettext("Ya")
    gettext("Tidak")
