"""Writes of the self-assessment: cycles, assignments, answers, submission. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from kla.accounts import access
from kla.accounts.roles import Action
from kla.agencies.models import Agency
from kla.core import audit
from kla.evaluations import scoring_adapter
from kla.evaluations.access import NOT_ASSIGNED, may_answer
from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation, StageDeadline
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import WorkflowConfig
from kla.indicators.models import Framework, Indicator, Question
from kla.indicators.services import framework_lock
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.regions.selectors import subtree_q


class EvaluationClosed(ValidationError):
    """The entry or evaluation cannot be changed now (submitted, or the stage deadline has passed)."""


@dataclass
class AnswerConflict(Exception):
    """Someone saved this answer after the form was loaded; nothing was overwritten."""

    stored: Answer
    attempted_value: dict[str, Any]
    attempted_justification: str


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    warnings: list[dict[str, str]] = field(default_factory=list)
    needs_justification: bool = False
    em_total: Decimal = Decimal("0.00")  # the evaluation's live EM score after this save
    entry_points: Decimal = Decimal("0.00")  # this entry's points after this save


# --- cycles ---------------------------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    code: str,
    name: str,
    year: int,
    framework: Framework,
    deadlines: Mapping[Stage, tuple[dt.datetime, dt.datetime]],
    workflow: WorkflowConfig | None = None,
    by: Any | None,
) -> Cycle:
    """A new cycle in preparation, with its calendar and workflow. Only a ministry administrator may create one."""
    if by is not None:
        access.require(by, Action.CYCLE_MANAGE, None, hide=False)
    if Cycle.objects.filter(code=code).exists():
        raise ValidationError(f"Kode siklus '{code}' sudah dipakai.")
    if framework.level != Level.KABKOTA:
        raise ValidationError("Siklus evaluasi KLA memakai instrumen tingkat kabupaten/kota.")
    for stage, (start, end) in deadlines.items():
        if end <= start:
            raise ValidationError(f"Jadwal {stage.value}: batas waktu harus setelah tanggal mulai.")
    cycle = Cycle.objects.create(
        code=code,
        name=name,
        year=year,
        framework=framework,
        workflow=(workflow or WorkflowConfig()).to_json(),
        created_by=by if by is not None else None,
    )
    StageDeadline.objects.bulk_create(
        StageDeadline(cycle=cycle, stage=stage.value, starts_at=start, ends_at=end)
        for stage, (start, end) in deadlines.items()
    )
    audit.record(
        action="kla.cycle.created",
        by=by,
        obj=cycle,
        after={
            "code": code,
            "framework": framework.code,
            "workflow": cycle.workflow,
            "deadlines": {s.value: [a.isoformat(), b.isoformat()] for s, (a, b) in deadlines.items()},
        },
    )
    return cycle


@transaction.atomic
def cycle_open(*, cycle: Cycle, region_codes: Iterable[str] | None = None, by: Any | None) -> int:
    """Open the cycle: one evaluation per participating kab/kota and one entry per indicator (bulk inserts).

    `region_codes` are provinces or kab/kota (a province means all its kab/kota); None means all 514. The framework
    is locked from now on. Returns the number of evaluations created.
    """
    if by is not None:
        access.require(by, Action.CYCLE_MANAGE, None, hide=False)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError("Siklus ini sudah dibuka.")
    regions = Region.objects.filter(level=Level.KABKOTA)
    if region_codes is not None:
        chosen = subtree_q(region_codes, "code")
        regions = regions.filter(chosen) if chosen is not None else regions
    region_ids = list(regions.values_list("code", flat=True))
    if not region_ids:
        raise ValidationError("Pilih paling sedikit satu kabupaten/kota peserta.")
    Evaluation.objects.bulk_create(Evaluation(cycle=cycle, region_id=code) for code in region_ids)
    evaluations = list(Evaluation.objects.filter(cycle=cycle).values_list("pk", flat=True))
    indicators = list(Indicator.objects.filter(framework=cycle.framework).values_list("pk", flat=True))
    Entry.objects.bulk_create(
        (Entry(evaluation_id=e, indicator_id=i) for e in evaluations for i in indicators), batch_size=2000
    )
    cycle.status = Cycle.Status.OPEN
    cycle.opened_at = timezone.now()
    cycle.save(update_fields=["status", "opened_at"])
    framework_lock(framework=cycle.framework, by=by, reason=f"dipakai siklus {cycle.code}")
    audit.record(
        action="kla.cycle.opened",
        by=by,
        obj=cycle,
        after={"evaluations": len(evaluations), "entries": len(evaluations) * len(indicators)},
    )
    return len(evaluations)


def deadline_of(cycle: Cycle, stage: Stage) -> StageDeadline | None:
    return next((d for d in cycle.deadlines.all() if d.stage == stage), None)


def self_assessment_closed(*, evaluation_editable: bool, ends_at: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why the self-assessment of an evaluation no longer takes answers, or None while it does."""
    if not evaluation_editable:
        return "Evaluasi ini sudah dikirim; jawaban hanya dapat diubah bila entri dikembalikan reviewer."
    if ends_at is not None and now > ends_at:
        local = timezone.localtime(ends_at)
        return (
            f"Batas waktu evaluasi mandiri sudah lewat ({local:%d-%m-%Y %H:%M} WIB). Hubungi Kementerian bila "
            "perlu perpanjangan."
        )
    return None


