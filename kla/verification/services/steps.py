"""Workflow steps after submission: `advance` is the only way an evaluation's state changes from there on.

Submission is `kla.evaluations.services.evaluation_submit`; publication is `kla.results.services`. A step that closes
a review stores that stage's score (`scores.store_for_step`) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from kla.accounts.models import User
from kla.core import audit
from kla.core.wording import say
from kla.evaluations.gate import stop_refusal
from kla.evaluations.models import Evaluation
from kla.evaluations.services import deadline_of
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import Step, needs_field_verification, transition
from kla.indicators.selectors import band_rules
from kla.regions.zones import zone_of
from kla.results.models import PredicateRecord
from kla.verification.models import Verdict
from kla.verification.selectors import review_tally
from kla.verification.services import scores
from kla.verification.services.preconditions import (
    StepRefused,
    check_step,
    current_time,
    independence_problem,
    lock_evaluation,
)

# the steps whose actor must be independent of the kab/kota under review
INDEPENDENT_STEPS = frozenset({Step.START_PROVINCE_REVIEW, Step.START_MINISTRY_REVIEW, Step.FINISH_FIELD})


@transaction.atomic
def advance(*, evaluation: Evaluation, step: Step, by: User | None, now: dt.datetime | None = None) -> Evaluation:
    """Take one workflow step (not submission, which is `evaluation_submit`; not publication, see results)."""
    now = current_time(now)
    evaluation = lock_evaluation(evaluation)
    if step in (Step.SUBMIT, Step.PUBLISH):
        raise StepRefused(gettext("Langkah ini dilakukan dari halaman pengisian atau halaman pengumuman."))
    if step in (Step.START_FIELD, Step.SKIP_FIELD):
        step = _field_step(evaluation)
    check_step(evaluation, step, by, now)
    if step == Step.STOP_AT_GATE:
        return stop_at_gate(evaluation, by, now)
    if step in INDEPENDENT_STEPS:
        problem = independence_problem(by, evaluation)
        if problem:
            raise StepRefused(problem)
    details = scores.store_for_step(evaluation, step, by)
    return _move(evaluation, step, by, now, **details)


def stop_at_gate(evaluation: Evaluation, by: User | None, now: dt.datetime) -> Evaluation:
    """Close a submission whose EM does not pass the gate ("Tidak memenuhi ambang batas"), once the self-assessment
    stage is over for its kab/kota (until then its secretariat may still withdraw it). The locked evaluation's step
    has been checked (`check_step`)."""
    deadline = deadline_of(evaluation.cycle, Stage.SELF_ASSESSMENT, evaluation.region_id)
    ends = deadline.ends_at if deadline is not None else None
    problem = stop_refusal(self_assessment_ends=ends, now=now, zone=zone_of(evaluation.region_id))
    if problem:
        raise StepRefused(say(problem))
    gate = evaluation.cycle.framework.gate_min_exclusive
    em = str(evaluation.em_score) if evaluation.em_score is not None else None
    return _move(evaluation, Step.STOP_AT_GATE, by, now, em_score=em, gate=str(gate))


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


def _move(evaluation: Evaluation, step: Step, by: User | None, now: dt.datetime, **details: Any) -> Evaluation:
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
