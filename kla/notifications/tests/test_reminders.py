"""`send_reminders` against a fixed clock: deadlines at 7, 3 and 1 days to those with unfinished work only,
follow-ups due and overdue, the daily digest; a second run sends nothing and says so."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kla.demo.answers import fill_answers
from kla.evaluations.models import Evaluation, StageDeadline
from kla.evaluations.stages import Stage
from kla.notifications.models import Delivery, Kind, Notification, OutgoingEmail
from kla.notifications.services import Message, deliver, preferences_set

pytestmark = pytest.mark.django_db
NOTHING = "0 pengingat dikirim; semua sudah terkirim sebelumnya."


def run(now: dt.datetime, capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", "--now", now.isoformat(), stdout=out)
    return out.getvalue()


def told(days: int) -> set[str]:
    rows = Notification.objects.filter(kind=Kind.DEADLINE, dedup_key__endswith=f":self:{days}")
    return set(rows.values_list("user__username", flat=True))


def test_deadlines_at_7_3_and_1_days_reach_only_unfinished_work_and_never_twice(
    palembang: Evaluation, user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    ends = StageDeadline.objects.get(cycle=palembang.cycle, stage=Stage.SELF_ASSESSMENT).ends_at
    Evaluation.objects.filter(cycle=palembang.cycle, region_id="16.73").update(status=Evaluation.Status.SUBMITTED)

    assert NOTHING in run(ends - dt.timedelta(days=8), django_capture_on_commit_callbacks)  # too early
    first = run(ends - dt.timedelta(days=6, hours=12), django_capture_on_commit_callbacks)
    assert "pengingat dikirim" in first and NOTHING not in first
    assert {"gt-palembang", "opd-palembang"} <= told(7)  # not submitted; indicators assigned and unanswered
    assert "gt-lubuklinggau" not in told(7)  # Lubuk Linggau has submitted
    reminder = Notification.objects.get(kind=Kind.DEADLINE, user__username="gt-palembang", dedup_key__endswith=":7")
    assert "7 hari lagi" in reminder.title and "WIB" in reminder.body
    assert any(m.to == ["gt-palembang@demo.kla.invalid"] and "7 hari lagi" in m.subject for m in mailoutbox)
    # the same minute again, and a few minutes later: nothing new
    assert NOTHING in run(ends - dt.timedelta(days=6, hours=12), django_capture_on_commit_callbacks)
    assert NOTHING in run(ends - dt.timedelta(days=6, hours=11, minutes=55), django_capture_on_commit_callbacks)

    fill_answers(palembang, seed=3, strength=0.9, by=user_of("secretariat"))  # every question answered
    run(ends - dt.timedelta(days=2, hours=12), django_capture_on_commit_callbacks)
    assert "gt-palembang" in told(3) and "opd-palembang" not in told(3)  # the operator's work is done
    assert NOTHING in run(ends - dt.timedelta(days=2, hours=11), django_capture_on_commit_callbacks)
    run(ends - dt.timedelta(hours=12), django_capture_on_commit_callbacks)
    assert "gt-palembang" in told(1)
    assert NOTHING in run(ends - dt.timedelta(hours=11), django_capture_on_commit_callbacks)
    reminders = Notification.objects.filter(kind=Kind.DEADLINE).count()
    run(ends + dt.timedelta(hours=1), django_capture_on_commit_callbacks)  # past: the stage closes, no reminder
    assert Notification.objects.filter(kind=Kind.DEADLINE).count() == reminders
    assert Notification.objects.filter(kind=Kind.STAGE, dedup_key__startswith="stage-closed:").exists()
    per_person = Notification.objects.filter(
        kind=Kind.DEADLINE, user__username="gt-palembang", dedup_key__contains=":self:"
    )
    assert sorted(per_person.values_list("dedup_key", flat=True)) == [
        f"deadline:{palembang.pk}:self:{d}" for d in (1, 3, 7)
    ]


def test_follow_ups_due_and_overdue_are_told_to_the_owner_agency_once_each(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from kla.taskforce.tests import builders

    today = dt.date(2099, 3, 10)
    follow_up = builders.follow_up(due=today + dt.timedelta(days=2))
    morning = dt.datetime(2099, 3, 10, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB
    Notification.objects.filter(kind=Kind.FOLLOW_UP).delete()
    run(morning, django_capture_on_commit_callbacks)
    due = Notification.objects.filter(kind=Kind.FOLLOW_UP, object_id=str(follow_up.pk))
    assert set(due.values_list("user__username", flat=True)) == {"opd-palembang"}
    assert "jatuh tempo" in due.get().title and "12 Maret 2099" in due.get().body
    assert NOTHING in run(morning + dt.timedelta(minutes=5), django_capture_on_commit_callbacks)
    run(morning + dt.timedelta(days=3), django_capture_on_commit_callbacks)
    overdue = Notification.objects.filter(kind=Kind.FOLLOW_UP, object_id=str(follow_up.pk), title__contains="terlambat")
    assert overdue.count() == 1
    assert NOTHING in run(morning + dt.timedelta(days=4), django_capture_on_commit_callbacks)


def test_the_digest_goes_out_once_a_day_from_seven_in_the_morning(
    user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    user = user_of("province")
    preferences_set(choices={Kind.SUBMITTED: Delivery.DIGEST}, by=user)
    day = dt.datetime(2099, 5, 4, 20, 0, tzinfo=dt.UTC)  # 5 May, 03.00 WIB
    for n in (1, 2):
        deliver([user], Message(kind=Kind.SUBMITTED, title=f"Evaluasi {n} dikirim", body="Uji.", key=f"d{n}"), now=day)
    assert mailoutbox == []  # a digest kind is not emailed at once
    run(day, django_capture_on_commit_callbacks)
    assert [m for m in mailoutbox if "Ringkasan" in m.subject] == []  # before seven
    out = run(day + dt.timedelta(hours=5), django_capture_on_commit_callbacks)  # 08.00 WIB
    assert "1 ringkasan harian dikirim" in out
    (digest,) = [m for m in mailoutbox if "Ringkasan" in m.subject]
    assert digest.to == [user.email] and "5 Mei 2099" in digest.subject
    assert "Evaluasi 1 dikirim" in digest.body and "Evaluasi 2 dikirim" in digest.body
    assert "Evaluasi 2 dikirim" in digest.alternatives[0].content
    deliver([user], Message(kind=Kind.SUBMITTED, title="Evaluasi 3 dikirim", body="Uji.", key="d3"), now=day)
    assert NOTHING in run(day + dt.timedelta(hours=6), django_capture_on_commit_callbacks)  # once a day
    run(day + dt.timedelta(days=1, hours=5), django_capture_on_commit_callbacks)  # the next morning
    assert any("Evaluasi 3 dikirim" in m.body for m in mailoutbox if "Ringkasan" in m.subject)
    assert not Notification.objects.filter(user=user, digest_due=True, digested_at__isnull=True).exists()
    assert OutgoingEmail.objects.filter(user=user, subject__startswith="Ringkasan").count() == 2


@pytest.mark.parametrize(("value", "message"), [("kemarin", "tidak dapat dibaca"), ("2099-01-01T08:00", "zona")])
def test_a_clock_that_cannot_be_read_is_refused(db: None, value: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("send_reminders", "--now", value)


def test_a_stage_opening_and_closing_is_told_once_to_those_who_work_in_it(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any
) -> None:
    review = StageDeadline.objects.get(cycle=palembang.cycle, stage=Stage.PROVINCE_REVIEW)
    Notification.objects.filter(kind=Kind.STAGE).delete()
    run(review.starts_at + dt.timedelta(hours=1), django_capture_on_commit_callbacks)
    opened = Notification.objects.filter(
        kind=Kind.STAGE, dedup_key__startswith="stage-opened:", dedup_key__endswith="province_review"
    )
    assert "prov-sumsel" in set(opened.values_list("user__username", flat=True))
    assert "gt-palembang" not in set(opened.values_list("user__username", flat=True))
    assert "dibuka" in opened.first().title  # type: ignore[union-attr]
    assert NOTHING in run(review.starts_at + dt.timedelta(hours=2), django_capture_on_commit_callbacks)
    run(review.ends_at + dt.timedelta(hours=1), django_capture_on_commit_callbacks)
    closed = Notification.objects.filter(
        kind=Kind.STAGE, dedup_key=f"stage-closed:{palembang.cycle_id}:province_review"
    )
    assert "prov-sumsel" in set(closed.values_list("user__username", flat=True))
    assert NOTHING in run(review.ends_at + dt.timedelta(hours=2), django_capture_on_commit_callbacks)


def test_a_run_with_nothing_new_reads_little(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    """Run every few minutes: once the occasions are handled, a run only reads what is due."""
    ends = StageDeadline.objects.get(cycle=palembang.cycle, stage=Stage.SELF_ASSESSMENT).ends_at
    now = ends - dt.timedelta(days=2, hours=12)
    run(now, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20):
        assert NOTHING in run(now + dt.timedelta(minutes=5), django_capture_on_commit_callbacks)
