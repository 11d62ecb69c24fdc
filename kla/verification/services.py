"""Verification: workflow steps after submission, reviewers' verdicts, returns and resubmissions, stage scores.

Every function is one atomic, audited service call. A step is refused with the reason from
`kla.evaluations.workflow.refusal` (wrong stage, wrong role, deadline passed, EM below the gate) or from the
preconditions here (review incomplete, reviewer not independent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kla.accounts import access
from kla.accounts.models import Membership
from kla.accounts.roles import Action, Role
from kla.core import audit
from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.services import deadline_of
from kla.evaluations.workflow import State, Step, WorkflowConfig, needs_field_verification, refusal, transition
from kla.indicators.models import Question
from kla.indicators.scoring import predicate_for
from kla.indicators.selectors import band_rules
from kla.results.models import PredicateRecord, StageScore
from kla.verification import tally
from kla.verification.models import Verdict

# The review stage open in each workflow state, the step that closes it, and the score it produces.
REVIEW_STAGE: dict[State, Verdict.Stage] = {
    State.PROVINCE_REVIEW: Verdict.Stage.PROVINCE,
    State.MINISTRY_REVIEW: Verdict.Stage.MINISTRY,
    State.FIELD_VERIFICATION: Verdict.Stage.FIELD,
}
CLOSING_STEP: dict[Verdict.Stage, Step] = {
    Verdict.Stage.PROVINCE: Step.PROPOSE,
    Verdict.Stage.MINISTRY: Step.SKIP_FIELD,
    Verdict.Stage.FIELD: Step.FINISH_FIELD,
}
SCORE_OF: dict[Verdict.Stage, ScoreStage] = {
    Verdict.Stage.PROVINCE: ScoreStage.PROVINCE_VA,
    Verdict.Stage.MINISTRY: ScoreStage.MINISTRY_VA,
    Verdict.Stage.FIELD: ScoreStage.VL,
}


class StepRefused(ValidationError):
    """A workflow step or review action that is not allowed now; the message says why."""


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _lock(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__framework", "region")
        .get(pk=evaluation.pk)
    )


def reviewer_role(config: WorkflowConfig, stage: Verdict.Stage) -> Role:
    found = transition(config, CLOSING_STEP[stage])
    return found.actor if found is not None else Role.MINISTRY_VERIFIER


def independence_problem(user: Any, evaluation: Evaluation, entries: Iterable[Entry] = ()) -> str | None:
    """A verifier never reviews their own kab/kota, nor data they entered or submitted themselves."""
    if user is None:
        return None
    own = {Role.SECRETARIAT, Role.OPD_OPERATOR}
    if any(Role(m.role) in own and m.region_id == evaluation.region_id for m in access.memberships(user)):
        return "Anda anggota Gugus Tugas kab/kota ini, sehingga tidak dapat memverifikasinya."
    if evaluation.submitted_by_id == user.pk:
        return "Anda yang mengirim evaluasi ini, sehingga tidak dapat memverifikasinya."
    entry_ids = [e.pk for e in entries]
    if entry_ids and Answer.objects.filter(entry_id__in=entry_ids, updated_by=user).exists():
        return "Anda mengisi jawaban pada indikator ini, sehingga tidak dapat memverifikasinya."
    return None


def _check_step(evaluation: Evaluation, step: Step, by: Any | None, now: dt.datetime) -> None:
    config = evaluation.cycle.workflow_config
    found = transition(config, step)
    deadline = deadline_of(evaluation.cycle, found.deadline) if found is not None and found.deadline else None
    roles = access.roles_over(by, evaluation.region_id) if by is not None else {found.actor} if found else set()
    problem = refusal(
        config,
        step,
        state=evaluation.state,
        roles=roles,
        now=now,
        deadline_end=deadline.ends_at if deadline is not None else None,
        em_score=evaluation.em_score,
        gate_min_exclusive=evaluation.cycle.framework.gate_min_exclusive,
    )
    if problem:
        raise StepRefused(problem)


def _move(evaluation: Evaluation, step: Step, by: Any | None, now: dt.datetime, **details: Any) -> Evaluation:
    found = transition(evaluation.cycle.workflow_config, step)
    assert found is not None
    before = evaluation.status
    evaluation.status = found.target.value
    evaluation.status_changed_at = now
    evaluation.save(update_fields=["status", "status_changed_at"])
    audit.record(
        action=f"kla.evaluation.{step.value}",
        by=by,
        obj=evaluation,
        region_code=evaluation.region_id,
        before={"status": before},
        after={"status": evaluation.status, **details},
    )
    return evaluation


# --- reading what a stage is made of -----------------------------------------------------------------------------


@dataclass
class StageLines:
    lines: list[tally.Line]
    questions: dict[str, Question]
    answers: dict[str, Answer]
    entries: dict[str, Entry]  # by indicator code


def stage_lines(evaluation: Evaluation, stage: Verdict.Stage) -> StageLines:
    """Every question of the evaluation with its base points for `stage` (a fixed number of queries)."""
    entries = {
        e.indicator.code: e for e in evaluation.entries.select_related("indicator").order_by("indicator__position")
    }
    questions = {
        q.code: q
        for q in Question.objects.filter(indicator__framework_id=evaluation.cycle.framework_id)
        .select_related("indicator")
        .order_by("indicator__position", "position")
    }
    answers = {
        a.question.code: a for a in Answer.objects.filter(entry__evaluation=evaluation).select_related("question")
    }
    corrected: dict[str, Decimal] = {}
    if stage != Verdict.Stage.PROVINCE:
        corrected = {
            v.question.code: v.points
            for v in Verdict.objects.filter(
                entry__evaluation=evaluation, stage=Verdict.Stage.PROVINCE, decision=Verdict.Decision.CORRECTED
            ).select_related("question")
            if v.question is not None and v.points is not None
        }
    lines = [
        tally.Line(
            indicator=q.indicator.code,
            question=code,
            max_points=q.max_points,
            base=corrected.get(code, answers[code].points if code in answers else Decimal(0)),
        )
        for code, q in questions.items()
    ]
    return StageLines(lines=lines, questions=questions, answers=answers, entries=entries)


def _decisions(evaluation: Evaluation, stage: Verdict.Stage) -> dict[str, Verdict]:
    return {
        v.question.code: v
        for v in Verdict.objects.filter(
            entry__evaluation=evaluation, stage=stage, question__isnull=False
        ).select_related("question")
        if v.question is not None
    }


def review_tally(
    evaluation: Evaluation, stage: Verdict.Stage
) -> tuple[tally.StageTally, StageLines, dict[str, Verdict]]:
    lines = stage_lines(evaluation, stage)
    verdicts = _decisions(evaluation, stage)
    decisions = {c: tally.Decision(tally.Kind(v.decision), v.points, v.reason) for c, v in verdicts.items()}
    return tally.tally(lines.lines, decisions), lines, verdicts


def _admin_breakdown(evaluation: Evaluation, stage: Verdict.Stage) -> tuple[Decimal, dict[str, Any]]:
    result, lines, verdicts = review_tally(evaluation, stage)
    if not result.complete:
        raise StepRefused(
            f"Verifikasi belum selesai: {len(result.pending)} pertanyaan belum diputuskan dan "
            f"{len(result.returned)} pertanyaan dikembalikan. Putuskan semua pertanyaan dulu."
        )
    indicators: dict[str, Any] = {}
    for line in lines.lines:
        q = lines.questions[line.question]
        ind = indicators.setdefault(
            line.indicator,
            {"name": q.indicator.name, "max": str(q.indicator.max_points), "points": "0", "questions": {}},
        )
        verdict = verdicts[line.question]
        answer = lines.answers.get(line.question)
        ind["questions"][line.question] = {
            "base": str(line.base),
            "points": str(result.questions[line.question]),
            "max": str(line.max_points),
            "decision": verdict.decision,
            "reason": verdict.reason,
            "method": answer.explanation if answer is not None else "Belum dijawab",
        }
    for code, points in result.indicators.items():
        indicators[code]["points"] = str(points)
    return result.total, {"indicators": indicators}


def _field_breakdown(evaluation: Evaluation) -> tuple[Decimal, dict[str, Any]]:
    ministry = StageScore.objects.filter(evaluation=evaluation, stage=ScoreStage.MINISTRY_VA).first()
    if ministry is None:
        raise StepRefused("Belum ada nilai verifikasi administrasi Kementerian sebagai dasar verifikasi lapangan.")
    base = {code: Decimal(v["points"]) for code, v in ministry.breakdown["indicators"].items()}
    maxima = {code: Decimal(v["max"]) for code, v in ministry.breakdown["indicators"].items()}
    verdicts = {
        v.entry.indicator.code: v
        for v in Verdict.objects.filter(
            entry__evaluation=evaluation, stage=Verdict.Stage.FIELD, question__isnull=True
        ).select_related("entry__indicator")
    }
    points = tally.field_points(base, maxima, {c: v.points for c, v in verdicts.items() if v.points is not None})
    indicators = {
        code: {
            "name": ministry.breakdown["indicators"][code]["name"],
            "max": str(maxima[code]),
            "base": str(base[code]),
            "points": str(value),
            "reason": verdicts[code].reason if code in verdicts else "",
        }
        for code, value in points.items()
    }
    return sum(points.values(), Decimal(0)), {"indicators": indicators}


def _store_score(
    evaluation: Evaluation, stage: ScoreStage, total: Decimal, breakdown: dict[str, Any], by: Any | None
) -> StageScore:
    band = predicate_for(total, band_rules(evaluation.cycle.framework_id))
    score, _ = StageScore.objects.update_or_create(
        evaluation=evaluation,
        stage=stage.value,
        defaults={
            "total": total,
            "band_code": band.code if band else "",
            "framework_code": evaluation.cycle.framework.code,
            "breakdown": breakdown,
            "computed_by": by,
        },
    )
    return score


# --- workflow steps ------------------------------------------------------------------------------------------------


@transaction.atomic
def advance(*, evaluation: Evaluation, step: Step, by: Any | None, now: dt.datetime | None = None) -> Evaluation:
    """Take one workflow step (not submission, which is `evaluation_submit`; not publication, see results)."""
    now = _now(now)
    evaluation = _lock(evaluation)
    if step in (Step.SUBMIT, Step.PUBLISH):
        raise StepRefused("Langkah ini dilakukan dari halaman pengisian atau halaman pengumuman.")
    if step in (Step.START_FIELD, Step.SKIP_FIELD):
        step = _field_step(evaluation)
    _check_step(evaluation, step, by, now)
    details: dict[str, Any] = {}
    if step in (Step.START_PROVINCE_REVIEW, Step.START_MINISTRY_REVIEW, Step.FINISH_FIELD, Step.DETERMINE):
        problem = independence_problem(by, evaluation) if step != Step.DETERMINE else None
        if problem:
            raise StepRefused(problem)
    if step == Step.PROPOSE:
        total, breakdown = _admin_breakdown(evaluation, Verdict.Stage.PROVINCE)
        details["province_va"] = str(_store_score(evaluation, ScoreStage.PROVINCE_VA, total, breakdown, by).total)
    elif step in (Step.START_FIELD, Step.SKIP_FIELD):
        total, breakdown = _admin_breakdown(evaluation, Verdict.Stage.MINISTRY)
        details["ministry_va"] = str(_store_score(evaluation, ScoreStage.MINISTRY_VA, total, breakdown, by).total)
    elif step == Step.FINISH_FIELD:
        total, breakdown = _field_breakdown(evaluation)
        details["vl"] = str(_store_score(evaluation, ScoreStage.VL, total, breakdown, by).total)
    elif step == Step.DETERMINE:
        source = (
            StageScore.objects.filter(evaluation=evaluation, stage__in=[ScoreStage.VL, ScoreStage.MINISTRY_VA])
            .order_by("-stage")  # "vl" sorts after "ministry_va"
            .first()
        )
        if source is None:
            raise StepRefused("Belum ada nilai verifikasi untuk ditetapkan.")
        final = _store_score(
            evaluation, ScoreStage.FINAL, source.total, {**source.breakdown, "source": source.stage}, by
        )
        details.update(final=str(final.total), band=final.band_code)
    return _move(evaluation, step, by, now, **details)


def _field_step(evaluation: Evaluation) -> Step:
    """After the ministry's administrative verification: field verification when the cycle's rule asks for it."""
    config = evaluation.cycle.workflow_config
    if transition(config, Step.START_FIELD) is None:
        return Step.SKIP_FIELD
    result, _lines, _verdicts = review_tally(evaluation, Verdict.Stage.MINISTRY)
    previous = (
        PredicateRecord.objects.filter(region_id=evaluation.region_id, year__lt=evaluation.cycle.year)
        .order_by("-year")
        .values_list("band_code", flat=True)
        .first()
    )
    needed = needs_field_verification(
        config.field_rule, result.total, previous or None, band_rules(evaluation.cycle.framework_id)
    )
    return Step.START_FIELD if needed else Step.SKIP_FIELD


# --- verdicts ------------------------------------------------------------------------------------------------------


def _review_context(entry: Entry, by: Any | None, now: dt.datetime) -> Verdict.Stage:
    """The review stage open on this entry, after checking the reviewer's role, independence and the deadline."""
    evaluation = entry.evaluation
    stage = REVIEW_STAGE.get(evaluation.state)
    if stage is None:
        raise StepRefused(f"Evaluasi ini sedang pada tahap {evaluation.state_label}; tidak ada verifikasi terbuka.")
    config = evaluation.cycle.workflow_config
    role = reviewer_role(config, stage)
    if by is not None:
        if role not in access.roles_over(by, evaluation.region_id):
            access.require(by, Action.EVALUATION_VIEW, evaluation.region_id)
            raise PermissionDenied(f"Tahap ini diverifikasi oleh peran lain ({stage.label}).")
        problem = independence_problem(by, evaluation, [entry])
        if problem:
            raise PermissionDenied(problem)
    closing = transition(config, CLOSING_STEP[stage])
    deadline = deadline_of(evaluation.cycle, closing.deadline) if closing and closing.deadline else None
    if deadline is not None and now > deadline.ends_at:
        local = timezone.localtime(deadline.ends_at)
        raise StepRefused(f"Batas waktu {stage.label} sudah lewat ({local:%d-%m-%Y %H:%M} WIB).")
    if entry.status == Entry.Status.RETURNED:
        raise StepRefused("Entri ini sedang dikembalikan ke kab/kota; tunggu sampai dikirim ulang.")
    return stage


