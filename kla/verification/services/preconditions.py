"""What verification checks before a step or a decision.

A step is refused with the reason from `kla.evaluations.workflow.refusal` (wrong stage, wrong role, deadline passed,
EM below the gate) or from the preconditions here (reviewer not independent, no review open, entry out for
correction); `StepRefused` carries the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action, Role
from kla.core.compiled import CompiledQuery
from kla.core.formatting import format_datetime
from kla.core.wording import say
from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evaluations.services import deadline_of
from kla.evaluations.workflow import Step, refusal, transition
from kla.regions.zones import zone_of
from kla.verification.models import Verdict
from kla.verification.review_stages import CLOSING_STEP, REVIEW_STAGE, reviewer_role

# Whether the reviewer answered a question of the entry (one row at most, its id only).
_OWN_ANSWER: CompiledQuery[Answer] = CompiledQuery(
    lambda entry, user: Answer.objects.filter(entry_id=entry, updated_by_id=user).only("pk").order_by()[:1], int, int
)


class StepRefused(ValidationError):
    """A workflow step or review action that is not allowed now; the message says why."""


def current_time(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def lock_evaluation(evaluation: Evaluation) -> Evaluation:
    """The evaluation read afresh under a row lock (its cycle, framework and region with it)."""
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__framework", "region")
        .get(pk=evaluation.pk)
    )


def independence_problem(user: User | None, evaluation: Evaluation, entries: Iterable[Entry] = ()) -> str | None:
    """A verifier never reviews their own kab/kota, nor data they entered or submitted themselves."""
    if user is None:
        return None
    own = {Role.SECRETARIAT, Role.OPD_OPERATOR}
    if any(Role(m.role) in own and m.region_id == evaluation.region_id for m in access.memberships(user)):
        return gettext("Anda anggota Gugus Tugas kabupaten/kota ini, sehingga tidak dapat memverifikasinya.")
    if evaluation.submitted_by_id == user.pk:
        return gettext("Anda yang mengirim evaluasi ini, sehingga tidak dapat memverifikasinya.")
    entry_ids = [e.pk for e in entries]
    if len(entry_ids) == 1:  # a verdict on one question, the common case: compiled once per process
        entered = bool(_OWN_ANSWER.fetch(entry_ids[0], user.pk))
    else:
        entered = bool(entry_ids) and Answer.objects.filter(entry_id__in=entry_ids, updated_by=user).exists()
    if entered:
        return gettext("Anda mengisi jawaban pada indikator ini, sehingga tidak dapat memverifikasinya.")
    return None


def check_step(evaluation: Evaluation, step: Step, by: User | None, now: dt.datetime) -> None:
    """The workflow's own refusal of `step` (stage, role, deadline, EM gate); `by` None: the step's actor."""
    config = evaluation.cycle.workflow_config
    found = transition(config, step)
    stage = found.deadline if found is not None else None
    deadline = deadline_of(evaluation.cycle, stage, evaluation.region_id) if stage is not None else None
    roles = access.roles_over(by, evaluation.region_id) if by is not None else {found.actor} if found else set()
    problem = refusal(
        config,
        step,
        state=evaluation.state,
        roles=roles,
        now=now,
        deadline_end=deadline.ends_at if deadline is not None else None,
        deadline_start=deadline.starts_at if deadline is not None else None,
        em_score=evaluation.em_score,
        gate_min_exclusive=evaluation.cycle.framework.gate_min_exclusive,
        zone=zone_of(evaluation.region_id),
    )
    if problem:
        raise StepRefused(say(problem))


def review_stage_for(entry: Entry, by: User | None, now: dt.datetime) -> Verdict.Stage:
    """The review stage open on this entry, after checking the reviewer's role, independence and the deadline."""
    evaluation = entry.evaluation
    stage = REVIEW_STAGE.get(evaluation.state)
    if stage is None:
        raise StepRefused(
            gettext("Evaluasi ini sedang pada tahap %(state_label)s; tidak ada verifikasi terbuka.")
            % {"state_label": evaluation.state_label}
        )
    if by is not None:
        _check_reviewer(entry, stage, by)
    closing = transition(evaluation.cycle.workflow_config, CLOSING_STEP[stage])
    deadline = (
        deadline_of(evaluation.cycle, closing.deadline, evaluation.region_id) if closing and closing.deadline else None
    )
    if deadline is not None and now < deadline.starts_at:
        opens = format_datetime(deadline.starts_at, zone_of(evaluation.region_id))
        raise StepRefused(gettext("Tahap %(label)s baru dibuka %(opens)s.") % {"label": stage.label, "opens": opens})
    if deadline is not None and now > deadline.ends_at:
        passed = format_datetime(deadline.ends_at, zone_of(evaluation.region_id))
        raise StepRefused(
            gettext("Batas waktu %(label)s sudah lewat (%(passed)s).") % {"label": stage.label, "passed": passed}
        )
    if entry.status == Entry.Status.RETURNED:
        raise StepRefused(gettext("Entri ini sedang dikembalikan ke kabupaten/kota; tunggu sampai dikirim ulang."))
    return stage


def _check_reviewer(entry: Entry, stage: Verdict.Stage, by: User) -> None:
    """`by` holds the stage's reviewer role over the kab/kota and is independent of the entry (403 otherwise)."""
    evaluation = entry.evaluation
    if reviewer_role(evaluation.cycle.workflow_config, stage) not in access.roles_over(by, evaluation.region_id):
        access.require(by, Action.EVALUATION_VIEW, evaluation.region_id)
        raise PermissionDenied(gettext("Tahap ini diverifikasi oleh peran lain (%(label)s).") % {"label": stage.label})
    problem = independence_problem(by, evaluation, [entry])
    if problem:
        raise PermissionDenied(problem)


def chosen_entries(evaluation: Evaluation, entries: Iterable[Entry], empty: str) -> list[Entry]:
    """The chosen entries that belong to this evaluation (ids from elsewhere are ignored); `empty` if none."""
    chosen = list(
        Entry.objects.filter(evaluation=evaluation, pk__in=[e.pk for e in entries]).select_related("indicator")
    )
    if not chosen:
        raise StepRefused(empty)
    for entry in chosen:
        entry.evaluation = evaluation
    return chosen