def entry_closed(
    *,
    entry_status: str,
    return_deadline: dt.datetime | None,
    evaluation_editable: bool,
    self_assessment_ends: dt.datetime | None,
    now: dt.datetime,
) -> str | None:
    """Why an entry's answers and evidence cannot change now, or None. They change while the self-assessment is
    open, or on an entry a reviewer returned until its own deadline."""
    if entry_status == Entry.Status.RETURNED:
        if return_deadline is not None and now > return_deadline:
            local = timezone.localtime(return_deadline)
            return f"Batas waktu perbaikan entri ini sudah lewat ({local:%d-%m-%Y %H:%M} WIB). Hubungi reviewer."
        return None
    closed = self_assessment_closed(evaluation_editable=evaluation_editable, ends_at=self_assessment_ends, now=now)
    if closed is None and entry_status != Entry.Status.OPEN:
        return "Entri ini sudah dikirim dan hanya dapat diubah bila dikembalikan reviewer."
    return closed


def check_self_assessment_open(evaluation: Evaluation, now: dt.datetime) -> None:
    deadline = deadline_of(evaluation.cycle, Stage.SELF_ASSESSMENT)
    closed = self_assessment_closed(
        evaluation_editable=evaluation.is_editable, ends_at=deadline.ends_at if deadline else None, now=now
    )
    if closed is not None:
        raise EvaluationClosed(closed)


def require_writable(entry: Entry, by: Any | None, now: dt.datetime) -> None:
    """Refuse a change to the entry's answers or evidence unless `by` (None: the platform itself) may make it now.

    What decides it is read fresh, in one query: the entry's and its evaluation's status, the self-assessment
    deadline and whether one of `by`'s agencies is assigned the entry. So the decision never rests on a stale entry
    object (loaded before a submission, a return or a reassignment). Raises PermissionDenied or EvaluationClosed.
    """
    ends = StageDeadline.objects.filter(cycle_id=OuterRef("evaluation__cycle_id"), stage=Stage.SELF_ASSESSMENT)
    fresh = Entry.objects.filter(pk=entry.pk).annotate(
        evaluation_status=F("evaluation__status"), self_assessment_ends=Subquery(ends.values("ends_at")[:1])
    )
    agencies = access.agency_ids(by) if by is not None else set()
    fields = ["status", "return_deadline", "evaluation_status", "self_assessment_ends"]
    if agencies:  # an operator; others answer by their region role alone
        mine = Assignment.objects.filter(entry_id=OuterRef("pk"), agency_id__in=agencies)
        fresh = fresh.annotate(assigned_to_user=Exists(mine))
        fields.append("assigned_to_user")
    row = fresh.values(*fields).get()
    if by is not None and not may_answer(
        by, entry.evaluation.region_id, assigned_to_user=row.get("assigned_to_user", False)
    ):
        raise PermissionDenied(NOT_ASSIGNED)
    closed = entry_closed(
        entry_status=row["status"],
        return_deadline=row["return_deadline"],
        evaluation_editable=row["evaluation_status"] == Evaluation.Status.DRAFT,
        self_assessment_ends=row["self_assessment_ends"],
        now=now,
    )
    if closed is not None:
        raise EvaluationClosed(closed)


