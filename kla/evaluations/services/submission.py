"""Submitting a self-assessment: entries become read-only and the EM score is snapshotted with what was missing.

What counts as missing comes from evaluations itself (incomplete indicators) and from the apps above it, which
register their own checks in their `AppConfig.ready()` (evidence: files carried from the previous cycle that are not
confirmed yet), so that evaluations never imports them. The secretariat may send with what is missing when it
acknowledges the list (`acknowledge_missing`).

Blockers are different: nothing lifts them but fixing them. Evaluations' own is an answer whose warning waits for its
explanation (`unexplained_warnings`); apps above may register more with `register_blocker`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core import audit
from kla.core.formatting import format_count, format_number
from kla.evaluations.gate import below_gate_refusal
from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evaluations.selectors import EvaluationProgress, evaluation_progress
from kla.evaluations.services.writability import EvaluationClosed, check_self_assessment_open

if TYPE_CHECKING:
    from kla.accounts.models import User

MissingItems = Callable[[Evaluation], list[str]]
_MISSING_ITEMS: list[MissingItems] = []
_BLOCKERS: list[MissingItems] = []


def register_missing_items(check: MissingItems) -> None:
    """Add a check of what else a submission must list as missing: `check(evaluation)` returns one Indonesian phrase
    per problem ("3 bukti dukung ... belum dikonfirmasi"), or nothing. Registering the same check again keeps one."""
    if check not in _MISSING_ITEMS:
        _MISSING_ITEMS.append(check)


def register_blocker(check: MissingItems) -> None:
    """Add a check of what must be fixed before any submission: `check(evaluation)` returns one Indonesian sentence
    per problem that names it and says what to do, or nothing. Unlike missing items, no acknowledgement lifts a
    blocker. Registering the same check again keeps one."""
    if check not in _BLOCKERS:
        _BLOCKERS.append(check)


def unexplained_warnings(evaluation: Evaluation, *, entry: Entry | None = None) -> list[str]:
    """One sentence per answer whose warning still waits for an explanation, in the instrument's order (1 query);
    only the answers of `entry` when given (a returned entry sent again)."""
    answers = Answer.objects.filter(entry__evaluation=evaluation, answered=True, needs_justification=True)
    if entry is not None:
        answers = answers.filter(entry=entry)
    answers = (
        answers.select_related("question", "entry__indicator")
        .only("warnings", "question__code", "question__position", "entry__indicator__number")
        .order_by("entry__indicator__position", "question__position")
    )
    out = []
    for answer in answers:
        said = " ".join(_sentence(str(w.get("message", ""))) for w in answer.warnings if isinstance(w, dict))
        out.append(
            gettext("Pertanyaan %(question)s (indikator %(indicator)s): %(warning)s")
            % {
                "question": answer.question.code,
                "indicator": answer.entry.indicator.number,
                "warning": said or gettext("jawaban ini memiliki peringatan."),
            }
        )
    return out


def submission_blockers(evaluation: Evaluation) -> list[str]:
    """Everything that must be fixed before the evaluation can be submitted, whatever is acknowledged."""
    return [problem for check in (unexplained_warnings, *_BLOCKERS) for problem in check(evaluation)]


def _refusal(unexplained: list[str], others: list[str]) -> str:
    """Why the submission is refused: each blocker named, what to do, and that no acknowledgement lifts them."""
    parts = [gettext("Evaluasi belum dapat dikirim.")]
    if unexplained:
        count = len(unexplained)
        parts.append(
            ngettext(
                "%(count)s jawaban memiliki peringatan yang belum dijelaskan:",
                "%(count)s jawaban memiliki peringatan yang belum dijelaskan:",
                count,
            )
            % {"count": format_count(count)}
        )
        parts += unexplained
        parts.append(
            gettext(
                'Buka indikatornya, lalu perbaiki jawaban tersebut atau isi kolom "Penjelasan" di bawahnya sampai '
                'tanda "Perlu penjelasan" hilang.'
            )
        )
    parts += others
    parts.append(
        gettext("Setelah itu, kirim lagi. Pernyataan mengirim dengan kekurangan tidak berlaku untuk hal-hal ini.")
    )
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(".") else f"{text}."


@transaction.atomic
def evaluation_submit(
    *,
    evaluation: Evaluation,
    by: User | None,
    acknowledge_missing: bool = False,
    confirm_below_gate: bool = False,
    now: dt.datetime | None = None,
) -> Evaluation:
    """Submit the self-assessment: entries become read-only, the EM score and its breakdown are snapshotted.

    Incomplete evaluations are refused unless the secretariat explicitly acknowledges the list of missing items;
    blockers (an answer whose warning is not explained yet) are refused whatever is acknowledged, naming each one.
    An EM score that does not pass the framework's gate is sent only when the secretariat confirms it
    (`confirm_below_gate`): such an evaluation does not go on to verification.
    The evaluation is locked first: a change to an entry waiting for the lock sees the submission, and vice versa.
    """
    now = now or timezone.now()
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__framework", "region")
        .get(pk=evaluation.pk)
    )
    if by is not None:
        access.require(by, Action.EVALUATION_SUBMIT, evaluation.region_id)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise EvaluationClosed(gettext("Evaluasi ini sudah dikirim sebelumnya."))
    check_self_assessment_open(evaluation, now)
    unexplained = unexplained_warnings(evaluation)
    others = [problem for check in _BLOCKERS for problem in check(evaluation)]
    if unexplained or others:
        raise ValidationError(_refusal(unexplained, others))
    progress = evaluation_progress(evaluation)
    missing, problems = _missing(evaluation, progress)
    if missing and not acknowledge_missing:
        raise ValidationError(
            gettext(
                "Masih ada kekurangan: %(join)s. Lengkapi terlebih dahulu, atau centang pernyataan bahwa "
                "Anda mengirim dengan kekurangan tersebut."
            )
            % {"join": " dan ".join(problems)}
        )
    gate = evaluation.cycle.framework.gate_min_exclusive
    below = below_gate_refusal(progress.total_points, gate)
    if below is not None and not confirm_below_gate:
        raise ValidationError(_below_gate_refusal(progress.total_points, gate), code="below_gate")
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.status_changed_at = now
    evaluation.submitted_at = now
    evaluation.submitted_by = by
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
        after={"em_score": str(evaluation.em_score), "missing": missing, "below_gate": below is not None},
    )
    return evaluation


def submission_missing(evaluation: Evaluation, progress: EvaluationProgress) -> list[str]:
    """What a submission now would list as missing (the page shows it beside the acknowledgement): each incomplete
    indicator and each problem the apps above register (required evidence not attached, files not confirmed)."""
    return _missing(evaluation, progress)[0]


def _missing(evaluation: Evaluation, progress: EvaluationProgress) -> tuple[list[str], list[str]]:
    """(what is stored as missing: each incomplete indicator and each registered problem; the summary shown when the
    submission is refused)."""
    missing = progress.missing()
    problems = [gettext("%(count)s indikator belum lengkap") % {"count": format_count(len(missing))}] if missing else []
    for check in _MISSING_ITEMS:
        found = check(evaluation)
        missing += found
        problems += found
    return missing, problems


def _below_gate_refusal(em_score: Decimal, gate: Decimal) -> str:
    """`gate.below_gate_refusal` in the reader's language (its Indonesian word for word)."""
    lang = get_language() or "id"
    return gettext(
        "Nilai EM %(score)s tidak melebihi ambang batas %(gate)s: bila dikirim, evaluasi ini tidak lanjut ke "
        "verifikasi. Lengkapi jawaban terlebih dahulu, atau centang pernyataan bahwa Anda tetap mengirimnya di bawah "
        "ambang batas."
    ) % {"score": format_number(em_score, 2, lang=lang), "gate": format_number(gate, lang=lang)}
