"""What `manage.py send_reminders` does on each run: retry the emails the mail server refused, remind of deadlines at
7, 3 and 1 days (only those with unfinished work), of task-force follow-ups due or overdue, and send each day's
digests. Every occasion has a key, so a second run sends nothing new."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.core.formatting import WIB, format_count, format_date, format_datetime
from kla.evaluations.models import Answer, Cycle, Entry, Evaluation, StageDeadline, StageExtension
from kla.evaluations.selectors import count_subquery
from kla.evaluations.stages import Stage, stage_name
from kla.indicators.models import Question
from kla.notifications import emails
from kla.notifications import selectors as who
from kla.notifications.models import Kind, Notification, ReminderSent
from kla.notifications.services import Message, deliver
from kla.notifications.stage_notices import stage_notices
from kla.regions.zones import zone_of

DAYS_BEFORE = (1, 3, 7)  # the nearest threshold already reached is the one sent
DIGEST_HOUR = 7  # local time (WIB) after which the day's digests go out
REVIEW_STATES = {
    Stage.PROVINCE_REVIEW: (Role.PROVINCE_REVIEWER, [Evaluation.Status.SUBMITTED, Evaluation.Status.PROVINCE_REVIEW]),
    Stage.ADMIN_VERIFICATION: (Role.MINISTRY_VERIFIER, [Evaluation.Status.PROPOSED, Evaluation.Status.MINISTRY_REVIEW]),
}


class Occasions:
    """The reminder occasions already handled (their `ReminderSent` keys), read once per run: a run every few
    minutes skips them without computing their recipients again."""

    def __init__(self, prefix: str) -> None:
        self.done = set(ReminderSent.objects.filter(key__startswith=prefix).values_list("key", flat=True))

    def seen(self, key: str) -> bool:
        return key in self.done

    def mark(self, key: str, now: dt.datetime) -> None:
        ReminderSent.objects.get_or_create(key=key, defaults={"sent_at": now})
        self.done.add(key)


@dataclass
class Run:
    reminders: int = 0
    digests: int = 0
    retried: int = 0


def run(now: dt.datetime) -> Run:
    result = Run(retried=emails.retry_due(now))
    with override("id"):
        with transaction.atomic():
            result.reminders = deadline_reminders(now) + follow_up_reminders(now) + stage_notices(now)
        result.digests = send_digests(now)
    return result


def threshold(ends_at: dt.datetime, now: dt.datetime) -> int | None:
    """The reminder due for a deadline now: 1, 3 or 7 (days before), or None (past, or more than 7 days away)."""
    if now >= ends_at:
        return None
    return next((days for days in DAYS_BEFORE if ends_at - now <= dt.timedelta(days=days)), None)


def deadline_reminders(now: dt.datetime) -> int:
    sent = 0
    occasions = Occasions("deadline:")
    calendar = StageDeadline.objects.filter(cycle__status=Cycle.Status.OPEN, ends_at__gt=now - dt.timedelta(days=60))
    for deadline in calendar.select_related("cycle"):
        stage = Stage(deadline.stage)
        extended = dict(
            StageExtension.objects.filter(cycle_id=deadline.cycle_id, stage=stage).values_list("region_id", "ends_at")
        )
        if stage == Stage.SELF_ASSESSMENT:
            sent += _self_assessment(deadline, extended, now, occasions)
        elif stage in REVIEW_STATES:
            sent += _reviews(deadline, stage, extended, now, occasions)
    return sent


def _in_force(deadline: StageDeadline, extended: dict[str, dt.datetime], code: str) -> dt.datetime:
    own = extended.get(code)
    return max(deadline.ends_at, own) if own is not None else deadline.ends_at


def _deadline_message(cycle: Cycle, stage: Stage, ends_at: dt.datetime, days: int, key: str, body: str) -> Message:
    return Message(
        kind=Kind.DEADLINE,
        title=_("%(days)s hari lagi: batas waktu %(stage)s · %(cycle)s")
        % {"days": days, "stage": stage_name(stage), "cycle": cycle.name},
        body=body,
        key=key,
        url=reverse("evaluations:evaluations"),
        object_type="evaluations.cycle",
        object_id=str(cycle.pk),
    )


def _self_assessment(
    deadline: StageDeadline, extended: dict[str, dt.datetime], now: dt.datetime, occasions: Occasions
) -> int:
    """The secretariat of each kab/kota that has not submitted, and the operators of the agencies whose assigned
    indicators are not all answered."""
    sent = 0
    drafts = Evaluation.objects.filter(cycle_id=deadline.cycle_id, status=Evaluation.Status.DRAFT)
    for evaluation_id, code, name in drafts.values_list("pk", "region_id", "region__name"):
        ends_at = _in_force(deadline, extended, code)
        days = threshold(ends_at, now)
        key = f"deadline:{evaluation_id}:self:{days}"
        if days is None or occasions.seen(key):
            continue
        open_agencies = _agencies_with_open_entries(evaluation_id)
        body = _("Evaluasi mandiri %(region)s belum dikirim. Batas waktu: %(deadline)s.") % {
            "region": name,
            "deadline": format_datetime(ends_at, zone_of(code)),
        }
        message = _deadline_message(deadline.cycle, Stage.SELF_ASSESSMENT, ends_at, days, key, body)
        people = {u.pk: u for u in [*who.secretariat_of([code]), *who.operators_of(open_agencies)]}
        sent += deliver(people.values(), message, now=now)
        occasions.mark(key, now)
    return sent


def _agencies_with_open_entries(evaluation_id: int) -> set[int]:
    """Agencies with at least one assigned entry of the evaluation that still has unanswered questions."""
    questions = count_subquery(Question.objects.filter(indicator_id=OuterRef("indicator_id")), "indicator_id")
    answered = count_subquery(
        Answer.objects.filter(entry_id=OuterRef("pk"), answered=True, needs_justification=False), "entry_id"
    )
    entries = (
        Entry.objects.filter(evaluation_id=evaluation_id, status__in=[Entry.Status.OPEN, Entry.Status.RETURNED])
        .annotate(n_questions=Coalesce(questions, 0), n_answered=Coalesce(answered, 0))
        .values_list("pk", "n_questions", "n_answered")
    )
    unfinished = [pk for pk, total, done in entries if done < total]
    from kla.evaluations.models import Assignment

    return set(Assignment.objects.filter(entry_id__in=unfinished).values_list("agency_id", flat=True))


def _reviews(
    deadline: StageDeadline, stage: Stage, extended: dict[str, dt.datetime], now: dt.datetime, occasions: Occasions
) -> int:
    """Reviewers with evaluations still waiting in the stage: the province's per province, the ministry's all."""
    role, states = REVIEW_STATES[stage]
    waiting: dict[str, list[tuple[str, dt.datetime]]] = defaultdict(list)
    rows = Evaluation.objects.filter(cycle_id=deadline.cycle_id, status__in=states)
    for code, province in rows.values_list("region_id", "region__parent_id"):
        ends_at = _in_force(deadline, extended, code)
        if threshold(ends_at, now) is not None:
            waiting[(province or "") if role == Role.PROVINCE_REVIEWER else ""].append((code, ends_at))
    sent = 0
    for place, pending in waiting.items():
        ends_at = min(e for _code, e in pending)
        days = threshold(ends_at, now)
        assert days is not None
        body = _("%(count)s kabupaten/kota menunggu verifikasi Anda. Batas waktu: %(deadline)s.") % {
            "count": format_count(len(pending)),
            "deadline": format_datetime(ends_at, zone_of(place)),
        }
        key = f"deadline:{deadline.cycle_id}:{stage.value}:{place or 'nasional'}:{days}"
        if occasions.seen(key):
            continue
        message = _deadline_message(deadline.cycle, stage, ends_at, days, key, body)
        people = who.members(role, regions=[place]) if place else who.members(role)
        sent += deliver(people, message, now=now)
        occasions.mark(key, now)
    return sent


def follow_up_reminders(now: dt.datetime) -> int:
    """The operators of the owner agency of each open follow-up due within three days (once) or overdue (once)."""
    from kla.taskforce.models import FollowUp

    today = now.astimezone(ZoneInfo(WIB)).date()
    sent = 0
    occasions = Occasions("followup:")
    due = FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_date__lte=today + dt.timedelta(days=3))
    for follow_up in due.select_related("owner", "region"):
        overdue = follow_up.overdue_on(today)
        key = f"followup:{follow_up.pk}:{'overdue' if overdue else 'due'}"
        if occasions.seen(key):
            continue
        title = (
            _("Tindak lanjut rapat Gugus Tugas terlambat: %(agency)s")
            if overdue
            else _("Tindak lanjut rapat Gugus Tugas jatuh tempo: %(agency)s")
        ) % {"agency": follow_up.owner.short_name}
        message = Message(
            kind=Kind.FOLLOW_UP,
            title=title,
            body=_("%(task)s Batas waktu: %(due)s.") % {"task": str(follow_up), "due": format_date(follow_up.due_date)},
            key=key,
            url=reverse("taskforce:follow_ups", kwargs={"code": follow_up.region_id}),
            object_type="taskforce.followup",
            object_id=str(follow_up.pk),
        )
        sent += deliver(who.operators_of([follow_up.owner_id]), message, now=now)
        occasions.mark(key, now)
    return sent


def send_digests(now: dt.datetime) -> int:
    """Once a day, from seven in the morning (WIB): one email per user listing the notifications they take as a
    digest and have not yet received by email."""
    local = now.astimezone(ZoneInfo(WIB))
    if local.hour < DIGEST_HOUR:
        return 0
    day = local.date()
    pending = Notification.objects.filter(digest_due=True, digested_at__isnull=True, created_at__lte=now)
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending.order_by("user_id", "created_at"):
        by_user[notification.user_id].append(notification)
    sent = 0
    users = User.objects.in_bulk(list(by_user))
    for user_id, items in by_user.items():
        with transaction.atomic():
            _marker, created = ReminderSent.objects.get_or_create(
                key=f"digest:{user_id}:{day}", defaults={"sent_at": now}
            )
            if not created:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digested_at=now)
            user = users[user_id]
            if user.is_active and user.email:
                email = emails.queue_digest(user, items, day, now)
                transaction.on_commit(lambda pk=email.pk: emails.enqueue([pk]))  # type: ignore[misc]
            sent += 1
    return sent
