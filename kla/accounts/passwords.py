"""A password validator that refuses the names everybody in the programme would guess."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lokal import wilayah

PROGRAMME_WORDS = (
    "layakanak",
    "kabupatenlayakanak",
    "kotalayakanak",
    "kemenpppa",
    "kementerianpppa",
    "dpppa",
    "dp3a",
    "gugustugas",
    "bappeda",
    "pratama",
    "madya",
    "nindya",
    "utama",
    "evaluasi",
    "password",
    "sandi",
    "indonesia",
)
_PREFIXES = re.compile(r"^(kabupaten|kota|provinsi|daerah istimewa|dki)\s+")
_NON_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=1)
def _region_words() -> frozenset[str]:
    words = set()
    provinces = wilayah.list_wilayah()
    for region in [*provinces, *(k for p in provinces for k in wilayah.list_wilayah(p.code))]:
        name = _PREFIXES.sub("", region.name.lower())
        word = _NON_LETTER.sub("", name)
        if len(word) >= 4:
            words.add(word)
    return frozenset(words)


class ProgrammeWordsValidator:
    """Rejects passwords built on a region name (``palembang2025``) or a programme word (``layakanak!``).

    Only letters are compared, so digits and symbols around the word do not help. Short names (fewer than four
    letters) are ignored to avoid refusing unrelated passwords.
    """

    def validate(self, password: str, user: Any = None) -> None:
        letters = _NON_LETTER.sub("", password.lower())
        for word in (*PROGRAMME_WORDS, *_region_words()):
            if len(word) >= 4 and word in letters and len(letters) - len(word) < 6:
                raise ValidationError(
                    _("Kata sandi terlalu mudah ditebak: jangan memakai nama wilayah atau istilah program KLA."),
                    code="password_programme_word",
                )

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh berupa nama wilayah atau istilah program KLA ditambah angka.")
