"""Scoring: answers → points per question, indicator and evaluation. Pure module: no Django import.

The engine is split by subject, and this module adds up:

- `kla.indicators.points`: the 0.01 grid of points and its half-up rounding (`to_cent`);
- `kla.indicators.answers`: the JSON stored per question → a typed value (`parse_answer`), or an `AnswerError`;
- `kla.indicators.rubrics`: a question's rubric (`QuestionRule.from_spec`);
- `kla.indicators.scorers`: one scorer per answer type (`SCORERS`), `score_question`, `soft_warnings` and
  `needs_explanation` (an answer with a warning is complete only once explained);
- `kla.indicators.bands`: predicate bands and the gate (`predicate_for`, `passes_gate`, `gap_to_gate`);
- here: `score_indicator` and `score_evaluation`, whose totals are exactly the sum of their parts.

Time is passed in, never read. Their public names are importable from here, the engine's one entry point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kla.indicators.answers import (
    TEXT_MAX_CHARS,
    AnswerError,
    AnswerValue,
    PercentageAnswer,
    RawAnswer,
    parse_answer,
)
from kla.indicators.bands import BandRule, gap_to_gate, passes_gate, points_to_next_band, predicate_for
from kla.indicators.points import CENT, ZERO, to_cent
from kla.indicators.rubrics import OptionRule, QuestionRule, RubricJSON, ThresholdRule
from kla.indicators.scorers import (
    CHECK_NUMERATOR,
    LARGE_NUMBER,
    SCORERS,
    QuestionScore,
    Scorer,
    SoftWarning,
    needs_explanation,
    score_question,
    soft_warnings,
)

__all__ = [
    "CENT",
    "CHECK_NUMERATOR",
    "LARGE_NUMBER",
    "SCORERS",
    "TEXT_MAX_CHARS",
    "ZERO",
    "AnswerError",
    "AnswerValue",
    "BandRule",
    "EvaluationScore",
    "IndicatorScore",
    "OptionRule",
    "PercentageAnswer",
    "QuestionRule",
    "QuestionScore",
    "RawAnswer",
    "RubricJSON",
    "Scorer",
    "SoftWarning",
    "ThresholdRule",
    "gap_to_gate",
    "needs_explanation",
    "parse_answer",
    "passes_gate",
    "points_to_next_band",
    "predicate_for",
    "score_evaluation",
    "score_indicator",
    "score_question",
    "soft_warnings",
    "to_cent",
]


@dataclass(frozen=True, slots=True)
class IndicatorScore:  # total, answered and question_count are derived, so they always match the breakdown
    code: str
    max_points: Decimal
    questions: tuple[QuestionScore, ...]
    cluster: str = ""
    total: Decimal = field(init=False)
    answered: int = field(init=False)
    question_count: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", sum((q.points for q in self.questions), ZERO))
        object.__setattr__(self, "answered", sum(q.answered for q in self.questions))
        object.__setattr__(self, "question_count", len(self.questions))


def score_indicator(
    indicator_code: str, max_points: Decimal, rules: Sequence[QuestionRule], answers: Mapping[str, RawAnswer], *,
    cluster: str = ""
) -> IndicatorScore:  # fmt: skip
    """Score an indicator from stored answers keyed by question code (other keys are ignored). Question maxima
    adding up to more than `max_points` are refused, not capped, so the total stays the plain sum of the parts."""
    if len({r.code for r in rules}) != len(rules):
        raise ValueError(f"indikator {indicator_code}: kode pertanyaan ganda")
    if (question_max := sum((r.max_points for r in rules), ZERO)) > max_points:
        raise ValueError(f"indikator {indicator_code}: jumlah max_points pertanyaan ({question_max}) > {max_points}")
    questions = tuple(score_question(r, answers.get(r.code)) for r in rules)
    return IndicatorScore(indicator_code, max_points, questions, cluster)


@dataclass(frozen=True, slots=True)
class EvaluationScore:  # by_cluster: subtotal per IndicatorScore.cluster, in input order
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    max_total: Decimal
    answered: int
    question_count: int
    by_cluster: Mapping[str, Decimal]


def score_evaluation(indicators: Iterable[IndicatorScore]) -> EvaluationScore:
    """Add up indicator scores; the total is exactly their sum (questions were each rounded to 0.01 already)."""
    items = tuple(indicators)
    if len({i.code for i in items}) != len(items):
        raise ValueError("kode indikator ganda")
    by_cluster: dict[str, Decimal] = {}
    for i in items:
        by_cluster[i.cluster] = by_cluster.get(i.cluster, ZERO) + i.total
    return EvaluationScore(
        indicators=items,
        total=sum((i.total for i in items), ZERO).quantize(CENT),
        max_total=sum((i.max_points for i in items), ZERO),
        answered=sum(i.answered for i in items),
        question_count=sum(i.question_count for i in items),
        by_cluster=by_cluster,
    )
