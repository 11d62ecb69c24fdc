"""Bridge between stored questions/answers and the pure scoring engine (`kla.indicators.scoring`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from kla.indicators import scoring
from kla.indicators.models import Question


@dataclass(frozen=True)
class Scored:
    value: dict[str, Any]
    answered: bool
    points: Decimal
    explanation: str
    warnings: list[dict[str, str]] = field(default_factory=list)


def rule_of(question: Question) -> scoring.QuestionRule:
    return scoring.QuestionRule.from_spec(question.code, question.answer_type, question.max_points, question.spec)


def score_answer(question: Question, raw: dict[str, Any], *, today: dt.date) -> Scored:
    """Validate, score and soft-check one raw answer; a malformed or out-of-range answer raises ValidationError."""
    rule = rule_of(question)
    try:
        codes = tuple(o.code for o in rule.options)
        value = scoring.parse_answer(rule.answer_type, raw, option_codes=codes or None)
    except scoring.AnswerError as exc:
        raise ValidationError(exc.message_id) from None
    result = scoring.score_question(rule, raw)
    warnings = [{"code": w.code, "message": w.message} for w in scoring.soft_warnings(rule, value, today=today)]
    stored = {k: v.strip() if isinstance(v, str) else v for k, v in raw.items()} if value is not None else {}
    return Scored(
        value=stored, answered=result.answered, points=result.points, explanation=result.explanation, warnings=warnings
    )
