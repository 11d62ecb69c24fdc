"""Escalation in `send_reminders` against a fixed clock: an item past its service level is told once to the next level
up (returned → the secretariat; submitted → the ministry's administrators; proposed → the same), with its age and the
party responsible; a second run escalates nothing and says so; a later episode of the same item escalates again."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Entry, Evaluation
from kla.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db
NOTHING = "0 pengingat dikirim; semua sudah terkirim sebelumnya."


def run(now: dt.datetime, capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", "--now", now.isoformat(), stdout=out)
    return out.getvalue()


def escalated_to() -> set[str]:
    return set(Notification.objects.filter(kind=Kind.ESCALATED).values_list("user__username", flat=True))


def return_entry(evaluation: Evaluation, at: dt.datetime, days: int = 3) -> Entry:
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.PROVINCE_REVIEW, submitted_at=at)
    entry = Entry.objects.get(evaluation=evaluation, indicator__number=4)
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED,
        return_reason="Lampirkan data SIAK terbaru.",
        returned_at=at,
        return_deadline=at + dt.timedelta(days=days),
    )
    return entry


def test_a_returned_indicator_past_its_fix_deadline_escalates_once_to_the_secretariat(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    t0 = timezone.now()
    entry = return_entry(palembang, t0)
    Notification.objects.all().delete()
    run(t0 + dt.timedelta(days=2, hours=23), django_capture_on_commit_callbacks)
    assert escalated_to() == set()  # within its fix deadline
    out = run(t0 + dt.timedelta(days=4), django_capture_on_commit_callbacks)
    assert "1 eskalasi pekerjaan tertahan dikirim" in out
    assert escalated_to() == {"gt-palembang"}  # the next level above the agency; the operators are not told again
    note = Notification.objects.get(kind=Kind.ESCALATED)
    assert "4 hari" in note.title and "Kota Palembang" in note.title
    assert "belum diperbaiki setelah 4 hari" in note.body
    assert "Penanggung jawab: Dinas Kesehatan, Disdukcapil." in note.body
    assert "WIB" in note.body and note.url == reverse("evaluations:entry_detail", args=[entry.pk])
    assert any("Eskalasi" in m.subject and m.to == ["gt-palembang@demo.kla.invalid"] for m in mailoutbox)
    # a second run, the same minute and the next day: nothing more
    assert NOTHING in run(t0 + dt.timedelta(days=4), django_capture_on_commit_callbacks)
    assert NOTHING in run(t0 + dt.timedelta(days=5), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.ESCALATED).count() == 1
    # fixed, then returned again and late again: a new episode, escalated again
    later = t0 + dt.timedelta(days=10)
    Entry.objects.filter(pk=entry.pk).update(returned_at=later, return_deadline=later + dt.timedelta(days=1))
    run(later + dt.timedelta(days=2), django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.ESCALATED, user__username="gt-palembang").count() == 2


def test_a_submission_not_reviewed_in_time_escalates_to_the_ministry_administrators(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.KLA_SERVICE_LEVEL_DAYS = {"submitted": 5}
    t0 = timezone.now()
    Evaluation.objects.filter(pk=palembang.pk).update(status=Evaluation.Status.SUBMITTED, submitted_at=t0)
    Notification.objects.all().delete()
    assert NOTHING in run(t0 + dt.timedelta(days=4, hours=23), django_capture_on_commit_callbacks)
    run(t0 + dt.timedelta(days=6), django_capture_on_commit_callbacks)
    assert escalated_to() == {"kemen-admin", "kemen-admin2"}  # the province answers; the ministry is next up
    note = Notification.objects.filter(kind=Kind.ESCALATED).first()
    assert note is not None and "belum diverifikasi provinsi setelah 6 hari" in note.body
    assert "Penanggung jawab: Verifikator Provinsi Sumatera Selatan." in note.body
    assert note.url == reverse("verification:evaluation", args=[palembang.pk])
    assert NOTHING in run(t0 + dt.timedelta(days=7), django_capture_on_commit_callbacks)


def test_a_proposal_not_verified_escalates_to_the_ministry_administrators_once(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any
) -> None:
    t0 = timezone.now()
    Evaluation.objects.filter(pk=palembang.pk).update(
        status=Evaluation.Status.PROPOSED, submitted_at=t0 - dt.timedelta(days=30), status_changed_at=t0
    )
    Notification.objects.all().delete()
    run(t0 + dt.timedelta(days=13), django_capture_on_commit_callbacks)
    assert escalated_to() == set()
    run(t0 + dt.timedelta(days=15), django_capture_on_commit_callbacks)
    assert escalated_to() == {"kemen-admin", "kemen-admin2"}
    body = Notification.objects.filter(kind=Kind.ESCALATED).first().body  # type: ignore[union-attr]
    assert "diusulkan ke Kementerian" in body and "Verifikator Administrasi Kementerian" in body
    assert NOTHING in run(t0 + dt.timedelta(days=16), django_capture_on_commit_callbacks)


def test_an_escalation_cannot_be_switched_off(user_of: Any) -> None:
    from django.core.exceptions import ValidationError

    from kla.notifications.models import Delivery
    from kla.notifications.services import preferences_set

    with pytest.raises(ValidationError, match="wajib"):
        preferences_set(choices={Kind.ESCALATED: Delivery.OFF}, by=user_of("secretariat"))


def test_a_quiet_run_with_escalated_items_reads_little(
    palembang: Evaluation, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    t0 = timezone.now()
    return_entry(palembang, t0)
    Evaluation.objects.filter(region_id="16.73", cycle=palembang.cycle).update(
        status=Evaluation.Status.SUBMITTED, submitted_at=t0 - dt.timedelta(days=20)
    )
    run(t0 + dt.timedelta(days=4), django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(22):  # 19 without stuck work; escalated items add 3 reads
        assert NOTHING in run(t0 + dt.timedelta(days=4, minutes=5), django_capture_on_commit_callbacks)
