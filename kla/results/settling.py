"""What a publication settles: each evaluation's outcome (determined, stopped at the EM gate, not finished), the
count the administrators read before confirming, and, at confirmation, the submissions below the gate closed and
entered in the predicate history without a predicate. Rules in `kla.results.outcomes`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kla.accounts.models import User
from kla.core import audit
from kla.evaluations.models import Cycle, Evaluation, StageExtension
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import State
from kla.results.models import PredicateRecord
from kla.results.outcomes import Outcome, PublicationCount, outcome

BELOW_GATE_NOTE = "Tidak memenuhi ambang batas evaluasi mandiri"


def _outcomes(cycle: Cycle, now: dt.datetime) -> dict[int, Outcome]:
    """Evaluation id → its outcome for the publication (3 queries: the calendar, its extensions, the evaluations)."""
    deadline = next((d for d in cycle.deadlines.all() if d.stage == Stage.SELF_ASSESSMENT), None)
    over = deadline is None or now > deadline.ends_at
    # a kab/kota whose self-assessment was extended past now may still withdraw its submission
    extended = set(
        StageExtension.objects.filter(cycle=cycle, stage=Stage.SELF_ASSESSMENT, ends_at__gte=now).values_list(
            "region_id", flat=True
        )
    )
    gate = cycle.framework.gate_min_exclusive
    rows = Evaluation.objects.filter(cycle=cycle).values_list("pk", "region_id", "status", "em_score")
    return {
        pk: outcome(State(status), em, gate, self_assessment_over=over and region not in extended)
        for pk, region, status, em in rows
    }


def publication_count(cycle: Cycle, now: dt.datetime | None = None) -> PublicationCount:
    """How many evaluations the publication settles (determined, stopped at the gate) and how many it does not."""
    return PublicationCount.of(_outcomes(cycle, now or timezone.now()).values())


def close_below_gate(cycle: Cycle, by: User | None, now: dt.datetime) -> int:
    """Submissions below the gate that nobody closed: closed now as "Tidak memenuhi ambang batas", each audited."""
    outcomes = _outcomes(cycle, now)
    stopped = Evaluation.objects.filter(
        pk__in=[pk for pk, o in outcomes.items() if o == Outcome.BELOW_GATE], status=Evaluation.Status.SUBMITTED
    )
    closed = list(stopped.only("pk", "region_id", "em_score", "status"))
    for evaluation in closed:
        audit.record(
            action="kla.evaluation.stop_at_gate",
            by=by,
            obj=evaluation,
            region_code=evaluation.region_id,
            before={"status": evaluation.status},
            after={
                "status": Evaluation.Status.BELOW_GATE,
                "em_score": str(evaluation.em_score) if evaluation.em_score is not None else None,
                "gate": str(cycle.framework.gate_min_exclusive),
                "at_publication": True,
            },
        )
    Evaluation.objects.filter(pk__in=[e.pk for e in closed]).update(
        status=Evaluation.Status.BELOW_GATE, status_changed_at=now
    )
    return len(closed)


def record_below_gate(cycle: Cycle) -> None:
    """Those stopped at the gate enter the predicate history as settled without a predicate that year."""
    for region_id in Evaluation.objects.filter(cycle=cycle, status=Evaluation.Status.BELOW_GATE).values_list(
        "region_id", flat=True
    ):
        PredicateRecord.objects.update_or_create(
            region_id=region_id,
            year=cycle.year,
            defaults={
                "band_code": "",
                "band_name": "",
                "score": None,
                "note": BELOW_GATE_NOTE,
                "cycle": cycle,
                "source": PredicateRecord.Source.CYCLE,
            },
        )


def counted(cycle: Cycle, now: dt.datetime) -> dict[str, int]:
    count = publication_count(cycle, now)
    return {"below_gate": count.below_gate, "in_progress": count.in_progress}
