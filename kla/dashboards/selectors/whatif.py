"""The what-if sandbox of the secretariat: the evaluation's current answers in a scratch copy (the changed answers
only, kept in the user's session), scored by the same engine as real answers.

Nothing here writes an answer: the real entries are only read. The figures are the kab/kota's own evaluasi mandiri
(EM), which it may see; the predicate shown is the band its EM score would fall in, never a verified result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from kla.evaluations.gate import passes_gate
from kla.evaluations.models import Answer, Evaluation
from kla.evaluations.scoring_adapter import Scored, rule_of, score_answer
from kla.indicators import scoring
from kla.indicators.bands import BandRule, predicate_for
from kla.indicators.models import Question
from kla.indicators.selectors import band_rules

TOP = 10


def session_key(evaluation: Evaluation) -> str:
    return f"kla.whatif.{evaluation.pk}"


def scratch(session: SessionBase, evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """Question code → the raw answer tried in the sandbox (only those changed)."""
    return dict(session.get(session_key(evaluation), {}))


def try_answer(
    session: SessionBase, evaluation: Evaluation, question: Question, raw: dict[str, Any], *, today: dt.date
) -> Scored:
    """Validate and score `raw` as a real save would (ValidationError for what a real save refuses), then keep it in
    the scratch copy. The database is not written."""
    scored = score_answer(question, raw, today=today)
    changed = scratch(session, evaluation)
    changed[question.code] = scored.value
    session[session_key(evaluation)] = changed
    return scored


def reset(session: SessionBase, evaluation: Evaluation) -> None:
    session.pop(session_key(evaluation), None)


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    max_points: Decimal
    real: Decimal
    trial: Decimal

    @property
    def attainable(self) -> Decimal:
        """Points still to gain in the sandbox."""
        return self.max_points - self.trial

    @property
    def change(self) -> Decimal:
        return self.trial - self.real


@dataclass
class Sandbox:
    evaluation: Evaluation
    questions: list[tuple[Question, dict[str, Any], bool]]  # question, its value in the sandbox, changed?
    lines: list[IndicatorLine]
    real: Decimal
    trial: Decimal
    gate: Decimal
    bands: list[BandRule] = field(default_factory=list)

    @property
    def real_band(self) -> BandRule | None:
        return predicate_for(self.real, self.bands)

    @property
    def trial_band(self) -> BandRule | None:
        return predicate_for(self.trial, self.bands)

    @property
    def passes(self) -> bool:
        return passes_gate(self.trial, self.gate)

    @property
    def most_attainable(self) -> list[IndicatorLine]:
        return sorted((x for x in self.lines if x.attainable > 0), key=lambda x: (-x.attainable, x.code))[:TOP]

    @property
    def changed(self) -> list[IndicatorLine]:
        return [x for x in self.lines if x.change]


def sandbox(evaluation: Evaluation, changed: dict[str, dict[str, Any]]) -> Sandbox:
    """Real and trial scores per indicator and in total (three queries: questions, answers, bands)."""
    framework = evaluation.cycle.framework
    questions = list(
        Question.objects.filter(indicator__framework_id=framework.pk)
        .select_related("indicator__cluster")
        .order_by("indicator__position", "position", "pk")
    )
    stored = {
        code: value
        for code, value in Answer.objects.filter(entry__evaluation=evaluation).values_list("question__code", "value")
    }
    trial = {**stored, **changed}
    by_indicator: dict[int, list[Question]] = {}
    for q in questions:
        by_indicator.setdefault(q.indicator_id, []).append(q)
    lines = []
    for group in by_indicator.values():
        indicator = group[0].indicator
        rules = [rule_of(q) for q in group]
        real = scoring.score_indicator(indicator.code, indicator.max_points, rules, stored)
        tried = scoring.score_indicator(indicator.code, indicator.max_points, rules, trial)
        lines.append(
            IndicatorLine(indicator.code, indicator.display_name, indicator.max_points, real.total, tried.total)
        )
    return Sandbox(
        evaluation=evaluation,
        questions=[(q, trial.get(q.code) or {}, q.code in changed) for q in questions],
        lines=lines,
        real=sum((x.real for x in lines), Decimal("0.00")),
        trial=sum((x.trial for x in lines), Decimal("0.00")),
        gate=framework.gate_min_exclusive,
        bands=band_rules(framework.pk),
    )
