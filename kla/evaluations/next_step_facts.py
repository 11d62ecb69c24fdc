"""The facts `kla.evaluations.next_steps` decides on, read from what the self-assessment pages already hold (no
extra query): the dashboard's progress and the operator's list of assigned entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.next_steps import Facts, OperatorWork
from kla.evaluations.selectors import EvaluationProgress
from kla.evaluations.workflow import State


def _earliest(deadlines: Iterable[dt.datetime | None]) -> dt.datetime | None:
    return min((d for d in deadlines if d is not None), default=None)


def returned_entries(progress: EvaluationProgress) -> list[Entry]:
    """The evaluation's entries returned for correction, in the instrument's order."""
    return [i.entry for i in progress.indicators if i.entry.status == Entry.Status.RETURNED]


def dashboard_facts(progress: EvaluationProgress) -> Facts:
    """The facts of an evaluation as its dashboard shows them (the workflow and the cycle are already loaded)."""
    evaluation: Evaluation = progress.evaluation
    returned = returned_entries(progress)
    incomplete = [i.entry.pk for i in progress.indicators if not i.complete]
    return Facts(
        evaluation_id=evaluation.pk,
        state=State(evaluation.status),
        cycle_code=evaluation.cycle.code,
        province_code=evaluation.region.parent_id,
        config=evaluation.cycle.workflow_config,
        unassigned=sum(1 for i in progress.indicators if not i.agencies),
        incomplete=len(incomplete),
        first_incomplete_entry=incomplete[0] if incomplete else None,
        returned=len(returned),
        fix_deadline=_earliest(e.return_deadline for e in returned),
        first_returned_entry=returned[0].pk if returned else None,
        below_gate=evaluation.status == Evaluation.Status.BELOW_GATE,
    )


def operator_work(entries: Iterable[Entry]) -> OperatorWork:
    """An operator's assigned entries (`selectors.my_work`, with `n_questions` and `n_answered`) as facts."""
    rows = list(entries)
    returned = [e for e in rows if e.status == Entry.Status.RETURNED]
    unanswered = [
        e
        for e in rows
        if e.status == Entry.Status.OPEN and e.n_answered < e.n_questions  # type: ignore[attr-defined]
    ]
    return OperatorWork(
        unanswered=len(unanswered),
        first_unanswered_entry=unanswered[0].pk if unanswered else None,
        returned=len(returned),
        fix_deadline=_earliest(e.return_deadline for e in returned),
        first_returned_entry=returned[0].pk if returned else None,
    )
