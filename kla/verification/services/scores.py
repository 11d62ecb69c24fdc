"""The stage score a workflow step stores: verification writes it, `kla.results` keeps it (`StageScore`).

Each score carries its total, its predicate and the breakdown that explains every point (answer → method → base →
decision → points for the administrative stages; base → points → reason per indicator for the field visit).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kla.accounts.models import User
from kla.evaluations.models import Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import Step
from kla.indicators.scoring import predicate_for
from kla.indicators.selectors import band_rules
from kla.results.models import StageScore
from kla.verification import tally
from kla.verification.models import Verdict
from kla.verification.selectors import review_tally
from kla.verification.services.preconditions import StepRefused


def admin_breakdown(evaluation: Evaluation, stage: Verdict.Stage) -> tuple[Decimal, dict[str, Any]]:
    """Total and breakdown of a finished administrative verification; refused while a question is undecided."""
    result, lines, verdicts = review_tally(evaluation, stage)
    if not result.complete:
        raise StepRefused(
            f"Verifikasi belum selesai: {len(result.pending)} pertanyaan belum diputuskan dan "
            f"{len(result.returned)} pertanyaan dikembalikan. Putuskan semua pertanyaan dulu."
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
            "method": answer.explanation if answer is not None else "Belum dijawab",
        }
    for code, points in result.indicators.items():
        indicators[code]["points"] = str(points)
    return result.total, {"indicators": indicators}


def field_breakdown(evaluation: Evaluation) -> tuple[Decimal, dict[str, Any]]:
    """Total and breakdown of the field visit: the ministry's points per indicator, changed where the field team
    recorded points."""
    ministry = StageScore.objects.filter(evaluation=evaluation, stage=ScoreStage.MINISTRY_VA).first()
    if ministry is None:
        raise StepRefused("Belum ada nilai verifikasi administrasi Kementerian sebagai dasar verifikasi lapangan.")
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


def store_score(
    evaluation: Evaluation, stage: ScoreStage, total: Decimal, breakdown: dict[str, Any], by: User | None
) -> StageScore:
    """Write (or rewrite) one stage's score with the predicate its total reaches."""
    band = predicate_for(total, band_rules(evaluation.cycle.framework_id))
    score, _ = StageScore.objects.update_or_create(
        evaluation=evaluation,
        stage=stage.value,
        defaults={
            "total": total,
            "band_code": band.code if band else "",
            "framework_code": evaluation.cycle.framework.code,
            "breakdown": breakdown,
            "computed_by": by,
        },
    )
    return score


def _store_final(evaluation: Evaluation, by: User | None) -> StageScore:
    """Determination: the final score is the field visit's score, or the ministry's where there was no visit."""
    source = (
        StageScore.objects.filter(evaluation=evaluation, stage__in=[ScoreStage.VL, ScoreStage.MINISTRY_VA])
        .order_by("-stage")  # "vl" sorts after "ministry_va"
        .first()
    )
    if source is None:
        raise StepRefused("Belum ada nilai verifikasi untuk ditetapkan.")
    return store_score(evaluation, ScoreStage.FINAL, source.total, {**source.breakdown, "source": source.stage}, by)


def store_for_step(evaluation: Evaluation, step: Step, by: User | None) -> dict[str, str]:
    """Store the score that `step` closes, if any; what the audit event of the step records about it."""
    if step == Step.PROPOSE:
        total, breakdown = admin_breakdown(evaluation, Verdict.Stage.PROVINCE)
        return {"province_va": str(store_score(evaluation, ScoreStage.PROVINCE_VA, total, breakdown, by).total)}
    if step in (Step.START_FIELD, Step.SKIP_FIELD):
        total, breakdown = admin_breakdown(evaluation, Verdict.Stage.MINISTRY)
        return {"ministry_va": str(store_score(evaluation, ScoreStage.MINISTRY_VA, total, breakdown, by).total)}
    if step == Step.FINISH_FIELD:
        total, breakdown = field_breakdown(evaluation)
        return {"vl": str(store_score(evaluation, ScoreStage.VL, total, breakdown, by).total)}
    if step == Step.DETERMINE:
        final = _store_final(evaluation, by)
        return {"final": str(final.total), "band": final.band_code}
    return {}
