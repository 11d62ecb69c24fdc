"""The calendar rule and the extension rule (kla/evaluations/stages.py). Pure: no database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.core.formatting import WIB
from kla.evaluations.stages import (
    STAGE_ORDER,
    Stage,
    calendar_problems,
    extension_problem,
    next_stage,
    stage_name,
)

D = dt.date
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def sequential(days: int = 30, overlap: int = 0) -> dict[Stage, tuple[dt.date, dt.date]]:
    start = D(2027, 1, 1)
    return {
        s: (start + dt.timedelta(days=days * i), start + dt.timedelta(days=days * i + days - 1 + overlap))
        for i, s in enumerate(STAGE_ORDER)
    }


def test_a_sequential_calendar_is_fine() -> None:
    assert calendar_problems(sequential()) == []


def test_stages_may_overlap_when_their_order_holds() -> None:
    # the province starts on the first submissions while others still fill in
    assert calendar_problems(sequential(overlap=20)) == []


def test_same_day_opening_and_deadline_is_fine() -> None:
    day = D(2027, 1, 1)
    assert calendar_problems({s: (day, day) for s in STAGE_ORDER}) == []


def test_deadline_before_its_opening_names_the_stage() -> None:
    calendar = sequential()
    start, _end = calendar[Stage.FIELD_VERIFICATION]
    calendar[Stage.FIELD_VERIFICATION] = (start, start - dt.timedelta(days=1))
    problems = calendar_problems(calendar)
    first = problems[0]
    assert (first.stage, first.bound) == (Stage.FIELD_VERIFICATION, "end")
    assert first.message == (
        "Batas waktu tahap verifikasi lapangan (31 Maret 2027) sebelum tanggal mulainya (1 April 2027). "
        "Pilih batas waktu pada atau sesudah tanggal mulai."
    )


def test_reverse_order_is_refused_stage_by_stage() -> None:
    calendar = dict(zip(STAGE_ORDER, reversed(list(sequential().values())), strict=True))
    problems = calendar_problems(calendar)
    assert {(p.stage, p.bound) for p in problems} == {(s, b) for s in STAGE_ORDER[1:] for b in ("start", "end")}
    starts = [p for p in problems if p.bound == "start"]
    assert starts[0].message == (
        "Tahap verifikasi administrasi oleh provinsi dimulai (1 Mei 2027) sebelum tahap evaluasi mandiri (EM) "
        "dimulai (31 Mei 2027). Pilih tanggal mulai paling cepat 31 Mei 2027."
    )


def test_a_deadline_before_the_previous_deadline() -> None:
    calendar = sequential()
    calendar[Stage.PROVINCE_REVIEW] = (D(2027, 1, 10), D(2027, 1, 20))  # opens during EM, ends before it
    (problem,) = calendar_problems(calendar)
    assert (problem.stage, problem.bound) == (Stage.PROVINCE_REVIEW, "end")
    assert problem.message == (
        "Batas waktu tahap verifikasi administrasi oleh provinsi (20 Januari 2027) sebelum batas waktu tahap "
        "evaluasi mandiri (EM) (30 Januari 2027). Pilih batas waktu paling cepat 30 Januari 2027."
    )


def test_missing_stages_are_skipped_and_datetimes_are_shown_with_their_zone() -> None:
    first = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    calendar = {
        Stage.SELF_ASSESSMENT: (first, first + dt.timedelta(days=9)),
        Stage.FINAL: (first - dt.timedelta(days=1), first + dt.timedelta(days=30)),
    }
    (problem,) = calendar_problems(calendar, WIB)
    assert problem.stage == Stage.FINAL and "verifikasi akhir dan penetapan" in problem.message
    assert "evaluasi mandiri (EM)" in problem.message and "pukul 07.00 WIB" in problem.message


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), min_size=6, max_size=6))
def test_no_problem_means_the_order_holds(pairs: list[tuple[int, int]]) -> None:
    base = D(2027, 1, 1)
    calendar = {
        s: (base + dt.timedelta(days=a), base + dt.timedelta(days=a + b)) for s, (a, b) in zip(STAGE_ORDER, pairs)
    }
    ordered = all(
        calendar[x][0] <= calendar[y][0] and calendar[x][1] <= calendar[y][1]
        for x, y in itertools.pairwise(STAGE_ORDER)
    )
    assert (calendar_problems(calendar) == []) == ordered


def test_stage_names_and_order() -> None:
    assert stage_name(Stage.SELF_ASSESSMENT) == "evaluasi mandiri (EM)"
    assert stage_name(Stage.ADMIN_VERIFICATION) == "verifikasi administrasi Kementerian"
    assert next_stage(Stage.SELF_ASSESSMENT) == Stage.PROVINCE_REVIEW
    assert next_stage(Stage.ANNOUNCEMENT) is None


# --- extensions ---------------------------------------------------------------------------------------------------

END = dt.datetime(2027, 3, 10, 16, 59, 59, tzinfo=dt.UTC)  # 10 March 23.59.59 WIB
NEXT = (Stage.PROVINCE_REVIEW, END + dt.timedelta(days=30))


def extend(new_end: dt.datetime, following: tuple[Stage, dt.datetime] | None = NEXT) -> str | None:
    return extension_problem(Stage.SELF_ASSESSMENT, new_end=new_end, current_end=END, following=following, now=NOW)


def test_an_extension_within_the_next_stage_is_fine() -> None:
    assert extend(END + dt.timedelta(days=7)) is None
    assert extend(NEXT[1]) is None  # up to the next stage's deadline itself
    assert extend(END + dt.timedelta(days=400), following=None) is None  # the last stage


def test_an_extension_must_move_the_deadline_later() -> None:
    assert extend(END) == (
        "Batas waktu baru (10 Maret 2027 pukul 23.59 WIB) tidak lebih lambat dari batas waktu tahap evaluasi mandiri "
        "(EM) yang berlaku (10 Maret 2027 pukul 23.59 WIB). Pilih tanggal sesudahnya."
    )
    assert extend(END - dt.timedelta(days=1)) is not None


def test_an_extension_in_the_past_is_refused() -> None:
    past = NOW - dt.timedelta(hours=1)
    problem = extension_problem(
        Stage.FINAL, new_end=past, current_end=past - dt.timedelta(days=5), following=None, now=NOW
    )
    assert problem == "Batas waktu baru (1 Maret 2027 pukul 15.00 WIB) sudah lewat. Pilih tanggal yang akan datang."


def test_an_extension_past_the_next_stage_says_to_extend_that_first() -> None:
    problem = extend(NEXT[1] + dt.timedelta(seconds=1))
    assert problem is not None and problem.endswith(
        "Perpanjang tahap verifikasi administrasi oleh provinsi terlebih dahulu, lalu tahap evaluasi mandiri (EM)."
    )


@pytest.mark.parametrize("days", [1, 10, 29])
def test_extension_order_with_the_calendar(days: int) -> None:
    new_end = END + dt.timedelta(days=days)
    assert calendar_problems({Stage.SELF_ASSESSMENT: (END, new_end), NEXT[0]: (END, NEXT[1])}) == []
    assert extend(new_end) is None
