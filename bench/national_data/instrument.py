"""The instrument, read once per run (indicators, questions, bands), and answers scored once per distinct value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bench.national_data.constants import q2
from kla.evaluations.scoring_adapter import Scored, score_answer
from kla.fieldvisits import checklists
from kla.indicators.models import Framework, Indicator, Question
from kla.indicators.scoring import BandRule, predicate_for


@dataclass(frozen=True)
class QuestionSpec:
    obj: Question
    id: int
    code: str
    max_points: Decimal
    evidence: tuple[tuple[str, str], ...]  # (type, description) from the rubric


@dataclass(frozen=True)
class IndicatorSpec:
    id: int
    code: str
    name: str
    max_points: Decimal
    agencies: tuple[str, ...]
    questions: tuple[QuestionSpec, ...]
    site_kind: checklists.SiteKind | None


@dataclass
class Instrument:
    obj: Framework
    indicators: list[IndicatorSpec]
    bands: list[BandRule]
    band_names: dict[str, str]
    gate: Decimal
    code_of: dict[int, str]  # indicator id → code

    @classmethod
    def load(cls, framework: Framework) -> Instrument:
        questions = _questions(framework)
        indicators = [
            IndicatorSpec(
                id=i.pk,
                code=i.code,
                name=i.name,
                max_points=q2(i.max_points),
                agencies=tuple(i.agencies or ()),
                questions=tuple(questions.get(i.pk, [])),
                site_kind=checklists.suggest_kind(i.name, i.short_name),
            )
            for i in Indicator.objects.filter(framework=framework).order_by("position")
        ]
        bands = [BandRule(b.code, b.name, b.min_score, b.max_score) for b in framework.bands.all()]
        return cls(
            obj=framework,
            indicators=indicators,
            bands=bands,
            band_names={b.code: b.name for b in bands},
            gate=framework.gate_min_exclusive,
            code_of={i.id: i.code for i in indicators},
        )

    def band(self, total: Decimal) -> str:
        found = predicate_for(total, self.bands)
        return found.code if found else ""


def _questions(framework: Framework) -> dict[int, list[QuestionSpec]]:
    """Questions by indicator id, in the instrument's order, with the evidence types their rubric asks for."""
    out: dict[int, list[QuestionSpec]] = {}
    for q in Question.objects.filter(indicator__framework=framework).order_by("indicator__position", "position"):
        evidence = tuple(
            (str(e.get("type", "report")), str(e.get("description", ""))) for e in (q.spec or {}).get("evidence", [])
        )
        out.setdefault(q.indicator_id, []).append(
            QuestionSpec(obj=q, id=q.pk, code=q.code, max_points=q2(q.max_points), evidence=evidence)
        )
    return out


class Scorer:
    """`score_answer` once per distinct (question, raw answer); points quantized as the database stores them."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.cache: dict[tuple[int, str], Scored] = {}

    def __call__(self, question: Question, raw: dict[str, Any]) -> Scored:
        key = (question.pk, json.dumps(raw, sort_keys=True))
        found = self.cache.get(key)
        if found is None:
            scored = score_answer(question, raw, today=self.today)
            found = dataclasses.replace(scored, points=q2(scored.points), explanation=scored.explanation[:300])
            self.cache[key] = found
        return found
