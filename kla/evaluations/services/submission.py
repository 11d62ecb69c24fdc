"""Submitting a self-assessment: entries become read-only and the EM score is snapshotted with what was missing.

What counts as missing comes from evaluations itself (incomplete indicators) and from the apps above it, which
register their own checks in their `AppConfig.ready()` (evidence: files carried from the previous cycle that are not
confirmed yet), so that evaluations never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core import audit
from kla.core.formatting import format_count
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.selectors import EvaluationProgress, evaluation_progress
from kla.evaluations.services.writability import EvaluationClosed, check_self_assessment_open

if TYPE_CHECKING:
    from kla.accounts.models import User

MissingItems = Callable[[Evaluation], list[str]]
_MISSING_ITEMS: list[MissingItems] = []


def register_missing_items(check: MissingItems) -> None:
    """Add a check of what else a submission must list as missing: `check(evaluation)` returns one Indonesian phrase
    per problem ("3 bukti dukung ... belum dikonfirmasi"), or nothing. Registering the same check again keeps one."""
    if check not in _MISSING_ITEMS:
        _MISSING_ITEMS.append(check)


@transaction.atomic
def evaluation_submit(
    *, evaluation: Evaluation, by: User | None, acknowledge_missing: bool = False, now: dt.datetime | None = None
) -> Evaluation:
    """Submit the self-assessment: entries become read-only, the EM score and its breakdown are snapshotted.

    Incomplete evaluations are refused unless the secretariat explicitly acknowledges the list of missing items.
    The evaluation is locked first: a change to an entry waiting for the lock sees the submission, and vice versa.
    """
    now = now or timezone.now()
    evaluation = Evaluation.objects.select_for_update().select_related("cycle", "region").get(pk=evaluation.pk)
    if by is not None:
        access.require(by, Action.EVALUATION_SUBMIT, evaluation.region_id)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise EvaluationClosed("Evaluasi ini sudah dikirim sebelumnya.")
    check_self_assessment_open(evaluation, now)
    progress = evaluation_progress(evaluation)
    missing, problems = _missing(evaluation, progress)
    if missing and not acknowledge_missing:
        raise ValidationError(
            f"Masih ada kekurangan: {' dan '.join(problems)}. Lengkapi terlebih dahulu, atau centang pernyataan "
            "bahwa Anda mengirim dengan kekurangan tersebut."
        )
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
        after={"em_score": str(evaluation.em_score), "missing": missing},
    )
    return evaluation


def _missing(evaluation: Evaluation, progress: EvaluationProgress) -> tuple[list[str], list[str]]:
    """(what is stored as missing: each incomplete indicator and each registered problem; the summary shown when the
    submission is refused)."""
    missing = progress.missing()
    problems = [f"{format_count(len(missing))} indikator belum lengkap"] if missing else []
    for check in _MISSING_ITEMS:
        found = check(evaluation)
        missing += found
        problems += found
    return missing, problems