def parse_points(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise StepRefused("Poin harus berupa angka, misalnya 12,5.") from None
    if not value.is_finite():
        raise StepRefused("Poin harus berupa angka, misalnya 12,5.")
    return value


@transaction.atomic
def verdict_record(
    *,
    entry: Entry,
    question: Question,
    decision: str,
    points: Any = None,
    reason: str = "",
    by: Any | None,
    now: dt.datetime | None = None,
) -> Verdict:
    """Record (or change) the reviewer's decision on one question of an entry under review."""
    now = _now(now)
    entry = Entry.objects.select_related("evaluation__cycle__framework", "evaluation__region", "indicator").get(
        pk=entry.pk
    )
    if question.indicator_id != entry.indicator_id:
        raise StepRefused("Pertanyaan ini bukan bagian dari indikator tersebut.")
    stage = _review_context(entry, by, now)
    if stage == Verdict.Stage.FIELD:
        raise StepRefused("Verifikasi lapangan memberi poin per indikator, bukan per pertanyaan.")
    value = parse_points(points) if decision == Verdict.Decision.CORRECTED else None
    reason = reason.strip()[:2000]
    problem = tally.check_decision(decision, value, question.max_points, reason)
    if problem:
        raise StepRefused(problem)
    verdict = Verdict.objects.filter(entry=entry, stage=stage, question=question).first()
    before = (
        {"decision": verdict.decision, "points": str(verdict.points), "reason": verdict.reason} if verdict else None
    )
    verdict = verdict or Verdict(entry=entry, stage=stage, question=question)
    verdict.decision, verdict.points, verdict.reason, verdict.decided_by = decision, value, reason, by
    verdict.save()
    audit.record(
        action="kla.verdict.recorded",
        by=by,
        obj=entry,
        object_label=f"{question.code} · {entry.evaluation.region.name}",
        region_code=entry.evaluation.region_id,
        before=before,
        after={"question": question.code, "stage": stage, "decision": decision, "points": str(value)},
        reason=reason,
    )
    return verdict


def _chosen_entries(evaluation: Evaluation, entries: Iterable[Entry], empty: str) -> list[Entry]:
    """The chosen entries that belong to this evaluation (ids from elsewhere are ignored); `empty` if none."""
    chosen = list(
        Entry.objects.filter(evaluation=evaluation, pk__in=[e.pk for e in entries]).select_related("indicator")
    )
    if not chosen:
        raise StepRefused(empty)
    for entry in chosen:
        entry.evaluation = evaluation
    return chosen


@transaction.atomic
def entries_accept(
    *,
    evaluation: Evaluation,
    entries: Iterable[Entry],
    comment: str = "",
    by: Any | None,
    now: dt.datetime | None = None,
) -> int:
    """Accept every undecided question of the chosen entries with one shared comment (one audit event per entry)."""
    now = _now(now)
    evaluation = _lock(evaluation)
    chosen = _chosen_entries(evaluation, entries, "Pilih paling sedikit satu indikator.")
    accepted = 0
    for entry in chosen:
        if entry.status == Entry.Status.RETURNED:  # out with the kab/kota; reviewed again once resubmitted
            continue
        stage = _review_context(entry, by, now)
        if stage == Verdict.Stage.FIELD:
            raise StepRefused("Verifikasi lapangan memberi poin per indikator.")
        decided = set(Verdict.objects.filter(entry=entry, stage=stage).values_list("question_id", flat=True))
        new = [
            Verdict(
                entry=entry, stage=stage, question=q, decision=Verdict.Decision.ACCEPTED, reason=comment, decided_by=by
            )
            for q in Question.objects.filter(indicator_id=entry.indicator_id).exclude(pk__in=decided)
        ]
        Verdict.objects.bulk_create(new)
        accepted += len(new)
        audit.record(
            action="kla.entry.accepted",
            by=by,
            obj=entry,
            region_code=evaluation.region_id,
            after={"stage": stage, "questions": len(new)},
            reason=comment.strip()[:2000],
        )
    return accepted


@transaction.atomic
def field_points_record(
    *, entry: Entry, points: Any, reason: str = "", by: Any | None, now: dt.datetime | None = None
) -> Verdict:
    """Field verification: the points of one indicator, with a reason when they differ from the verified points."""
    now = _now(now)
    entry = Entry.objects.select_related("evaluation__cycle__framework", "evaluation__region", "indicator").get(
        pk=entry.pk
    )
    stage = _review_context(entry, by, now)
    if stage != Verdict.Stage.FIELD:
        raise StepRefused("Poin verifikasi lapangan hanya dapat diisi pada tahap verifikasi lapangan.")
    value = parse_points(points)
    if value is None:
        raise StepRefused("Isi poin verifikasi lapangan.")
    problem = tally.check_points(value, entry.indicator.max_points)
    if problem:
        raise StepRefused(problem)
    reason = reason.strip()[:2000]
    if not reason:
        raise StepRefused("Alasan wajib diisi: tuliskan temuan lapangan yang mendasari poin ini.")
    verdict, _ = Verdict.objects.update_or_create(
        entry=entry,
        stage=stage,
        question=None,
        defaults={"decision": Verdict.Decision.CORRECTED, "points": value, "reason": reason, "decided_by": by},
    )
    audit.record(
        action="kla.verdict.field_points",
        by=by,
        obj=entry,
        region_code=entry.evaluation.region_id,
        after={"points": str(value)},
        reason=reason,
    )
    return verdict


# --- returns and resubmissions -------------------------------------------------------------------------------------


@transaction.atomic
def entries_return(
    *,
    evaluation: Evaluation,
    entries: Iterable[Entry],
    reason: str,
    deadline: dt.datetime,
    by: Any | None,
    base_url: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Return only the chosen entries to the kab/kota for correction, with a mandatory reason and a deadline."""
    from kla.verification.tasks import notify_returned

    now = _now(now)
    evaluation = _lock(evaluation)
    reason = reason.strip()[:2000]
    if not reason:
        raise StepRefused("Alasan pengembalian wajib diisi: tuliskan apa yang harus diperbaiki.")
    if deadline <= now:
        raise StepRefused("Batas perbaikan harus di masa depan.")
    chosen = _chosen_entries(evaluation, entries, "Pilih paling sedikit satu indikator untuk dikembalikan.")
    for entry in chosen:
        stage = _review_context(entry, by, now)
        if stage == Verdict.Stage.FIELD:
            raise StepRefused("Pada verifikasi lapangan, catat temuan sebagai poin indikator, bukan pengembalian.")
        entry.status = Entry.Status.RETURNED
        entry.return_reason, entry.return_deadline, entry.returned_at, entry.returned_by = reason, deadline, now, by
        entry.save(update_fields=["status", "return_reason", "return_deadline", "returned_at", "returned_by"])
        audit.record(
            action="kla.entry.returned",
            by=by,
            obj=entry,
            region_code=evaluation.region_id,
            after={"stage": stage, "deadline": deadline.isoformat()},
            reason=reason,
        )
    ids = [e.pk for e in chosen]
    transaction.on_commit(lambda: notify_returned.enqueue(evaluation.pk, ids, base_url))
    return len(chosen)


@transaction.atomic
def entry_resubmit(*, entry: Entry, by: Any | None, now: dt.datetime | None = None) -> Entry:
    """The kab/kota sends a corrected entry back; its returned questions are open for review again."""
    now = _now(now)
    entry = Entry.objects.select_for_update(of=("self",)).select_related("evaluation__region").get(pk=entry.pk)
    if by is not None:
        access.require(by, Action.EVALUATION_SUBMIT, entry.evaluation.region_id)
    if entry.status != Entry.Status.RETURNED:
        raise StepRefused("Entri ini tidak sedang dikembalikan, jadi tidak perlu dikirim ulang.")
    stage = REVIEW_STAGE.get(entry.evaluation.state)
    removed = 0
    if stage is not None:
        removed, _ = Verdict.objects.filter(entry=entry, stage=stage, decision=Verdict.Decision.RETURNED).delete()
    reason = entry.return_reason
    entry.status = Entry.Status.SUBMITTED
    entry.resubmitted_at = now
    entry.return_reason, entry.return_deadline = "", None
    entry.save(update_fields=["status", "resubmitted_at", "return_reason", "return_deadline"])
    audit.record(
        action="kla.entry.resubmitted",
        by=by,
        obj=entry,
        region_code=entry.evaluation.region_id,
        before={"return_reason": reason},
        after={"reopened_questions": removed},
    )
    return entry


def secretariat_emails(region_code: str) -> list[str]:
    """The task force secretariat of a kab/kota (who is told about returned entries)."""
    return list(
        Membership.objects.active()
        .filter(role=Role.SECRETARIAT, region_id=region_code, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


# --- proposal to the ministry --------------------------------------------------------------------------------------


def letter_defaults(province: Any) -> dict[str, str]:
    """The province's saved letter wording, or the default text."""
    from kla.verification.letter_text import DEFAULT_BODY
    from kla.verification.models import LetterTemplate

    saved = LetterTemplate.objects.filter(province=province).first()
    if saved is not None:
        return {"body": saved.body, "city": saved.city, "signer": saved.signer, "title": saved.title}
    return {
        "body": DEFAULT_BODY,
        "city": "",
        "signer": "",
        "title": f"Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi {province.name.title()}",
    }


@transaction.atomic
def letter_template_save(*, province: Any, body: str, city: str, signer: str, title: str, by: Any | None) -> None:
    """The province edits the wording of its proposal letter (placeholders are checked, never evaluated)."""
    from kla.verification.letter_text import check_body
    from kla.verification.models import LetterTemplate

    if by is not None and Role.PROVINCE_REVIEWER not in access.roles_over(by, province.code):
        access.require(by, Action.EVALUATION_VIEW, province.code)
        raise PermissionDenied("Templat surat usulan diubah oleh reviewer provinsi.")
    problems = check_body(body)
    if problems:
        raise StepRefused(problems)
    if not city.strip() or not signer.strip() or not title.strip():
        raise StepRefused("Isi tempat, nama penandatangan dan jabatannya.")
    LetterTemplate.objects.update_or_create(
        province=province,
        defaults={
            "body": body,
            "city": city.strip(),
            "signer": signer.strip(),
            "title": title.strip(),
            "updated_by": by,
        },
    )
    audit.record(
        action="kla.letter_template.saved",
        by=by,
        object_type="verification.lettertemplate",
        object_id=province.code,
        region_code=province.code,
    )


@transaction.atomic
def propose(
    *,
    cycle: Any,
    province: Any,
    evaluations: Iterable[Evaluation],
    number: str,
    by: Any | None,
    now: dt.datetime | None = None,
) -> Any:
    """The province proposes reviewed kab/kota to the ministry: each moves to "proposed" with its province VA score,
    and one proposal letter (PDF, rendered in the background) lists them with their EM and VA scores."""
    from kla.verification.letter_text import check_body
    from kla.verification.models import ProposalLetter
    from kla.verification.tasks import render_proposal_letter

    now = _now(now)
    number = number.strip()[:80]
    if not number:
        raise StepRefused("Isi nomor surat usulan.")
    chosen = list(
        Evaluation.objects.filter(cycle=cycle, region__parent=province, pk__in=[e.pk for e in evaluations])
        .select_related("region")
        .order_by("region__name")
    )
    if not chosen:
        raise StepRefused("Pilih paling sedikit satu kabupaten/kota yang akan diusulkan.")
    wording = letter_defaults(province)
    problems = check_body(wording["body"])
    if problems or not wording["signer"] or not wording["city"]:
        raise StepRefused("Lengkapi dulu templat surat usulan (tempat, penandatangan, isi surat).")
    rows = []
    for number_in_list, evaluation in enumerate(chosen, start=1):
        advance(evaluation=evaluation, step=Step.PROPOSE, by=by, now=now)
        va = StageScore.objects.get(evaluation=evaluation, stage=ScoreStage.PROVINCE_VA).total
        rows.append(
            {
                "number": number_in_list,
                "name": evaluation.region.name,
                "em_score": str(evaluation.em_score) if evaluation.em_score is not None else None,
                "va_score": str(va),
            }
        )
    letter = ProposalLetter.objects.create(
        cycle=cycle,
        province=province,
        number=number,
        created_by=by,
        context={
            **wording,
            "province": province.name,
            "cycle": cycle.name,
            "year": cycle.year,
            "number": number,
            "date": timezone.localdate(now).isoformat(),
            "rows": rows,
        },
    )
    audit.record(
        action="kla.proposal.created",
        by=by,
        obj=letter,
        region_code=province.code,
        after={"number": number, "regions": [e.region_id for e in chosen]},
    )
    transaction.on_commit(lambda: render_proposal_letter.enqueue(letter.pk))
    return letter
