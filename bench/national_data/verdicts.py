"""The planned verdicts of each stage, the stage scores they give and, once published, the predicate history."""

from __future__ import annotations

from bench.national_data.context import Context
from bench.national_data.plan import Plan
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import State
from kla.results.models import PredicateRecord, StageScore
from kla.verification import tally
from kla.verification.models import Verdict


def add_verdicts(ctx: Context, plan: Plan, entries: dict[str, int], *, ministry: int, field_verifier: int) -> None:
    """Province and ministry verdicts per question, field verdicts per indicator."""
    reviewer = ctx.people.reviewer(plan.region.code)
    questions = {q.code: (i, q) for i in ctx.fw.indicators for q in i.questions}
    for stage, decided, actor in (
        (Verdict.Stage.PROVINCE, plan.province, reviewer),
        (Verdict.Stage.MINISTRY, plan.ministry, ministry),
    ):
        for qcode, d in decided.items():
            indicator, q = questions[qcode]
            ctx.ins.add(
                Verdict(
                    entry_id=entries[indicator.code],
                    question_id=q.id,
                    stage=stage.value,
                    decision=d.kind.value,
                    points=d.points if d.kind == tally.Kind.CORRECTED else None,
                    reason=d.reason,
                    decided_by_id=actor,
                )
            )
    for icode, (points, reason) in plan.field_points.items():
        ctx.ins.add(
            Verdict(
                entry_id=entries[icode],
                question=None,
                stage=Verdict.Stage.FIELD.value,
                decision=Verdict.Decision.CORRECTED.value,
                points=points,
                reason=reason,
                decided_by_id=field_verifier,
            )
        )


def add_scores(ctx: Context, cycle: Cycle, plan: Plan, evaluation: Evaluation, actors: dict[ScoreStage, int]) -> None:
    """Stage scores (computed by `actors`) and, for a published evaluation, its predicate record."""
    fw = ctx.fw
    for score_stage, (total, breakdown) in plan.scores.items():
        ctx.ins.add(
            StageScore(
                evaluation_id=evaluation.pk,
                stage=score_stage.value,
                total=total,
                band_code=fw.band(total),
                framework_code=fw.obj.code,
                breakdown=breakdown,
                computed_by_id=actors[score_stage],
            )
        )
    if plan.state != State.PUBLISHED:
        return
    final = plan.scores[ScoreStage.FINAL][0]
    band = fw.band(final)
    ctx.ins.add(
        PredicateRecord(
            region_id=plan.region.code,
            year=cycle.year,
            band_code=band,
            band_name=fw.band_names.get(band, ""),
            score=final,
            cycle=cycle,
            source=PredicateRecord.Source.CYCLE,
        )
    )
