"""`send_reminders` against a fixed clock, the reminders beyond self-assessment and review: field verification and
the final verification at 7, 3 and 1 days (to those with that work unfinished only), and a returned indicator's fix
deadline two days and one day before (the secretariat and the assigned agency's operators); never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.evaluations.models import Entry, Evaluation, StageDeadline
from kla.evaluations.stages import Stage
from kla.notifications import selectors as who
from kla.notifications.models import Kind, Notification
from kla.notifications.tests.test_events import expected_operators
from kla.notifications.tests.test_reminders import NOTHING, run

pytestmark = pytest.mark.django_db


def told(stage: Stage, days: int) -> set[str]:
    rows = Notification.objects.filter(
        kind=Kind.DEADLINE, dedup_key__contains=f":{stage.value}:", dedup_key__endswith=f":{days}"
    )
    return set(rows.values_list("user__username", flat=True))


def test_field_verification_deadlines_reach_only_the_verifiers_of_evaluations_still_in_the_field(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any
) -> None:
    from kla.fieldvisits.models import FieldPlan

    ends = StageDeadline.objects.get(cycle=palembang.cycle, stage=Stage.FIELD_VERIFICATION).ends_at
    run(ends - dt.timedelta(days=6, hours=12), django_capture_on_commit_callbacks)
    assert told(Stage.FIELD_VERIFICATION, 7) == set()  # no evaluation is in the field yet: nobody has work
    Evaluation.objects.filter(pk=palembang.pk).update(status=Evaluation.Status.FIELD_VERIFICATION)
    run(ends - dt.timedelta(days=6, hours=11), django_capture_on_commit_callbacks)
    assert told(Stage.FIELD_VERIFICATION, 7) == {"kemen-lapangan"}  # no team planned: every field verifier
    reminder = Notification.objects.get(kind=Kind.DEADLINE, dedup_key__contains=":field_verification:")
    assert "7 hari lagi" in reminder.title and "verifikasi lapangan" in reminder.title
    assert "1 kabupaten/kota menunggu verifikasi Anda" in reminder.body and "WIB" in reminder.body
    assert NOTHING in run(ends - dt.timedelta(days=6, hours=10), django_capture_on_commit_callbacks)

    other = User.objects.create(username="lapangan-lain", email="lain@demo.kla.invalid")
    Membership.objects.create(user=other, role=Role.FIELD_VERIFIER)
    plan = FieldPlan.objects.create(evaluation=palembang, visit_date=ends.date() - dt.timedelta(days=5))
    plan.team.add(other)  # planned: only the team's verifier has this work
    run(ends - dt.timedelta(days=2, hours=12), django_capture_on_commit_callbacks)
    assert told(Stage.FIELD_VERIFICATION, 3) == {"lapangan-lain"}
    Evaluation.objects.filter(pk=palembang.pk).update(status=Evaluation.Status.FINAL_VERIFICATION)
    assert NOTHING in run(ends - dt.timedelta(hours=12), django_capture_on_commit_callbacks)  # field work done
    assert told(Stage.FIELD_VERIFICATION, 1) == set()


def test_final_verification_deadlines_reach_the_ministry_administrators_at_7_3_and_1_days_once_each(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any
) -> None:
    ends = StageDeadline.objects.get(cycle=palembang.cycle, stage=Stage.FINAL).ends_at
    Evaluation.objects.filter(pk=palembang.pk).update(status=Evaluation.Status.FINAL_VERIFICATION)
    admins = {u.username for u in who.ministry_admins()}
    assert {"kemen-admin", "kemen-admin2"} <= admins
    for days, before in ((7, dt.timedelta(days=6)), (3, dt.timedelta(days=2)), (1, dt.timedelta(hours=20))):
        out = run(ends - before, django_capture_on_commit_callbacks)
        assert "pengingat dikirim" in out and NOTHING not in out
        assert told(Stage.FINAL, days) == admins
        assert NOTHING in run(ends - before + dt.timedelta(minutes=5), django_capture_on_commit_callbacks)
    keys = Notification.objects.filter(kind=Kind.DEADLINE, user__username="kemen-admin").values_list(
        "dedup_key", flat=True
    )
    assert sorted(k for k in keys if ":final:" in k) == [
        f"deadline:{palembang.cycle_id}:final:nasional:{d}" for d in (1, 3, 7)
    ]
    Evaluation.objects.filter(pk=palembang.pk).update(status=Evaluation.Status.DETERMINED)
    assert NOTHING in run(ends - dt.timedelta(hours=2), django_capture_on_commit_callbacks)


def fix_told(days: int) -> set[str]:
    rows = Notification.objects.filter(
        kind=Kind.DEADLINE, dedup_key__startswith="fixdue:", dedup_key__endswith=f":{days}"
    )
    return set(rows.values_list("user__username", flat=True))


def test_a_returned_indicator_is_reminded_two_days_and_one_day_before_its_fix_deadline_never_twice(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    t0 = dt.datetime(2099, 3, 1, 3, 0, tzinfo=dt.UTC)
    entry = Entry.objects.select_related("indicator").get(evaluation=palembang, indicator__number=4)
    other = Entry.objects.get(evaluation=palembang, indicator__number=5)
    deadline = t0 + dt.timedelta(days=5)  # 6 March 2099, 10.00 WIB
    Entry.objects.filter(pk__in=[entry.pk, other.pk]).update(
        status=Entry.Status.RETURNED, return_reason="Lengkapi SK.", returned_at=t0, return_deadline=deadline
    )
    people = {"gt-palembang"} | expected_operators(entry) | expected_operators(other)
    run(deadline - dt.timedelta(days=3), django_capture_on_commit_callbacks)
    assert fix_told(2) == set()  # three days before: not yet
    run(deadline - dt.timedelta(days=1, hours=20), django_capture_on_commit_callbacks)
    assert fix_told(2) == people
    note = Notification.objects.get(
        dedup_key__startswith="fixdue:", dedup_key__endswith=":2", user__username="gt-palembang"
    )
    assert "2 hari lagi" in note.title and note.body.count("\n") == 1  # the two entries, one line each
    assert (
        f"{entry.indicator.number}. {entry.indicator.name}" in note.body and "6 Maret 2099 pukul 10.00 WIB" in note.body
    )
    assert any(m.to == ["gt-palembang@demo.kla.invalid"] and "2 hari lagi" in m.subject for m in mailoutbox)
    assert NOTHING in run(deadline - dt.timedelta(days=1, hours=19), django_capture_on_commit_callbacks)

    Entry.objects.filter(pk=other.pk).update(status=Entry.Status.SUBMITTED)  # fixed and sent again
    run(deadline - dt.timedelta(hours=20), django_capture_on_commit_callbacks)
    one_day = Notification.objects.get(
        dedup_key__startswith="fixdue:", dedup_key__endswith=":1", user__username="gt-palembang"
    )
    assert one_day.body.count("\n") == 0 and "1 hari lagi" in one_day.title
    assert fix_told(1) == {"gt-palembang"} | expected_operators(entry)
    assert NOTHING in run(deadline - dt.timedelta(hours=19), django_capture_on_commit_callbacks)
    before = Notification.objects.filter(dedup_key__startswith="fixdue:").count()
    run(deadline + dt.timedelta(hours=1), django_capture_on_commit_callbacks)  # past: escalation's work, not this
    assert Notification.objects.filter(dedup_key__startswith="fixdue:").count() == before
