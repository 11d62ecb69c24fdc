"""One evaluation planned in memory before anything is inserted: its answers, the verdicts of each stage it has
passed, and the stage scores those verdicts give (computed by `kla.verification.tally`, as the services do)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.national_data.constants import ZERO, at_least, q2
from bench.national_data.instrument import IndicatorSpec, Instrument, Scorer
from kla.demo.answers import answer_for
from kla.evaluations.scoring_adapter import Scored
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import State
from kla.regions.models import Region
from kla.verification import tally

CORRECTION_REASONS = (
    "Bukti dukung tidak menunjukkan capaian yang dilaporkan; poin disesuaikan.",
    "Dokumen belum ditandatangani pejabat berwenang; poin dikoreksi.",
    "Data tahun berjalan belum tersedia; dinilai dari data tahun sebelumnya.",
)
RETURN_REASONS = (
    "Lampirkan salinan yang telah diundangkan, bukan rancangan.",
    "Data pembilang dan penyebut berbeda dengan dokumen sumber; periksa kembali.",
    "Foto kegiatan tidak menunjukkan keterlibatan anak; tambahkan notulen.",
)
FIELD_REASONS = (
    "Temuan lapangan: fasilitas ada tetapi belum memenuhi standar ramah anak.",
    "Temuan lapangan: layanan berjalan lebih baik daripada yang dilaporkan.",
    "Temuan lapangan: wawancara anak tidak mengonfirmasi kegiatan yang dilaporkan.",
)


@dataclass
class Plan:
    region: Region
    state: State
    rng: random.Random
    answers: dict[str, Scored] = field(default_factory=dict)  # question code → scored answer
    em: Decimal | None = None
    snapshot: dict[str, Any] | None = None
    province: dict[str, tally.Decision] = field(default_factory=dict)  # question code → decision
    ministry: dict[str, tally.Decision] = field(default_factory=dict)
    field_points: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # indicator code → (points, reason)
    returned: str | None = None  # indicator code of the entry out with the kab/kota now
    resubmitted: str | None = None  # indicator code of an entry returned earlier and resubmitted
    scores: dict[ScoreStage, tuple[Decimal, dict[str, Any]]] = field(default_factory=dict)
    complete_indicators: set[str] = field(default_factory=set)


def make_plan(fw: Instrument, scorer: Scorer, region: Region, state: State, rng: random.Random) -> Plan:
    """What the evaluation of `region` holds when it stands at `state`. Every draw comes from `rng`, in a fixed order,
    so the same seed always plans the same evaluation."""
    plan = Plan(region=region, state=state, rng=rng)
    total, per_indicator = _self_assessment(fw, scorer, plan)
    if not at_least(state, State.SUBMITTED):
        return plan
    plan.em = total
    plan.snapshot = {"total": str(total), "indicators": per_indicator}
    answer_points = {q.code: plan.answers[q.code].points for i in fw.indicators for q in i.questions}
    if state == State.PUBLISHED and rng.random() < 0.25:
        plan.resubmitted = rng.choice(fw.indicators).code  # returned in the province review, corrected, resent
    if not _province_review(fw, plan, answer_points):
        return plan
    ministry = _ministry_review(fw, plan, answer_points)
    if ministry is not None:
        _field_verification(fw, plan, ministry)
    return plan


def answers(fw: Instrument, scorer: Scorer, rng: random.Random, strength: float, share: float) -> dict[str, Scored]:
    """About `share` of the questions answered, each the best answer with probability `strength`."""
    out: dict[str, Scored] = {}
    for indicator in fw.indicators:
        for q in indicator.questions:
            raw = answer_for(q.obj, strength, rng)
            if share >= 1 or rng.random() < share:
                out[q.code] = scorer(q.obj, raw)
    return out


def _self_assessment(fw: Instrument, scorer: Scorer, plan: Plan) -> tuple[Decimal, dict[str, dict[str, Any]]]:
    """The answers (all of them once submitted, above the gate once reviewed); (EM total, progress per indicator)."""
    rng, state = plan.rng, plan.state
    needs_gate = at_least(state, State.PROVINCE_REVIEW)
    strength = rng.uniform(0.35, 0.95)
    if state == State.SUBMITTED and rng.random() < 0.25:
        strength = rng.uniform(0.0, 0.12)  # a weak self-assessment, mostly below the gate: it stops here
    if state == State.BELOW_GATE:
        strength = rng.uniform(0.0, 0.05)  # sent below the gate (confirmed), then closed there
    share = 1.0 if at_least(state, State.SUBMITTED) else rng.uniform(0.3, 0.9)
    while True:
        plan.answers = answers(fw, scorer, rng, strength, share)
        total = q2(sum((s.points for s in plan.answers.values()), ZERO))
        if state == State.BELOW_GATE and total > fw.gate and strength > 0:
            strength = 0.0  # it must stay below the gate
            continue
        if not needs_gate or total > fw.gate or strength >= 1:
            break
        strength = min(1.0, strength + 0.15)
    return total, _progress(fw, plan)


def _progress(fw: Instrument, plan: Plan) -> dict[str, dict[str, Any]]:
    """Per indicator, as `evaluation_progress(...).snapshot()` has it; notes the indicators answered in full."""
    per_indicator: dict[str, dict[str, Any]] = {}
    for i in fw.indicators:
        answered = [plan.answers[q.code] for q in i.questions if q.code in plan.answers]
        done = [s for s in answered if s.answered]
        per_indicator[i.code] = {
            "points": str(q2(sum((s.points for s in done), ZERO))),
            "answered": len(done),
            "questions": len(i.questions),
        }
        if len(done) == len(i.questions):
            plan.complete_indicators.add(i.code)
    return per_indicator


def decisions(
    rng: random.Random, base: dict[str, Decimal], indicators: Iterable[IndicatorSpec], correct: float
) -> dict[str, tally.Decision]:
    """Accept every question of `indicators`, correcting a share `correct` of those with points downwards."""
    out: dict[str, tally.Decision] = {}
    for indicator in indicators:
        for q in indicator.questions:
            points = base[q.code]
            if points > 0 and rng.random() < correct:
                lower = q2(points * Decimal(rng.choice(("0.5", "0.75"))))
                out[q.code] = tally.Decision(tally.Kind.CORRECTED, lower, rng.choice(CORRECTION_REASONS))
            else:
                out[q.code] = tally.Decision(tally.Kind.ACCEPTED)
    return out


def admin_score(
    fw: Instrument, plan: Plan, base: dict[str, Decimal], decided: dict[str, tally.Decision]
) -> tuple[Decimal, dict[str, Any]]:
    """Total and breakdown of a completed administrative verification, as `verification.services` stores them."""
    lines = [
        tally.Line(indicator=i.code, question=q.code, max_points=q.max_points, base=base[q.code])
        for i in fw.indicators
        for q in i.questions
    ]
    result = tally.tally(lines, decided)
    indicators: dict[str, Any] = {}
    for i in fw.indicators:
        questions = {}
        for q in i.questions:
            answer = plan.answers.get(q.code)
            decision = decided[q.code]
            questions[q.code] = {
                "base": str(base[q.code]),
                "points": str(result.questions[q.code]),
                "max": str(q.max_points),
                "decision": decision.kind.value,
                "reason": decision.reason,
                "method": answer.explanation if answer is not None else "Belum dijawab",
            }
        indicators[i.code] = {
            "name": i.name,
            "max": str(i.max_points),
            "points": str(result.indicators[i.code]),
            "questions": questions,
        }
    return result.total, {"indicators": indicators}


def _province_review(fw: Instrument, plan: Plan, answer_points: dict[str, Decimal]) -> bool:
    """The province's administrative verification: under way (one entry returned) or complete. True once complete."""
    rng = plan.rng
    if plan.state == State.PROVINCE_REVIEW:
        decided = rng.randint(3, len(fw.indicators) - 6)
        plan.province = decisions(rng, answer_points, fw.indicators[:decided], 0.06)
        returned = rng.choice(fw.indicators[decided:])
        plan.returned = returned.code
        plan.province[returned.questions[0].code] = tally.Decision(
            tally.Kind.RETURNED, None, rng.choice(RETURN_REASONS)
        )
        return False
    if not at_least(plan.state, State.PROPOSED):
        return False
    plan.province = decisions(rng, answer_points, fw.indicators, 0.06)
    plan.scores[ScoreStage.PROVINCE_VA] = admin_score(fw, plan, answer_points, plan.province)
    return True


