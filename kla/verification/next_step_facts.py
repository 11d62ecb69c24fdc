"""The facts `kla.evaluations.next_steps` decides on for a reviewer, from what the verification pages already read
(the evaluation, its review progress and, on the review page, its entries): no extra query."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from kla.accounts import access
from kla.accounts.models import User
from kla.evaluations.gate import passes_gate
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.next_steps import Facts, Kind, NextStep, for_roles
from kla.evaluations.workflow import State, WorkflowConfig
from kla.regions.levels import parent_of
from kla.verification.selectors import ReviewProgress


def review_facts(
    evaluation: Evaluation,
    progress: ReviewProgress,
    config: WorkflowConfig,
    gate: Decimal | None = None,
    entries: Iterable[Entry] = (),
) -> Facts:
    """An evaluation under review as facts; `entries` (when loaded) give the fix deadline of returned indicators."""
    returned = [e for e in entries if e.status == Entry.Status.RETURNED]
    deadlines = [e.return_deadline for e in returned if e.return_deadline is not None]
    below = gate is not None and evaluation.em_score is not None and not passes_gate(evaluation.em_score, gate)
    return Facts(
        evaluation_id=evaluation.pk,
        state=State(evaluation.status),
        cycle_code=evaluation.cycle.code,
        province_code=parent_of(evaluation.region_id),
        config=config,
        returned=progress.returned_entries,
        fix_deadline=min(deadlines, default=None),
        first_returned_entry=returned[0].pk if returned else None,
        questions_to_review=progress.questions,
        questions_decided=progress.decided,
        questions_returned=progress.returned_questions,
        below_gate=below,
    )


def reviewer_step(user: User, facts: Facts, region_code: str) -> NextStep | None:
    """The step of the user's roles over the kab/kota (memberships are cached: no query)."""
    return for_roles(facts, access.roles_over(user, region_code))


def first_action(
    user: User,
    rows: Iterable[tuple[Evaluation, ReviewProgress]],
    configs: Mapping[int, WorkflowConfig],
) -> NextStep | None:
    """The queue's next step: the first row on which one of the user's roles acts (None when none does)."""
    for evaluation, progress in rows:
        config = configs.get(evaluation.cycle_id, WorkflowConfig())
        step = reviewer_step(user, review_facts(evaluation, progress, config), evaluation.region_id)
        if step is not None and step.kind != Kind.WAIT:
            return step
    return None
