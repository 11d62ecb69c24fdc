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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from kla.core.formatting import WIB, format_date, format_datetime
from kla.core.marking import Text, first_lower, gettext_noop


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


def stage_in_sentence(stage: Stage) -> Text:
    """`stage_name` said again in the reader's language."""
    return first_lower(STAGE_LABELS[stage])


def next_stage(stage: Stage) -> Stage | None:
    """The stage after `stage` in the calendar, or None after the last one."""
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@dataclass(frozen=True, slots=True)
class CalendarProblem:
    stage: Stage
    bound: Literal["start", "end"]  # which date of the stage is wrong
    message: str


def _shown(value: dt.date, zone: str) -> Callable[[str], str]:
    """A date or an instant in the reader's language."""
    if isinstance(value, dt.datetime):
        return lambda lang: format_datetime(value, zone, lang=lang)
    return lambda lang: format_date(value, lang=lang)


def calendar_problems(calendar: Mapping[Stage, tuple[dt.date, dt.date]], zone: str = WIB) -> list[CalendarProblem]:
    """What is wrong with a calendar of (opening, deadline) per stage, in stage order, each naming the stages and
    saying which date to choose; empty when the calendar keeps its order. Values are all dates or all datetimes."""
    problems: list[CalendarProblem] = []
    previous: tuple[Stage, dt.date, dt.date] | None = None
    for stage in STAGE_ORDER:
        if stage not in calendar:
            continue
        start, end = calendar[stage]
        name = stage_in_sentence(stage)
        if end < start:
            message = Text(
                gettext_noop(
                    "Batas waktu tahap %(name)s (%(end)s) sebelum tanggal mulainya (%(start)s). Pilih batas waktu pada "
                    "atau sesudah tanggal mulai."
                ),
                name=name,
                end=_shown(end, zone),
                start=_shown(start, zone),
            )
            problems.append(CalendarProblem(stage, "end", message))
        if previous is not None:
            problems += _order_problems(stage, start, end, previous, zone)
        previous = (stage, start, end)
    return problems


def _order_problems(
    stage: Stage, start: dt.date, end: dt.date, previous: tuple[Stage, dt.date, dt.date], zone: str
) -> list[CalendarProblem]:
    """A stage that starts or ends before the previous one."""
    before, before_start, before_end = previous
    found = []
    names = {"name": stage_in_sentence(stage), "before": stage_in_sentence(before)}
    if start < before_start:
        message = Text(
            gettext_noop(
                "Tahap %(name)s dimulai (%(start)s) sebelum tahap %(before)s dimulai (%(before_start)s). Pilih "
                "tanggal mulai paling cepat %(before_start)s."
            ),
            start=_shown(start, zone),
            before_start=_shown(before_start, zone),
            **names,
        )
        found.append(CalendarProblem(stage, "start", message))
    if end < before_end:
        message = Text(
            gettext_noop(
                "Batas waktu tahap %(name)s (%(end)s) sebelum batas waktu tahap %(before)s (%(before_end)s). Pilih "
                "batas waktu paling cepat %(before_end)s."
            ),
            end=_shown(end, zone),
            before_end=_shown(before_end, zone),
            **names,
        )
        found.append(CalendarProblem(stage, "end", message))
    return found


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
    new = _shown(new_end, zone)
    if new_end <= now:
        return Text(gettext_noop("Batas waktu baru (%(new)s) sudah lewat. Pilih tanggal yang akan datang."), new=new)
    if new_end <= current_end:
        return Text(
            gettext_noop(
                "Batas waktu baru (%(new)s) tidak lebih lambat dari batas waktu tahap %(name)s yang berlaku "
                "(%(current)s). Pilih tanggal sesudahnya."
            ),
            new=new,
            name=stage_in_sentence(stage),
            current=_shown(current_end, zone),
        )
    if following is not None and new_end > following[1]:
        after, after_end = following
        return Text(
            gettext_noop(
                "Batas waktu baru (%(new)s) melewati batas waktu tahap %(after)s (%(after_end)s). Perpanjang tahap "
                "%(after)s terlebih dahulu, lalu tahap %(name)s."
            ),
            new=new,
            after=stage_in_sentence(after),
            after_end=_shown(after_end, zone),
            name=stage_in_sentence(stage),
        )
    return None
