"""Plausible answers for demo and test evaluations: seeded, so the same seed always gives the same answers."""

from __future__ import annotations

import random
from typing import Any

from kla.accounts.models import User
from kla.evaluations.models import Evaluation
from kla.evaluations.services import answer_save
from kla.indicators.models import Question


def answer_for(question: Question, strength: float, rng: random.Random) -> dict[str, Any]:
    """One raw answer: with probability `strength` the best answer, else a weaker one."""
    spec = question.spec or {}
    best = rng.random() < strength
    if question.answer_type == "option":
        options = sorted(spec["options"], key=lambda o: float(o["points"]), reverse=True)
        return {"option": options[0 if best else rng.randrange(1, len(options))]["code"]}
    if question.answer_type == "yes_no":
        return {"yes": best}
    if question.answer_type in ("number", "percentage"):
        tiers = sorted(spec["thresholds"], key=lambda t: float(t["points"]), reverse=True)
        tier = tiers[0 if best else rng.randrange(len(tiers))]
        bound = tier["at_least"] if tier["at_least"] is not None else tier["at_most"]
        value = str(bound)
        if question.answer_type == "number":
            return {"number": value}
        return {"numerator": value, "denominator": "100"}
    if question.answer_type == "date":
        return {"date": f"20{rng.randint(20, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"}
    return {"text": "Kegiatan rutin bersama Forum Anak Daerah."}


def fill_answers(evaluation: Evaluation, *, seed: int, strength: float, by: User | None = None) -> int:
    """Answer every question of the evaluation through the answering service; returns the number answered."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    entries = {e.indicator_id: e for e in evaluation.entries.all()}
    questions = Question.objects.filter(indicator__framework_id=evaluation.cycle.framework_id).order_by(
        "indicator__position", "position"
    )
    count = 0
    for question in questions:
        answer_save(
            entry=entries[question.indicator_id],
            question=question,
            raw_value=answer_for(question, strength, rng),
            justification="Data demo.",
            expected_version=None,
            by=by,
        )
        count += 1
    return count