def _ministry_review(fw: Instrument, plan: Plan, answer_points: dict[str, Decimal]) -> dict[str, Any] | None:
    """The ministry's administrative verification, from the province's corrected points: under way or complete.
    Its breakdown once complete."""
    rng = plan.rng
    ministry_base = {
        code: d.points if d.kind == tally.Kind.CORRECTED and d.points is not None else answer_points[code]
        for code, d in plan.province.items()
    }
    if plan.state == State.MINISTRY_REVIEW:
        decided = rng.randint(2, len(fw.indicators) - 2)
        plan.ministry = decisions(rng, ministry_base, fw.indicators[:decided], 0.04)
        return None
    if not at_least(plan.state, State.FIELD_VERIFICATION):
        return None
    plan.ministry = decisions(rng, ministry_base, fw.indicators, 0.04)
    ministry_total, ministry_breakdown = admin_score(fw, plan, ministry_base, plan.ministry)
    plan.scores[ScoreStage.MINISTRY_VA] = (ministry_total, ministry_breakdown)
    return ministry_breakdown


def _field_verification(fw: Instrument, plan: Plan, ministry_breakdown: dict[str, Any]) -> None:
    """Points per indicator for the indicators the field team checked; the VL score (and the final one) once done."""
    rng = plan.rng
    base = {code: Decimal(v["points"]) for code, v in ministry_breakdown["indicators"].items()}
    maxima = {code: Decimal(v["max"]) for code, v in ministry_breakdown["indicators"].items()}
    how_many = rng.randint(0, 2) if plan.state == State.FIELD_VERIFICATION else rng.randint(2, 5)
    for i in rng.sample(fw.indicators, how_many):
        delta = q2(i.max_points * Decimal(rng.choice(("-0.15", "-0.1", "-0.05", "0.05"))))
        points = q2(min(max(base[i.code] + delta, ZERO), i.max_points))
        plan.field_points[i.code] = (points, rng.choice(FIELD_REASONS))
    if plan.state == State.FIELD_VERIFICATION:
        return
    vl_points = tally.field_points(base, maxima, {c: p for c, (p, _r) in plan.field_points.items()})
    vl_breakdown = {
        "indicators": {
            code: {
                "name": ministry_breakdown["indicators"][code]["name"],
                "max": str(maxima[code]),
                "base": str(base[code]),
                "points": str(value),
                "reason": plan.field_points[code][1] if code in plan.field_points else "",
            }
            for code, value in vl_points.items()
        }
    }
    vl_total = sum(vl_points.values(), ZERO)
    plan.scores[ScoreStage.VL] = (vl_total, vl_breakdown)
    if at_least(plan.state, State.DETERMINED):
        plan.scores[ScoreStage.FINAL] = (vl_total, {**vl_breakdown, "source": ScoreStage.VL.value})
