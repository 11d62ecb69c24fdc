"""What notifies whom: the actions of the platform, through their own services, write notifications for exactly the
right people in the same transaction, and queue their emails for after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kla.accounts.models import Membership, User
from kla.accounts.roles import Role
from kla.demo.answers import fill_answers
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import evaluation_submit
from kla.evaluations.workflow import Step
from kla.notifications.models import Kind, Notification, OutgoingEmail
from kla.verification.services import returns, steps

pytestmark = pytest.mark.django_db


def submitted_for_review(evaluation: Evaluation, user_of: Any, secretariat: str = "secretariat") -> Evaluation:
    fill_answers(evaluation, seed=7, strength=0.8, by=user_of(secretariat))
    evaluation = evaluation_submit(
        evaluation=evaluation, by=user_of(secretariat), acknowledge_missing=True, confirm_below_gate=True
    )
    return steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"))


def usernames(kind: Kind, **filters: Any) -> set[str]:
    return set(Notification.objects.filter(kind=kind, **filters).values_list("user__username", flat=True))


def expected_operators(entry: Entry) -> set[str]:
    agencies = entry.assignments.values_list("agency_id", flat=True)
    return set(
        Membership.objects.active()
        .filter(role=Role.OPD_OPERATOR, agency_id__in=agencies, user__is_active=True)
        .values_list("user__username", flat=True)
    )


def test_returning_an_entry_tells_exactly_the_secretariat_and_the_assigned_operators(
    palembang: Evaluation, user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    evaluation = submitted_for_review(palembang, user_of)
    assert usernames(Kind.SUBMITTED) == {"prov-sumsel"}  # the province's reviewers were told of the submission
    entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
    other = evaluation.entries.select_related("indicator").get(indicator__number=5)
    mailoutbox.clear()
    deadline = dt.datetime(2099, 12, 9, 3, 30, tzinfo=dt.UTC)  # 10.30 in Palembang (WIB)
    with django_capture_on_commit_callbacks(execute=True):
        returns.entries_return(
            evaluation=evaluation,
            entries=[entry, other],
            reason="Unggah ulang akta yang terbaca",
            deadline=deadline,
            by=user_of("province"),
        )
    operators = expected_operators(entry) | expected_operators(other)
    assert "opd-palembang" in operators
    assert usernames(Kind.RETURNED) == {"gt-palembang"} | operators
    # one notification per person for the entries returned together, each entry a line with reason and deadline
    for notification in Notification.objects.filter(kind=Kind.RETURNED):
        assert notification.url == f"/entri/{entry.pk}/" or notification.url == f"/entri/{other.pk}/"
        assert "Unggah ulang akta yang terbaca" in notification.body
        assert "batas perbaikan 9 Desember 2099 pukul 10.30 WIB" in notification.body
        assert str(evaluation.em_score) not in notification.body + notification.title
    secretariat = Notification.objects.get(kind=Kind.RETURNED, user__username="gt-palembang")
    assert secretariat.body.count("\n") == 1  # two entries, two lines
    # emails: the operators by this app, the secretariat by verification's own notice (one email each, not two)
    by_address: dict[str, int] = {}
    for mail in mailoutbox:
        for address in mail.to:
            by_address[address] = by_address.get(address, 0) + 1
    operator_addresses = set(
        User.objects.filter(username__in=operators).exclude(email="").values_list("email", flat=True)
    )
    assert by_address == {"gt-palembang@demo.kla.invalid": 1, **dict.fromkeys(operator_addresses, 1)}
    to_operator = next(m for m in mailoutbox if m.to[0] in operator_addresses)
    assert "Unggah ulang akta yang terbaca" in to_operator.body and "10.30 WIB" in to_operator.body
    html = to_operator.alternatives[0]
    assert html.mimetype == "text/html" and "Unggah ulang akta yang terbaca" in html.content
    sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT, notification__kind=Kind.RETURNED)
    assert sent.count() == len(operator_addresses)


def test_the_reviewer_who_returned_the_entry_is_told_of_the_resubmission(
    palembang: Evaluation, user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    evaluation = submitted_for_review(palembang, user_of)
    entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
    returns.entries_return(
        evaluation=evaluation,
        entries=[entry],
        reason="Lengkapi akta.",
        deadline=timezone.now() + dt.timedelta(days=3),
        by=user_of("province"),
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returns.entry_resubmit(entry=entry, by=user_of("secretariat"))
    (told,) = Notification.objects.filter(kind=Kind.RESUBMITTED)
    assert told.user.username == "prov-sumsel" and told.url == f"/verifikasi/entri/{entry.pk}/"
    assert "gt-palembang" in told.body and f"{entry.indicator.number}." in told.body
    assert [m.to for m in mailoutbox] == [[told.user.email]]


def test_a_refusing_mail_server_leaves_the_email_queued_and_the_action_succeeds(
    palembang: Evaluation,
    user_of: Any,
    django_capture_on_commit_callbacks: Any,
    refusing_mail: None,
    settings: Any,
    mailoutbox: list[Any],
) -> None:
    evaluation = submitted_for_review(palembang, user_of)
    entry = evaluation.entries.get(indicator__number=4)
    with django_capture_on_commit_callbacks(execute=True):
        returned = returns.entries_return(
            evaluation=evaluation,
            entries=[entry],
            reason="Lengkapi akta.",
            deadline=timezone.now() + dt.timedelta(days=3),
            by=user_of("province"),
        )
    assert returned == 1 and Entry.objects.get(pk=entry.pk).status == Entry.Status.RETURNED
    queued = list(OutgoingEmail.objects.filter(notification__kind=Kind.RETURNED))
    assert queued and all(e.status == OutgoingEmail.Status.QUEUED and e.attempts == 1 for e in queued)
    assert all("SMTPServerDisconnected" in e.last_error and e.next_attempt_at > timezone.now() for e in queued)
    assert Notification.objects.filter(kind=Kind.RETURNED).exists()  # the in-app notice is there regardless

    # the server is back: the next run of send_reminders past the retry time sends them, once
    from django.core.management import call_command

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    later = (timezone.now() + dt.timedelta(minutes=10)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--now", later)
    assert all(
        e.status == OutgoingEmail.Status.SENT for e in OutgoingEmail.objects.filter(pk__in=[q.pk for q in queued])
    )


def test_an_email_whose_object_was_deleted_meanwhile_is_dropped(
    user_of: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from kla.notifications.emails import send
    from kla.taskforce.models import FollowUp
    from kla.taskforce.tests import builders

    follow_up = builders.follow_up()
    from kla.notifications.services import Message, deliver

    deliver(
        [user_of("opd")],
        Message(
            kind=Kind.FOLLOW_UP,
            title="Tindak lanjut",
            body="Uji.",
            key="gone",
            object_type="taskforce.followup",
            object_id=str(follow_up.pk),
        ),
    )
    email = OutgoingEmail.objects.get(notification__dedup_key="gone")
    FollowUp.objects.filter(pk=follow_up.pk).delete()
    assert send([email.pk]) == 0
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.DROPPED and mailoutbox == []
    assert not Notification.objects.filter(dedup_key="gone").exists()


def test_publication_request_tells_the_other_administrators_only(user_of: Any, palembang: Evaluation) -> None:
    from kla.core import audit

    admins = set(Membership.objects.active().filter(role=Role.MINISTRY_ADMIN).values_list("user__username", flat=True))
    assert len(admins) >= 2
    cycle = palembang.cycle
    release = dt.datetime(2099, 1, 2, 3, 0, tzinfo=dt.UTC)
    audit.record(
        action="kla.cycle.publish_requested",
        by=user_of("ministry_admin"),
        obj=cycle,
        after={"release_at": release.isoformat()},
    )
    assert usernames(Kind.PUBLICATION) == admins - {"kemen-admin"}  # not the one who asked
    told = Notification.objects.get(kind=Kind.PUBLICATION)
    assert "2 Januari 2099 pukul 10.00 WIB" in told.body and told.url == f"/hasil/{cycle.code}/pengumuman/"


def test_a_kind_turned_off_writes_nothing_and_a_digest_waits_for_the_day(
    palembang: Evaluation, user_of: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from kla.notifications.models import Delivery
    from kla.notifications.services import preferences_set

    reviewer = user_of("province")
    preferences_set(choices={Kind.SUBMITTED: Delivery.OFF}, by=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_for_review(palembang, user_of)
    assert usernames(Kind.SUBMITTED) == set()
    preferences_set(choices={Kind.SUBMITTED: Delivery.DIGEST}, by=reviewer)
    other = Evaluation.objects.get(cycle=palembang.cycle, region_id="16.73")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submitted_for_review(other, user_of, "other_secretariat")
    told = Notification.objects.get(kind=Kind.SUBMITTED)
    assert told.user == reviewer and told.digest_due and mailoutbox == []


def test_a_mail_server_that_times_out_leaves_the_email_queued(user_of: Any, settings: Any) -> None:
    from kla.notifications.emails import send
    from kla.notifications.services import Message, deliver

    settings.MAILERS = {"default": {"BACKEND": "kla.notifications.tests.conftest.TimingOutBackend"}}
    deliver([user_of("opd")], Message(kind=Kind.DEADLINE, title="Batas waktu", body="Uji.", key="timeout"))
    email = OutgoingEmail.objects.get(notification__dedup_key="timeout")
    assert send([email.pk]) == 0
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED and email.attempts == 1 and "TimeoutError" in email.last_error
    for _ in range(7):  # each later attempt waits longer; after eight the email is given up as failed
        send([email.pk])
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == 8


def test_notifications_are_written_with_the_action_and_rolled_back_with_it(palembang: Evaluation, user_of: Any) -> None:
    from django.db import transaction

    from kla.core import audit

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        audit.record(action="kla.evaluation.submitted", by=None, obj=palembang)
        assert usernames(Kind.SUBMITTED) == {"prov-sumsel"}  # written inside the action's transaction
        raise Refused
    assert usernames(Kind.SUBMITTED) == set()
    assert not OutgoingEmail.objects.filter(notification__kind=Kind.SUBMITTED).exists()


def test_a_ready_export_tells_its_requester(user_of: Any, settings: Any, tmp_path: Any) -> None:
    from kla.reports.models import Export
    from kla.reports.services import build, grant_keys

    settings.MEDIA_ROOT = tmp_path / "media"
    user = user_of("secretariat")
    export = Export.objects.create(
        kind="rekap-evaluasi", cycle_code="evaluasi-kla-demo", format="csv", grants=grant_keys(user), requested_by=user
    )
    build(export.pk)
    (told,) = Notification.objects.filter(kind=Kind.EXPORT)
    assert told.user == user and told.url == "/laporan/" and told.dedup_key == f"export:{export.pk}"
    assert "Laporan siap diunduh" in told.title


def test_assigning_indicators_tells_the_new_agencys_operators_once_per_batch(
    palembang: Evaluation, user_of: Any
) -> None:
    from kla.agencies.models import Agency
    from kla.evaluations.services import assignment_set

    agency = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL")
    entries = list(palembang.entries.select_related("indicator").exclude(assignments__agency=agency)[:2])
    Notification.objects.filter(kind=Kind.ASSIGNED).delete()
    for entry in entries:
        current = list(Agency.objects.filter(assignments__entry=entry))
        assignment_set(entry=entry, agencies=[*current, agency], by=user_of("secretariat"))
    operators = set(
        Membership.objects.active()
        .filter(role=Role.OPD_OPERATOR, agency=agency)
        .values_list("user__username", flat=True)
    )
    assert usernames(Kind.ASSIGNED) == operators and "opd-palembang" in operators
    told = Notification.objects.get(kind=Kind.ASSIGNED, user__username="opd-palembang")
    lines = told.body.split("\n")  # the two indicators assigned together: one notification, a line each
    assert lines == [f"{e.indicator.number}. {e.indicator.name}" for e in entries] and told.url == "/tugas-saya/"
