"""Rules of a recorded activity (kegiatan): its dates, the people it reached, where it took place. Pure module: no
Django import.

Every refusal is a sentence in Indonesian that says what to do next; None means the value is fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kla.core.formatting import format_count
from kla.core.marking import Text, gettext_noop
from kla.regions.levels import Level, is_valid_code, is_within, level_of

COUNT_CAP = 10_000_000  # people reached by one activity: above any kab/kota's population, a typo guard
AGE_GROUPS: tuple[tuple[str, str], ...] = (("0_5", "0–5 tahun"), ("6_12", "6–12 tahun"), ("13_17", "13–17 tahun"))
SEXES: tuple[tuple[str, str], ...] = (("girls", "Anak perempuan"), ("boys", "Anak laki-laki"))
CHILD_FIELDS: tuple[str, ...] = tuple(f"{sex}_{age}" for sex, _s in SEXES for age, _a in AGE_GROUPS)
COUNT_FIELDS: tuple[str, ...] = (*CHILD_FIELDS, "adults")
LOCATION_LEVELS = frozenset({Level.KECAMATAN, Level.DESA})


COUNT_LABELS: dict[str, str] = {  # marked: shown through gettext
    "girls_0_5": gettext_noop("Anak perempuan 0–5 tahun"),
    "girls_6_12": gettext_noop("Anak perempuan 6–12 tahun"),
    "girls_13_17": gettext_noop("Anak perempuan 13–17 tahun"),
    "boys_0_5": gettext_noop("Anak laki-laki 0–5 tahun"),
    "boys_6_12": gettext_noop("Anak laki-laki 6–12 tahun"),
    "boys_13_17": gettext_noop("Anak laki-laki 13–17 tahun"),
    "adults": gettext_noop("Orang dewasa"),
}


def count_label(name: str) -> str:
    """``girls_6_12`` → "Anak perempuan 6–12 tahun"; ``adults`` → "Orang dewasa"."""
    return COUNT_LABELS[name]


def dates_refusal(start: dt.date, end: dt.date) -> str | None:
    """An activity ends on or after the day it starts."""
    if end < start:
        return gettext_noop("Tanggal selesai lebih awal dari tanggal mulai: periksa kembali kedua tanggal kegiatan.")
    return None


def period_refusal(start: dt.date, end: dt.date, first_year: int, last_year: int) -> str | None:
    """An activity that realises a RAD KLA activity lies within the plan's period (whole years)."""
    if start.year < first_year or end.year > last_year:
        return Text(
            gettext_noop(
                "Tanggal kegiatan di luar periode RAD KLA %(first)s–%(last)s: pilih tanggal dalam periode itu, atau "
                "jangan tautkan kegiatan ini ke RAD KLA tersebut."
            ),
            first=first_year,
            last=last_year,
        )
    return None


def count_refusal(name: str, value: int | None) -> str | None:
    """A count of people is a whole number from 0 up to `COUNT_CAP`."""
    label = Text(COUNT_LABELS.get(name, name))
    if value is None:
        return None
    if value < 0:
        return Text(gettext_noop("Jumlah %(label)s tidak boleh negatif: isi 0 bila tidak ada."), label=label)
    if value > COUNT_CAP:
        return Text(
            gettext_noop("Jumlah %(label)s terlalu besar (lebih dari %(cap)s): periksa kembali angkanya."),
            label=label,
            cap=lambda lang: format_count(COUNT_CAP, lang=lang),
        )
    return None


def counts_refusals(counts: Mapping[str, int | None]) -> dict[str, str]:
    """The refusal of each count that is not acceptable, by field name (unknown names are refused too)."""
    out: dict[str, str] = {}
    for name, value in counts.items():
        if name not in COUNT_FIELDS:
            out[name] = Text(gettext_noop("Kolom jumlah tidak dikenal: %(name)s."), name=name)
            continue
        refusal = count_refusal(name, value)
        if refusal is not None:
            out[name] = refusal
    return out


@dataclass(frozen=True)
class Reached:
    children: int
    girls: int
    boys: int
    adults: int

    @property
    def total(self) -> int:
        return self.children + self.adults


def reached(counts: Mapping[str, int | None]) -> Reached:
    """The totals of the people reached (missing counts are 0)."""
    girls = sum(counts.get(f"girls_{age}") or 0 for age, _a in AGE_GROUPS)
    boys = sum(counts.get(f"boys_{age}") or 0 for age, _a in AGE_GROUPS)
    return Reached(children=girls + boys, girls=girls, boys=boys, adults=counts.get("adults") or 0)


def location_refusal(location_code: str, region_code: str) -> str | None:
    """The place of an activity is a kecamatan or desa/kelurahan inside the kab/kota that records it."""
    if not is_valid_code(location_code) or level_of(location_code) not in LOCATION_LEVELS:
        return gettext_noop("Lokasi harus berupa kecamatan atau desa/kelurahan: pilih dari daftar wilayah.")
    if not is_within(location_code, region_code) or location_code == region_code:
        return gettext_noop(
            "Lokasi berada di luar kabupaten/kota ini: pilih kecamatan atau desa/kelurahan di wilayah sendiri."
        )
    return None
