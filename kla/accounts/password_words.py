"""Which guessable context word a password is built on (ASVS 6.2.11). Pure module: no Django import.

Everybody who attacks a KLA account guesses the same words first: the region's name (``palembang2026!``), the
programme (``LayakAnak2025``, ``kla2025``, ``KemenPPPA2025``) and the usual ``Password123``. `find_context_word`
says whether a password contains one of them; `kla.accounts.passwords` wraps it as a Django password validator and
supplies the region names from the database.

The comparison rule:

* Both sides are lower-cased, accents are dropped and "leetspeak-lite" is undone: ``0→o, 1→i or l, 3→e, 4→a,
  @→a, $→s``. The password is compared in three readings: as typed (digits kept as separators), with ``1`` read as
  ``i`` and with ``1`` read as ``l``.
* A word of **5 letters or more** is refused wherever it occurs among the password's letters, once digits and
  punctuation are removed: ``Pa1embang-2026!``, ``Musi_Rawas`` and ``xxLayakAnakxx`` are all refused.
* A word of **3 or 4 letters** (``Bima``, ``Agam``, ``Batu``, ``Riau``, and the programme's ``KLA``, ``PPPA``,
  ``DP3A``) is refused only as a whole token, a run of letters between digits, spaces or punctuation: ``bima2025``,
  ``Kota-Bima!`` and ``KLA_2025`` are refused, but ``Bimasakti-Ungu-7`` and ``deklarasi-hujan-17`` are not. A run
  may begin with ``kota``/``kab``/``kabupaten``/``provinsi`` (``KotaBima2025`` is refused too). Substring matching
  of short names would refuse far too many ordinary words (``batu`` is in ``batuk``, ``kla`` in ``klasik``).
* Region names lose their administrative prefix (``Kabupaten``, ``Kota``, ``Kab.``, ``Kota Administrasi``,
  ``Provinsi``, ``Daerah Istimewa``, ``Daerah Khusus Ibukota``) and are compared as one word without spaces
  (``Musi Rawas`` → ``musirawas``); a region name shorter than 4 letters is not a forbidden word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: Programme, ministry and "obvious" words (display form; compared after normalisation).
PROGRAMME_WORDS: tuple[str, ...] = (
    "KLA",
    "Layak Anak",
    "Kabupaten Layak Anak",
    "Kota Layak Anak",
    "Provinsi Layak Anak",
    "KemenPPPA",
    "Kementerian PPPA",
    "Kementerian",
    "PPPA",
    "DPPPA",
    "DP3A",
    "Bappeda",
    "Gugus Tugas",
    "Perlindungan Anak",
    "Pemberdayaan Perempuan",
    "Forum Anak",
    "Puspaga",
    "KPAI",
    "Pratama",
    "Madya",
    "Nindya",
    "Utama",
    "Evaluasi",
    "Indonesia",
    "Password",
    "Kata Sandi",
    "Sandi",
    "Rahasia",
    "Qwerty",
)
#: Everyday short names of provinces that are not in the official list.
REGION_ALIASES: tuple[str, ...] = (
    "Sumut",
    "Sumbar",
    "Sumsel",
    "Babel",
    "Kepri",
    "Jabar",
    "Jateng",
    "Jatim",
    "Jogja",
    "Yogya",
    "Jogjakarta",
    "Kalbar",
    "Kalteng",
    "Kalsel",
    "Kaltim",
    "Kaltara",
    "Sulut",
    "Sulteng",
    "Sulsel",
    "Sultra",
    "Sulbar",
    "Malut",
)

SUBSTRING_MIN = 5  # words this long are refused anywhere; shorter ones only as a whole token
REGION_MIN = 4  # region names shorter than this are not forbidden words

_REGION_PREFIX = re.compile(
    r"^(kabupaten administrasi|kota administrasi|kabupaten|kab\.?|kota|provinsi|prov\.?|daerah istimewa"
    r"|daerah khusus ibukota|daerah khusus|dki)\s+",
    re.IGNORECASE,
)
_KEP = re.compile(r"\bkep\.\s*")
_NOT_ALONE = frozenset({"seribu"})  # "Kepulauan Seribu" is a region, "seribu" (a thousand) an ordinary word
_TOKEN_PREFIX = re.compile(r"^(kabupaten|kab|kota|provinsi|prov)(?=[a-z]{3})")
_NOT_LETTER = re.compile(r"[^a-z]+")
_LETTERS = re.compile(r"[a-z]+")
_LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s"})
_LEET_L = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "@": "a", "$": "s"})


@dataclass(frozen=True, slots=True)
class ContextWords:
    """Forbidden words prepared for matching: normalised form → the name shown to the user."""

    anywhere: dict[str, str]  # ≥ SUBSTRING_MIN letters, longest first
    tokens: dict[str, str]  # shorter: whole tokens only

    def __len__(self) -> int:
        return len(self.anywhere) + len(self.tokens)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _readings(text: str) -> tuple[str, ...]:
    folded = _fold(text)
    return tuple(dict.fromkeys((folded, folded.translate(_LEET_I), folded.translate(_LEET_L))))


def region_word(name: str) -> str:
    """``Kota Administrasi Jakarta Pusat`` → ``jakartapusat``; ``Kab. Toli-Toli`` → ``tolitoli``."""
    folded = _KEP.sub("kepulauan ", _fold(name).strip())
    previous = None
    while previous != folded:  # "Kota Administrasi …", "Provinsi Daerah Istimewa …"
        previous, folded = folded, _REGION_PREFIX.sub("", folded)
    return _NOT_LETTER.sub("", folded)


def prepare(*, region_names: Iterable[str] = (), extra_words: Iterable[str] = PROGRAMME_WORDS) -> ContextWords:
    """Normalise the word lists once (about 600 names); the result is what `find_context_word` matches against."""
    found: dict[str, str] = {}
    for name in region_names:
        word = region_word(name)
        shown = _REGION_PREFIX.sub("", name.strip()) or name
        if len(word) >= REGION_MIN:
            found.setdefault(word, shown)
            island = word.removeprefix("kepulauan")  # "Bangka Belitung", "Mentawai", "Siau Tagulandang Biaro"
            if island != word and len(island) >= REGION_MIN and island not in _NOT_ALONE:
                found.setdefault(island, shown)
    for name in extra_words:
        for reading in _readings(name):
            word = _NOT_LETTER.sub("", reading)
            if word:
                found.setdefault(word, name)
    ordered = sorted(found.items(), key=lambda item: (-len(item[0]), item[0]))
    return ContextWords(
        anywhere={w: shown for w, shown in ordered if len(w) >= SUBSTRING_MIN},
        tokens={w: shown for w, shown in ordered if len(w) < SUBSTRING_MIN},
    )


def find_context_word(password: str, words: ContextWords) -> str | None:
    """The forbidden word `password` is built on (as shown to people, e.g. ``Palembang``), or None."""
    readings = _readings(password)
    letters = {_NOT_LETTER.sub("", reading) for reading in readings}
    for word, shown in words.anywhere.items():
        if any(word in text for text in letters):
            return shown
    tokens: set[str] = set()
    for reading in readings:
        for token in _LETTERS.findall(reading):
            tokens.add(token)
            tokens.add(_TOKEN_PREFIX.sub("", token))
    for word, shown in words.tokens.items():
        if word in tokens:
            return shown
    return None
