"""The task force's pure rules: member dates, overlapping roles, one chair, decree and meeting dates, overdue."""

from __future__ import annotations

import datetime as dt

from kla.taskforce import rules
from kla.taskforce.rules import Span, TaskForceRole

D = dt.date
KETUA, ANGGOTA = TaskForceRole.KETUA, TaskForceRole.ANGGOTA


def test_reversed_member_dates_are_refused() -> None:
    message = rules.member_refusal(Span("Siti", ANGGOTA, D(2025, 5, 1), D(2025, 4, 30)), [])
    assert message is not None and message.startswith("Tanggal selesai keanggotaan lebih awal")
    assert rules.member_refusal(Span("Siti", ANGGOTA, D(2025, 5, 1), D(2025, 5, 1)), []) is None


def test_the_same_person_in_the_same_role_may_not_overlap() -> None:
    existing = [Span("Siti  Aminah", ANGGOTA, D(2025, 1, 1), D(2025, 6, 30), key=1)]
    message = rules.member_refusal(Span("siti aminah", ANGGOTA, D(2025, 6, 30)), existing)
    assert message is not None and "sudah tercatat sebagai Anggota" in message and message.endswith(".")
    assert rules.member_refusal(Span("Siti Aminah", ANGGOTA, D(2025, 7, 1)), existing) is None
    assert rules.member_refusal(Span("Siti Aminah", TaskForceRole.SEKRETARIS, D(2025, 2, 1)), existing) is None
    assert rules.member_refusal(Span("Budi", ANGGOTA, D(2025, 2, 1)), existing) is None


def test_a_membership_is_not_compared_with_itself() -> None:
    existing = [Span("Siti", ANGGOTA, D(2025, 1, 1), None, key=7)]
    assert rules.member_refusal(Span("Siti", ANGGOTA, D(2025, 1, 1), D(2025, 3, 1), key=7), existing) is None


def test_two_chairs_at_once_are_refused() -> None:
    existing = [Span("Wali Kota A", KETUA, D(2024, 1, 1), D(2025, 1, 31), key=1)]
    message = rules.member_refusal(Span("Wali Kota B", KETUA, D(2025, 1, 31)), existing)
    assert message is not None and "sudah memiliki Ketua (Wali Kota A)" in message
    assert rules.member_refusal(Span("Wali Kota B", KETUA, D(2025, 2, 1)), existing) is None


def test_open_ended_memberships_overlap_everything_after_their_start() -> None:
    assert rules.overlaps(Span("a", KETUA, D(2020, 1, 1)), Span("b", KETUA, D(2030, 1, 1)))
    assert not rules.overlaps(Span("a", KETUA, D(2020, 1, 1), D(2020, 12, 31)), Span("b", KETUA, D(2021, 1, 1)))


def test_ending_a_membership() -> None:
    span = Span("Siti", ANGGOTA, D(2025, 3, 1))
    assert rules.end_refusal(span, D(2025, 2, 28)) is not None
    assert rules.end_refusal(span, D(2025, 3, 1)) is None
    assert "sudah berakhir" in (
        rules.end_refusal(Span("Siti", ANGGOTA, D(2025, 3, 1), D(2025, 4, 1)), D(2025, 5, 1)) or ""
    )


def test_serving_on_includes_both_ends() -> None:
    span = Span("Siti", ANGGOTA, D(2025, 3, 1), D(2025, 3, 31))
    assert [rules.serving_on(span, d) for d in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 31), D(2025, 4, 1))] == [
        False,
        True,
        True,
        False,
    ]


def test_a_decree_dated_in_the_future_cannot_be_in_force() -> None:
    today = D(2026, 12, 7)
    future = rules.decree_refusal(
        date=D(2026, 12, 8), valid_from=D(2026, 12, 8), valid_until=None, in_force=True, today=today
    )
    assert future is not None and future.startswith("SK yang tanggalnya belum tiba")
    assert (
        rules.decree_refusal(
            date=D(2026, 12, 8), valid_from=D(2026, 12, 8), valid_until=None, in_force=False, today=today
        )
        is None
    )
    assert rules.decree_refusal(date=today, valid_from=today, valid_until=None, in_force=True, today=today) is None


def test_decree_validity_dates() -> None:
    today = D(2026, 12, 7)
    reversed_ = rules.decree_refusal(
        date=D(2025, 1, 1), valid_from=D(2025, 1, 1), valid_until=D(2024, 12, 31), in_force=False, today=today
    )
    assert reversed_ is not None and "lebih awal" in reversed_
    expired = rules.decree_refusal(
        date=D(2020, 1, 1), valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31), in_force=True, today=today
    )
    assert expired is not None and "sudah berakhir" in expired


def test_a_meeting_cannot_be_held_in_the_future() -> None:
    now = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    assert rules.held_refusal(starts_at=now + dt.timedelta(minutes=1), now=now) is not None
    assert rules.held_refusal(starts_at=now, now=now) is None


def test_overdue_follow_ups() -> None:
    today = D(2026, 12, 7)
    assert rules.is_overdue(due=D(2026, 12, 6), done=False, today=today)
    assert not rules.is_overdue(due=today, done=False, today=today)
    assert not rules.is_overdue(due=D(2026, 1, 1), done=True, today=today)
    assert rules.days_overdue(due=D(2026, 12, 1), done=False, today=today) == 6
    assert rules.days_overdue(due=D(2026, 12, 1), done=True, today=today) == 0


def test_meetings_per_year() -> None:
    held = [D(2025, 3, 1), D(2024, 1, 1), D(2025, 9, 9), D(2025, 12, 31)]
    assert rules.meetings_per_year(held) == {2024: 1, 2025: 3}
    assert list(rules.meetings_per_year(held)) == [2024, 2025]
    assert rules.meetings_per_year([]) == {}


def test_every_role_has_a_label() -> None:
    assert set(rules.ROLE_LABELS) == set(TaskForceRole)
