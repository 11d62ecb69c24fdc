"""Reviewers' decisions: a verdict on one question, accepting the rest of chosen indicators in one go, and the
field visit's points per indicator. Each checks the open review first (`preconditions.review_stage_for`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from kla.accounts.models import User
from kla.core import audit
from kla.core.compiled import CompiledQuery
from kla.core.formatting import NumberInputError
from kla.core.typed_numbers import read_number
from kla.evaluations.models import Entry, Evaluation
from kla.indicators.models import Question
from kla.verification import tally
from kla.verification.entry_reads import entry_again
from kla.verification.models import Verdict
from kla.verification.services.preconditions import (
    StepRefused,
    chosen_entries,
    current_time,
    lock_evaluation,
    review_stage_for,
)

Points = Decimal | int | str | None
NOT_POINTS = gettext_lazy("Poin harus berupa angka, misalnya 12,5.")


def parse_points(raw: Points) -> Decimal | None:
    """Points as typed ("12,5", "1.234,5") or sent as a number; None when nothing was typed.

    Text is read in the page's language by `kla.core.typed_numbers.read_number` (an ambiguous "1,250", English
    "1.250", is refused with a hint); on Indonesian pages a dot that cannot be a thousands separator ("12.5", as API
    clients and number pads write it) is read as the decimal point.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str):
        try:
            value = read_number(raw)
        except NumberInputError as exc:
            value = _dot_decimal(raw, exc)
    else:
        value = Decimal(raw)
    if not value.is_finite():
        raise StepRefused(NOT_POINTS)
    return value


def _dot_decimal(raw: str, refused: NumberInputError) -> Decimal:
    if refused.code in ("ambiguous", "decimal_comma"):
        raise StepRefused(refused.message) from None
    if refused.code == "decimal_point":
        try:
            return Decimal(raw.strip())
        except InvalidOperation:
            pass
    raise StepRefused(NOT_POINTS) from None


def _entry_for_review(entry: Entry) -> Entry:
    """The entry read afresh with what the review checks need (cycle, framework, region, indicator)."""
    return entry_again(entry.pk)


# a reviewer's decision on one question at one stage (at most one row): compiled once per process
_VERDICT: CompiledQuery[Verdict] = CompiledQuery(
    lambda entry, stage, question: Verdict.objects.filter(entry_id=entry, stage=stage, question_id=question).order_by(
        "pk"
    )[:1],
    int,
    str,
    int,
)


@transaction.atomic
def verdict_record(
    *,
    entry: Entry,
    question: Question,
    decision: str,
    points: Points = None,
    reason: str = "",
    by: User | None,
    now: dt.datetime | None = None,
) -> Verdict:
    """Record (or change) the reviewer's decision on one question of an entry under review."""
    now = current_time(now)
    entry = _entry_for_review(entry)
    if question.indicator_id != entry.indicator_id:
        raise StepRefused(gettext("Pertanyaan ini bukan bagian dari indikator tersebut."))
    stage = review_stage_for(entry, by, now)
    if stage == Verdict.Stage.FIELD:
        raise StepRefused(gettext("Verifikasi lapangan memberi poin per indikator, bukan per pertanyaan."))
    value = parse_points(points) if decision == Verdict.Decision.CORRECTED else None
    reason = reason.strip()[:2000]
    problem = tally.check_decision(decision, value, question.max_points, reason)
    if problem:
        raise StepRefused(problem)
    verdict = next(iter(_VERDICT.fetch(entry.pk, stage.value, question.pk)), None)
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


@transaction.atomic
def entries_accept(
    *,
    evaluation: Evaluation,
    entries: Iterable[Entry],
    comment: str = "",
    by: User | None,
    now: dt.datetime | None = None,
) -> int:
    """Accept every undecided question of the chosen entries with one shared comment (one audit event per entry)."""
    now = current_time(now)
    evaluation = lock_evaluation(evaluation)
    accepted = 0
    for entry in chosen_entries(evaluation, entries, gettext("Pilih paling sedikit satu indikator.")):
        if entry.status == Entry.Status.RETURNED:  # out with the kab/kota; reviewed again once resubmitted
            continue
        stage = review_stage_for(entry, by, now)
        if stage == Verdict.Stage.FIELD:
            raise StepRefused(gettext("Verifikasi lapangan memberi poin per indikator."))
        new = _accept_undecided(entry, stage, comment, by)
        accepted += new
        audit.record(
            action="kla.entry.accepted",
            by=by,
            obj=entry,
            region_code=evaluation.region_id,
            after={"stage": stage, "questions": new},
            reason=comment.strip()[:2000],
        )
    return accepted


def _accept_undecided(entry: Entry, stage: Verdict.Stage, comment: str, by: User | None) -> int:
    """An "accepted" verdict for every question of the entry without a decision in `stage`; how many."""
    decided = set(Verdict.objects.filter(entry=entry, stage=stage).values_list("question_id", flat=True))
    new = [
        Verdict(entry=entry, stage=stage, question=q, decision=Verdict.Decision.ACCEPTED, reason=comment, decided_by=by)
        for q in Question.objects.filter(indicator_id=entry.indicator_id).exclude(pk__in=decided)
    ]
    Verdict.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def field_points_record(
    *, entry: Entry, points: Points, reason: str = "", by: User | None, now: dt.datetime | None = None
) -> Verdict:
    """Field verification: the points of one indicator, with a reason when they differ from the verified points."""
    now = current_time(now)
    entry = _entry_for_review(entry)
    stage = review_stage_for(entry, by, now)
    if stage != Verdict.Stage.FIELD:
        raise StepRefused(gettext("Poin verifikasi lapangan hanya dapat diisi pada tahap verifikasi lapangan."))
    value = parse_points(points)
    if value is None:
        raise StepRefused(gettext("Isi poin verifikasi lapangan."))
    problem = tally.check_points(value, entry.indicator.max_points)
    if problem:
        raise StepRefused(problem)
    reason = reason.strip()[:2000]
    if not reason:
        raise StepRefused(gettext("Alasan wajib diisi: tuliskan temuan lapangan yang mendasari poin ini."))
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
