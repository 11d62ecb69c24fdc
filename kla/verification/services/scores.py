"""The stage score a workflow step stores: verification computes it, `kla.results` keeps it (`StageScore`).

Each score carries its total, its predicate and the breakdown that explains every point (answer → method → base →
decision → points for the administrative stages; base → points → reason per indicator for the field visit).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from kla.accounts.models import User
from kla.evaluations.models import Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import Step
from kla.results.models import StageScore
from kla.results.services import stage_score_record
from kla.verification import tally
from kla.verification.models import Verdict
from kla.verification.selectors import review_tally
from kla.verification.services.preconditions import StepRefused


def admin_breakdown(evaluation: Evaluation, stage: Verdict.Stage) -> tuple[Decimal, dict[str, Any]]:
    """Total and breakdown of a finished administrative verification; refused while a question is undecided."""
    result, lines, verdicts = review_tally(evaluation, stage)
    if not result.complete:
        raise StepRefused(
            gettext(
                "Verifikasi belum selesai: %(count)s pertanyaan belum diputuskan dan %(count2)s pertanyaan "
                "dikembalikan. Putuskan semua pertanyaan terlebih dahulu."
            )
            % {"count": len(result.pending), "count2": len(result.returned)}
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
            "method": answer.explanation if answer is not None else gettext("Belum dijawab"),
        }
    for code, points in result.indicators.items():
        indicators[code]["points"] = str(points)
    return result.total, {"indicators": indicators}


def field_breakdown(evaluation: Evaluation) -> tuple[Decimal, dict[str, Any]]:
    """Total and breakdown of the field visit: the ministry's points per indicator, changed where the field team
    recorded points."""
    ministry = StageScore.objects.filter(evaluation=evaluation, stage=ScoreStage.MINISTRY_VA).first()
    if ministry is None:
        raise StepRefused(
            gettext("Belum ada nilai verifikasi administrasi Kementerian sebagai dasar verifikasi lapangan.")
        )
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


def _store_final(evaluation: Evaluation, by: User | None) -> StageScore:
    """Determination: the final score is the field visit's score, or the ministry's where there was no visit."""
    source = (
        StageScore.objects.filter(evaluation=evaluation, stage__in=[ScoreStage.VL, ScoreStage.MINISTRY_VA])
        .order_by("-stage")  # "vl" sorts after "ministry_va"
        .first()
    )
    if source is None:
        raise StepRefused(gettext("Belum ada nilai verifikasi untuk ditetapkan."))
    breakdown = {**source.breakdown, "source": source.stage}
    return stage_score_record(
        evaluation=evaluation, stage=ScoreStage.FINAL, total=source.total, breakdown=breakdown, by=by
    )


# the score each step closes, and the verdicts it is computed from (None: the field visit's points per indicator)
CLOSES: dict[Step, tuple[ScoreStage, Verdict.Stage | None]] = {
    Step.PROPOSE: (ScoreStage.PROVINCE_VA, Verdict.Stage.PROVINCE),
    Step.START_FIELD: (ScoreStage.MINISTRY_VA, Verdict.Stage.MINISTRY),
    Step.SKIP_FIELD: (ScoreStage.MINISTRY_VA, Verdict.Stage.MINISTRY),
    Step.FINISH_FIELD: (ScoreStage.VL, None),
}


def store_for_step(evaluation: Evaluation, step: Step, by: User | None) -> dict[str, str]:
    """Store the score that `step` closes, if any; what the step's audit event records about it."""
    if step == Step.DETERMINE:
        final = _store_final(evaluation, by)
        return {"final": str(final.total), "band": final.band_code}
    if step not in CLOSES:
        return {}
    stage, verdicts = CLOSES[step]
    total, breakdown = admin_breakdown(evaluation, verdicts) if verdicts else field_breakdown(evaluation)
    score = stage_score_record(evaluation=evaluation, stage=stage, total=total, breakdown=breakdown, by=by)
    return {stage.value: str(score.total)}
