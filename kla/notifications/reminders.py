"""What `manage.py send_reminders` does on each run: retry the emails the mail server refused, remind of deadlines at
7, 3 and 1 days (only those with unfinished work: the kab/kota's self-assessment, the reviews of the province and the
ministry, field verification, the final verification) and of a returned indicator's fix deadline (`fix_reminders`),
of task-force follow-ups due or overdue, and send each day's digests. Every occasion has a key, so a second run sends
nothing new. Each message is written in its reader's language (`services.deliver`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.core.formatting import WIB
from kla.evaluations.models import Answer, Cycle, Entry, Evaluation, StageDeadline, StageExtension
from kla.evaluations.selectors import count_subquery
from kla.evaluations.stages import Stage
from kla.indicators.models import Question
from kla.notifications import emails, wording
from kla.notifications import selectors as who
from kla.notifications.fix_reminders import fix_reminders
from kla.notifications.models import Kind, Notification, ReminderSent
from kla.notifications.occasions import DAYS_BEFORE, Occasions, threshold
from kla.notifications.services import Message, deliver
from kla.notifications.stage_notices import stage_notices
from kla.regions.zones import zone_of

if TYPE_CHECKING:
    from kla.taskforce.models import FollowUp

DIGEST_HOUR = 7  # local time (WIB) after which the day's digests go out
# The stages whose work waits on reviewers, whom it waits on and in which states of the evaluation.
REVIEW_STATES = {
    Stage.PROVINCE_REVIEW: (Role.PROVINCE_REVIEWER, [Evaluation.Status.SUBMITTED, Evaluation.Status.PROVINCE_REVIEW]),
    Stage.ADMIN_VERIFICATION: (Role.MINISTRY_VERIFIER, [Evaluation.Status.PROPOSED, Evaluation.Status.MINISTRY_REVIEW]),
    Stage.FIELD_VERIFICATION: (Role.FIELD_VERIFIER, [Evaluation.Status.FIELD_VERIFICATION]),
    Stage.FINAL: (Role.MINISTRY_ADMIN, [Evaluation.Status.FINAL_VERIFICATION]),
}


@dataclass
class Run:
    reminders: int = 0
    digests: int = 0
    retried: int = 0


def run(now: dt.datetime) -> Run:
    result = Run(retried=emails.retry_due(now))
    with override("id"):
        with transaction.atomic():
            result.reminders = (
                deadline_reminders(now) + fix_reminders(now) + follow_up_reminders(now) + stage_notices(now)
            )
        result.digests = send_digests(now)
    return result


def deadline_reminders(now: dt.datetime) -> int:
    sent = 0
    occasions = Occasions("deadline:")
    calendar = StageDeadline.objects.filter(cycle__status=Cycle.Status.OPEN, ends_at__gt=now - dt.timedelta(days=60))
    for deadline in calendar.select_related("cycle"):
        if deadline.ends_at - now > dt.timedelta(days=max(DAYS_BEFORE)):
            continue  # an extension only moves a deadline later: nothing of this stage is due yet
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


def _deadline_message(cycle: Cycle, stage: Stage, days: int, key: str, body: str) -> Message:
    return Message(
        kind=Kind.DEADLINE,
        title=_("%(days)s hari lagi: batas waktu %(stage)s · %(cycle)s")
        % {"days": days, "stage": wording.stage(stage), "cycle": cycle.name},
        body=body,
        key=key,
        url=reverse("evaluations:evaluations"),
        object_type="evaluations.cycle",
        object_id=str(cycle.pk),
    )


def _self_message(cycle: Cycle, name: str, zone: str, ends_at: dt.datetime, days: int, key: str) -> Message:
    body = _("Evaluasi mandiri %(region)s belum dikirim. Batas waktu: %(deadline)s.") % {
        "region": name,
        "deadline": wording.at(ends_at, zone),
    }
    return _deadline_message(cycle, Stage.SELF_ASSESSMENT, days, key, body)


def _review_message(
    cycle: Cycle, stage: Stage, pending: int, zone: str, ends_at: dt.datetime, days: int, key: str
) -> Message:
    body = _("%(count)s kabupaten/kota menunggu verifikasi Anda. Batas waktu: %(deadline)s.") % {
        "count": wording.count(pending),
        "deadline": wording.at(ends_at, zone),
    }
    return _deadline_message(cycle, stage, days, key, body)


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

        build = partial(_self_message, deadline.cycle, name, zone_of(code), ends_at, days, key)
        people = {u.pk: u for u in [*who.secretariat_of([code]), *who.operators_of(open_agencies)]}
        sent += deliver(people.values(), build, now=now)
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
    """Reviewers with evaluations still waiting in the stage: the province's per province, the ministry's all; in
    field verification each verifier of the waiting evaluations' teams (every field verifier for one without a team)."""
    role, states = REVIEW_STATES[stage]
    waiting: dict[str, list[tuple[str, dt.datetime]]] = defaultdict(list)
    rows = Evaluation.objects.filter(cycle_id=deadline.cycle_id, status__in=states)
    for pk, code, province in rows.values_list("pk", "region_id", "region__parent_id"):
        ends_at = _in_force(deadline, extended, code)
        if threshold(ends_at, now) is None:
            continue
        if stage == Stage.FIELD_VERIFICATION:
            for user_id in _field_team(pk):
                waiting[f"u{user_id}" if user_id else ""].append((code, ends_at))
        else:
            waiting[(province or "") if role == Role.PROVINCE_REVIEWER else ""].append((code, ends_at))
    sent = 0
    for place, pending in waiting.items():
        ends_at = min(e for _code, e in pending)
        days = threshold(ends_at, now)
        assert days is not None
        key = f"deadline:{deadline.cycle_id}:{stage.value}:{place or 'nasional'}:{days}"
        if occasions.seen(key):
            continue
        zone = zone_of(place if place and not place.startswith("u") else None)
        build = partial(_review_message, deadline.cycle, stage, len(pending), zone, ends_at, days, key)
        sent += deliver(_reviewers(role, place), build, now=now)
        occasions.mark(key, now)
    return sent


def _reviewers(role: Role, place: str) -> list[User]:
    if place.startswith("u"):  # one field verifier of a team
        return [u for u in who.members(role) if u.pk == int(place[1:])]
    return who.members(role, regions=[place]) if place else who.members(role)


def _field_team(evaluation_id: int) -> list[int]:
    """The field verifiers on the evaluation's field plan team; [0] (all field verifiers) without a team."""
    from kla.fieldvisits.models import FieldPlan

    team = list(
        FieldPlan.team.through.objects.filter(fieldplan__evaluation_id=evaluation_id).values_list("user_id", flat=True)
    )
    return team or [0]


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

        build = partial(_follow_up_message, follow_up, overdue, key)
        sent += deliver(who.operators_of([follow_up.owner_id]), build, now=now)
        occasions.mark(key, now)
    return sent


def _follow_up_message(follow_up: FollowUp, overdue: bool, key: str) -> Message:
    title = (
        _("Tindak lanjut rapat Gugus Tugas terlambat: %(agency)s")
        if overdue
        else _("Tindak lanjut rapat Gugus Tugas jatuh tempo: %(agency)s")
    ) % {"agency": follow_up.owner.short_name}
    return Message(
        kind=Kind.FOLLOW_UP,
        title=title,
        body=_("%(task)s Batas waktu: %(due)s.") % {"task": str(follow_up), "due": wording.on(follow_up.due_date)},
        key=key,
        url=reverse("taskforce:follow_ups", kwargs={"code": follow_up.region_id}),
        object_type="taskforce.followup",
        object_id=str(follow_up.pk),
    )


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
