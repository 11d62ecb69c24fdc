"""Stages of an evaluation cycle, their labels, and the rules of a cycle's calendar. Pure module: no Django import.

The calendar rule (`calendar_problems`): the stages follow one another in `STAGE_ORDER`. A stage may open before the
previous one closes (the province starts verifying the first submissions while others still fill in), but never
before the previous stage opens; its deadline is not before its own opening, nor before the previous stage's
deadline (nothing may have to be finished before the work it depends on can be finished).

An extension (`extension_problem`) only moves a deadline later, and not past the following stage's deadline: that
stage is extended first, so the calendar keeps its order for every kabupaten/kota.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from kla.core.formatting import WIB, format_date, format_datetime
from kla.core.marking import gettext_noop


class Stage(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    PROVINCE_REVIEW = "province_review"
    ADMIN_VERIFICATION = "admin_verification"
    FIELD_VERIFICATION = "field_verification"
    FINAL = "final"
    ANNOUNCEMENT = "announcement"


STAGE_LABELS: dict[Stage, str] = {
    Stage.SELF_ASSESSMENT: gettext_noop("Evaluasi mandiri (EM)"),
    Stage.PROVINCE_REVIEW: gettext_noop("Verifikasi administrasi oleh provinsi"),
    Stage.ADMIN_VERIFICATION: gettext_noop("Verifikasi administrasi Kementerian"),
    Stage.FIELD_VERIFICATION: gettext_noop("Verifikasi lapangan"),
    Stage.FINAL: gettext_noop("Verifikasi akhir dan penetapan"),
    Stage.ANNOUNCEMENT: gettext_noop("Pengumuman"),
}
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


def stage_name(stage: Stage) -> str:
    """The stage's label as it reads inside a sentence ("tahap evaluasi mandiri (EM)")."""
    label = STAGE_LABELS[stage]
    return label[0].lower() + label[1:]


def next_stage(stage: Stage) -> Stage | None:
    """The stage after `stage` in the calendar, or None after the last one."""
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@dataclass(frozen=True, slots=True)
class CalendarProblem:
    stage: Stage
    bound: Literal["start", "end"]  # which date of the stage is wrong
    message: str


def _shown(value: dt.date, zone: str) -> str:
    return format_datetime(value, zone) if isinstance(value, dt.datetime) else format_date(value)


def calendar_problems(calendar: Mapping[Stage, tuple[dt.date, dt.date]], zone: str = WIB) -> list[CalendarProblem]:
    """What is wrong with a calendar of (opening, deadline) per stage, in stage order, each naming the stages and
    saying which date to choose; empty when the calendar keeps its order. Values are all dates or all datetimes."""
    problems: list[CalendarProblem] = []
    previous: tuple[Stage, dt.date, dt.date] | None = None
    for stage in STAGE_ORDER:
        if stage not in calendar:
            continue
        start, end = calendar[stage]
        name = stage_name(stage)
        if end < start:
            problems.append(
                CalendarProblem(
                    stage,
                    "end",
                    f"Batas waktu tahap {name} ({_shown(end, zone)}) sebelum tanggal mulainya "
                    f"({_shown(start, zone)}). Pilih batas waktu pada atau sesudah tanggal mulai.",
                )
            )
        if previous is not None:
            before, before_start, before_end = previous
            if start < before_start:
                problems.append(
                    CalendarProblem(
                        stage,
                        "start",
                        f"Tahap {name} dimulai ({_shown(start, zone)}) sebelum tahap {stage_name(before)} dimulai "
                        f"({_shown(before_start, zone)}). Pilih tanggal mulai paling cepat "
                        f"{_shown(before_start, zone)}.",
                    )
                )
            if end < before_end:
                problems.append(
                    CalendarProblem(
                        stage,
                        "end",
                        f"Batas waktu tahap {name} ({_shown(end, zone)}) sebelum batas waktu tahap "
                        f"{stage_name(before)} ({_shown(before_end, zone)}). Pilih batas waktu paling cepat "
                        f"{_shown(before_end, zone)}.",
                    )
                )
        previous = (stage, start, end)
    return problems


def extension_problem(
    stage: Stage,
    *,
    new_end: dt.datetime,
    current_end: dt.datetime,
    following: tuple[Stage, dt.datetime] | None,
    now: dt.datetime,
    zone: str = WIB,
) -> str | None:
    """Why a stage's deadline may not be extended to `new_end`, or None. `current_end` is the deadline in force (for
    a kabupaten/kota: the later of the calendar and its own extension), `following` the next stage and its deadline
    in force."""
    name = stage_name(stage)
    if new_end <= now:
        return f"Batas waktu baru ({format_datetime(new_end, zone)}) sudah lewat. Pilih tanggal yang akan datang."
    if new_end <= current_end:
        return (
            f"Batas waktu baru ({format_datetime(new_end, zone)}) tidak lebih lambat dari batas waktu tahap {name} "
            f"yang berlaku ({format_datetime(current_end, zone)}). Pilih tanggal sesudahnya."
        )
    if following is not None and new_end > following[1]:
        after, after_end = following
        return (
            f"Batas waktu baru ({format_datetime(new_end, zone)}) melewati batas waktu tahap {stage_name(after)} "
            f"({format_datetime(after_end, zone)}). Perpanjang tahap {stage_name(after)} terlebih dahulu, lalu "
            f"tahap {name}."
        )
    return None
