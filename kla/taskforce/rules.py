"""The Gugus Tugas KLA's rules on plain values. Pure module: no Django import; today and now are passed in.

Members are dated (`start`, `end` inclusive, `end` None = still serving), so the task force on any past date can be
shown; a person holds one role once at a time, and the task force has one chair (ketua) at a time. A decree that
is in force cannot be dated in the future; a meeting cannot be recorded as held before it happened. Each refusal is
a full Indonesian sentence that says what to do.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class TaskForceRole(StrEnum):
    KETUA = "ketua"
    WAKIL_KETUA = "wakil_ketua"
    SEKRETARIS = "sekretaris"
    KOORDINATOR_KELEMBAGAAN = "koordinator_kelembagaan"
    KOORDINATOR_I = "koordinator_1"
    KOORDINATOR_II = "koordinator_2"
    KOORDINATOR_III = "koordinator_3"
    KOORDINATOR_IV = "koordinator_4"
    KOORDINATOR_V = "koordinator_5"
    ANGGOTA = "anggota"


ROLE_LABELS: dict[TaskForceRole, str] = {
    TaskForceRole.KETUA: "Ketua",
    TaskForceRole.WAKIL_KETUA: "Wakil Ketua",
    TaskForceRole.SEKRETARIS: "Sekretaris",
    TaskForceRole.KOORDINATOR_KELEMBAGAAN: "Koordinator Kelembagaan",
    TaskForceRole.KOORDINATOR_I: "Koordinator Klaster I",
    TaskForceRole.KOORDINATOR_II: "Koordinator Klaster II",
    TaskForceRole.KOORDINATOR_III: "Koordinator Klaster III",
    TaskForceRole.KOORDINATOR_IV: "Koordinator Klaster IV",
    TaskForceRole.KOORDINATOR_V: "Koordinator Klaster V",
    TaskForceRole.ANGGOTA: "Anggota",
}


@dataclass(frozen=True, slots=True)
class Span:
    """One membership as plain values: who, in which role, from `start` to `end` (inclusive; None = open)."""

    person: str
    role: TaskForceRole
    start: dt.date
    end: dt.date | None = None
    key: int | None = None  # the row's id, so a membership is not compared with itself


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def overlaps(a: Span, b: Span) -> bool:
    """True if the two date ranges share at least one day (an open end runs for ever)."""
    a_end = a.end or dt.date.max
    b_end = b.end or dt.date.max
    return a.start <= b_end and b.start <= a_end


def member_refusal(candidate: Span, others: Iterable[Span]) -> str | None:
    """Why `candidate` cannot be recorded beside the region's other memberships, or None if it can."""
    if candidate.end is not None and candidate.end < candidate.start:
        return (
            "Tanggal selesai keanggotaan lebih awal dari tanggal mulai. Periksa kembali kedua tanggal; tanggal "
            "selesai harus sama dengan atau sesudah tanggal mulai."
        )
    for other in others:
        if other.key is not None and other.key == candidate.key:
            continue
        if not overlaps(candidate, other):
            continue
        if other.role == candidate.role and _same_person(other.person, candidate.person):
            return (
                f"{candidate.person} sudah tercatat sebagai {ROLE_LABELS[candidate.role]} pada rentang tanggal yang "
                "sama. Akhiri keanggotaan yang lama terlebih dahulu atau pilih tanggal mulai sesudahnya."
            )
        if candidate.role == other.role == TaskForceRole.KETUA:
            return (
                f"Gugus Tugas sudah memiliki Ketua ({other.person}) pada rentang tanggal tersebut. Akhiri "
                "keanggotaan Ketua yang lama terlebih dahulu; Gugus Tugas hanya memiliki satu Ketua pada satu waktu."
            )
    return None


def end_refusal(span: Span, end: dt.date) -> str | None:
    """Why a membership cannot end on `end`, or None."""
    if span.end is not None:
        return "Keanggotaan ini sudah berakhir sebelumnya; tidak ada yang perlu diubah."
    if end < span.start:
        return (
            "Tanggal selesai keanggotaan lebih awal dari tanggal mulai. Pilih tanggal yang sama dengan atau "
            "sesudah tanggal mulai."
        )
    return None


def serving_on(span: Span, day: dt.date) -> bool:
    """True if the membership runs on `day`."""
    return span.start <= day and (span.end is None or day <= span.end)


def decree_refusal(
    *, date: dt.date, valid_from: dt.date, valid_until: dt.date | None, in_force: bool, today: dt.date
) -> str | None:
    """Why a decree (SK) cannot be recorded as given, or None."""
    if valid_until is not None and valid_until < valid_from:
        return (
            "Tanggal akhir berlaku SK lebih awal dari tanggal mulai berlaku. Periksa kembali kedua tanggal pada "
            "SK tersebut."
        )
    if in_force and (date > today or valid_from > today):
        return (
            "SK yang tanggalnya belum tiba tidak dapat dicatat sebagai SK yang berlaku. Periksa tanggal SK, atau "
            "catat SK ini sesudah tanggal tersebut."
        )
    if in_force and valid_until is not None and valid_until < today:
        return "Masa berlaku SK ini sudah berakhir, sehingga tidak dapat dicatat sebagai SK yang berlaku."
    return None


def held_refusal(*, starts_at: dt.datetime, now: dt.datetime) -> str | None:
    """Why a meeting cannot be recorded as held yet, or None."""
    if starts_at > now:
        return (
            "Rapat koordinasi yang jadwalnya belum tiba tidak dapat dicatat sebagai sudah dilaksanakan. Catat "
            "pelaksanaannya sesudah rapat berlangsung, atau ubah jadwalnya terlebih dahulu."
        )
    return None


def is_overdue(*, due: dt.date, done: bool, today: dt.date) -> bool:
    """A follow-up not done whose due date has passed (the due date itself is still on time)."""
    return not done and due < today


def days_overdue(*, due: dt.date, done: bool, today: dt.date) -> int:
    return (today - due).days if is_overdue(due=due, done=done, today=today) else 0


def meetings_per_year(held_dates: Iterable[dt.date]) -> dict[int, int]:
    """How many meetings were held in each calendar year, years in order."""
    counts = Counter(d.year for d in held_dates)
    return dict(sorted(counts.items()))