def lock_entry_for_change(entry: Entry, by: Any | None, now: dt.datetime) -> None:
    """`require_writable`, under row locks on the entry's evaluation and on the entry, held until the transaction
    ends. Whatever closes the entry takes one of them (a submission locks the evaluation, a resubmission the entry),
    so it either waits for the change being written or the change sees it. Call it inside the writing transaction."""
    Evaluation.objects.select_for_update(of=("self",)).filter(pk=entry.evaluation_id).values_list("pk").get()
    Entry.objects.select_for_update(of=("self",)).filter(pk=entry.pk).values_list("pk").get()
    require_writable(entry, by, now)


# --- assignments -----------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_set(*, entry: Entry, agencies: Iterable[Agency], by: Any | None) -> Entry:
    """Replace the agencies responsible for an entry (only agencies of the entry's own kab/kota)."""
    region_code = entry.evaluation.region_id
    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, region_code)
    wanted = {a.pk: a for a in agencies}
    if any(a.region_id != region_code for a in wanted.values()):
        raise ValidationError("Hanya instansi dari kabupaten/kota ini yang dapat ditugaskan.")
    before = sorted(entry.assignments.values_list("agency_id", flat=True))
    entry.assignments.exclude(agency_id__in=wanted).delete()
    Assignment.objects.bulk_create(
        [Assignment(entry=entry, agency_id=pk, assigned_by=by) for pk in wanted if pk not in before],
    )
    after = sorted(wanted)
    if before != after:
        audit.record(
            action="kla.entry.assigned",
            by=by,
            obj=entry,
            region_code=region_code,
            before={"agencies": before},
            after={"agencies": after},
        )
    return entry


@transaction.atomic
def assignments_auto(*, evaluation: Evaluation, by: Any | None) -> int:
    """Assign every unassigned entry to the region's agencies that the instrument names as typically responsible."""
    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, evaluation.region_id)
    agencies = list(Agency.objects.filter(region_id=evaluation.region_id, is_active=True))
    created = 0
    for entry in evaluation.entries.select_related("indicator").filter(assignments__isnull=True):
        matching = [a for a in agencies if a.kind in entry.indicator.agencies]
        if matching:
            assignment_set(entry=entry, agencies=matching, by=by)
            created += 1
    return created


# --- answers ---------------------------------------------------------------------------------------------------


