"""Withdrawing a submitted self-assessment: back to editable while the self-assessment stage is open.

Only a submission that no review has started is withdrawn (`gate.withdrawal_refusal`). The EM snapshot taken at
submission is cleared (the audit event keeps it), so the evaluation reads exactly as before it was sent, and the
next submission takes a new one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core import audit
from kla.core.wording import say
from kla.evaluations.gate import withdrawal_refusal
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services.writability import deadline_of
from kla.evaluations.stages import Stage
from kla.regions.zones import zone_of

if TYPE_CHECKING:
    from kla.accounts.models import User


def can_withdraw(evaluation: Evaluation, now: dt.datetime | None = None) -> bool:
    """Whether the submission may be withdrawn now (the page offers the button; the service decides again)."""
    if evaluation.status != Evaluation.Status.SUBMITTED:
        return False
    deadline = deadline_of(evaluation.cycle, Stage.SELF_ASSESSMENT, evaluation.region_id)
    ends = deadline.ends_at if deadline is not None else None
    return withdrawal_refusal(evaluation.state, self_assessment_ends=ends, now=now or timezone.now()) is None


@transaction.atomic
def evaluation_withdraw(*, evaluation: Evaluation, by: User | None, now: dt.datetime | None = None) -> Evaluation:
    """The secretariat takes its submission back: the evaluation and its entries are editable again."""
    now = now or timezone.now()
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__framework", "region")
        .get(pk=evaluation.pk)
    )
    if by is not None:
        access.require(by, Action.EVALUATION_SUBMIT, evaluation.region_id)
    deadline = deadline_of(evaluation.cycle, Stage.SELF_ASSESSMENT, evaluation.region_id)
    problem = withdrawal_refusal(
        evaluation.state,
        self_assessment_ends=deadline.ends_at if deadline is not None else None,
        now=now,
        zone=zone_of(evaluation.region_id),
    )
    if problem is not None:
        raise ValidationError(say(problem), code="not_withdrawable")
    before = {
        "status": evaluation.status,
        "em_score": str(evaluation.em_score) if evaluation.em_score is not None else None,
        "submitted_at": evaluation.submitted_at.isoformat() if evaluation.submitted_at else None,
        "missing": evaluation.missing_at_submission,
    }
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.status_changed_at = now
    evaluation.submitted_at = None
    evaluation.submitted_by = None
    evaluation.em_score = None
    evaluation.em_snapshot = None
    evaluation.missing_at_submission = None
    evaluation.save()
    evaluation.entries.update(status=Entry.Status.OPEN)
    audit.record(
        action="kla.evaluation.withdrawn",
        by=by,
        obj=evaluation,
        region_code=evaluation.region_id,
        before=before,
        after={"status": evaluation.status},
    )
    return evaluation