@transaction.atomic
def answer_save(
    *,
    entry: Entry,
    question: Question,
    raw_value: dict[str, Any],
    justification: str = "",
    expected_version: int | None,
    by: Any | None,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Save one answer, score it and return the soft warnings.

    `expected_version` is the version the form was loaded with: if someone saved in between, `AnswerConflict` is
    raised with both versions and nothing is written. Out-of-range or malformed values raise ValidationError;
    soft problems (e.g. numerator > denominator) are saved but ask for a justification.
    """
    now = now or timezone.now()
    if question.indicator_id != entry.indicator_id:
        raise ValidationError("Pertanyaan ini bukan bagian dari indikator tersebut.")
    require_writable(entry, by, now)
    scored = scoring_adapter.score_answer(question, raw_value, today=timezone.localdate(now))
    justification = justification.strip()[:2000]
    answer, _created = Answer.objects.select_for_update().get_or_create(entry=entry, question=question)
    if expected_version is not None and answer.version != expected_version:
        raise AnswerConflict(stored=answer, attempted_value=raw_value, attempted_justification=justification)
    before = {"value": answer.value, "points": str(answer.points), "justification": answer.justification}
    answer.value = scored.value
    answer.points = scored.points
    answer.explanation = scored.explanation[:300]
    answer.warnings = scored.warnings
    answer.answered = scored.answered
    answer.justification = justification
    answer.needs_justification = bool(scored.warnings) and not justification
    answer.version += 1
    answer.updated_by = by if by is not None else None
    answer.save()
    audit.record(
        action="kla.answer.saved",
        by=by,
        obj=answer,
        object_label=f"{question.code} · {entry.evaluation.region.name}",
        region_code=entry.evaluation.region_id,
        before=before,
        after={"value": answer.value, "points": str(answer.points), "justification": justification},
    )
    # read before the commit: once the save has committed, nothing more is read from the database for the answer, so
    # a connection lost at that moment cannot turn a stored save into an error page
    em, entry_points = live_totals(entry)
    return SaveResult(
        answer=answer,
        warnings=scored.warnings,
        needs_justification=bool(scored.warnings) and not justification,
        em_total=em,
        entry_points=entry_points,
    )


def em_total(evaluation: Evaluation) -> Decimal:
    """The live self-assessment score: the sum of the points of every saved answer (one query)."""
    total = Answer.objects.filter(entry__evaluation=evaluation).aggregate(t=Sum("points"))["t"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def live_totals(entry: Entry) -> tuple[Decimal, Decimal]:
    """(the evaluation's live EM score, this entry's points), in one query: what an autosave shows afterwards."""
    row = Answer.objects.filter(entry__evaluation_id=entry.evaluation_id).aggregate(
        t=Sum("points"), e=Sum("points", filter=Q(entry_id=entry.pk))
    )
    cent = Decimal("0.01")
    return Decimal(row["t"] or 0).quantize(cent), Decimal(row["e"] or 0).quantize(cent)


def _unconfirmed_carried(evaluation: Evaluation) -> int:
    # Evidence sits above evaluations; this one count is read through its selector to keep the dependency visible.
    from kla.evidence.selectors import pending_confirmations

    return pending_confirmations(evaluation)


# --- submission ------------------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *, evaluation: Evaluation, by: Any | None, acknowledge_missing: bool = False, now: dt.datetime | None = None
) -> Evaluation:
    """Submit the self-assessment: entries become read-only, the EM score and its breakdown are snapshotted.

    Incomplete evaluations are refused unless the secretariat explicitly acknowledges the list of missing items.
    """
    from kla.evaluations.selectors import evaluation_progress

    now = now or timezone.now()
    evaluation = Evaluation.objects.select_for_update().select_related("cycle", "region").get(pk=evaluation.pk)
    if by is not None:
        access.require(by, Action.EVALUATION_SUBMIT, evaluation.region_id)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise EvaluationClosed("Evaluasi ini sudah dikirim sebelumnya.")
    check_self_assessment_open(evaluation, now)
    progress = evaluation_progress(evaluation)
    missing = progress.missing()
    problems = [f"{len(missing)} indikator belum lengkap"] if missing else []
    unconfirmed = _unconfirmed_carried(evaluation)
    if unconfirmed:
        text = f"{unconfirmed} bukti dukung bawaan siklus sebelumnya belum dikonfirmasi"
        missing.append(text)
        problems.append(text)
    if missing and not acknowledge_missing:
        raise ValidationError(
            f"Masih ada kekurangan: {' dan '.join(problems)}. Lengkapi dulu, atau centang pernyataan bahwa Anda "
            "mengirim dengan kekurangan tersebut."
        )
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.status_changed_at = now
    evaluation.submitted_at = now
    evaluation.submitted_by = by if by is not None else None
    evaluation.em_score = progress.total_points
    evaluation.em_snapshot = progress.snapshot()
    evaluation.missing_at_submission = missing
    evaluation.save()
    evaluation.entries.update(status=Entry.Status.SUBMITTED)
    audit.record(
        action="kla.evaluation.submitted",
        by=by,
        obj=evaluation,
        region_code=evaluation.region_id,
        after={"em_score": str(evaluation.em_score), "missing": missing},
    )
    return evaluation


# --- reminders -------------------------------------------------------------------------------------------------


@transaction.atomic
def reminder_send(*, evaluation: Evaluation, agency: Agency, note: str = "", base_url: str, by: Any | None) -> int:
    """Queue a reminder email to the operators of one agency of the kab/kota (sent after the commit)."""
    from kla.accounts.models import Membership
    from kla.evaluations.tasks import send_reminder

    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, evaluation.region_id)
    if agency.region_id != evaluation.region_id:
        raise ValidationError("Instansi ini bukan bagian dari Gugus Tugas kabupaten/kota tersebut.")
    recipients = (
        Membership.objects.active()
        .filter(role="opd_operator", agency=agency, user__is_active=True)
        .exclude(user__email="")
        .count()
    )
    if not recipients:
        raise ValidationError(
            f"{agency.short_name} belum memiliki operator dengan alamat email; tambahkan pengguna untuk instansi ini."
        )
    note = note.strip()[:500]
    audit.record(
        action="kla.reminder.sent",
        by=by,
        obj=evaluation,
        region_code=evaluation.region_id,
        after={"agency": agency.pk, "recipients": recipients, "note": note},
    )
    transaction.on_commit(lambda: send_reminder.enqueue(evaluation.pk, agency.pk, note, base_url))
    return recipients
