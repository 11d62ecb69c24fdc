"""Re-scoring stored answers with the engine, a whole cycle (or every cycle) at once.

Saving an answer scores it (`services.answer_save` → `scoring_adapter.score_answer`) and stores its points, and the
live EM score is their sum (`selectors.em_total`). `rescore_totals` recomputes those totals from the stored *answers*
instead of the stored points, with the same engine (`kla.indicators.scoring.score_question`, which `score_answer`
calls for the points), so it answers "would the engine give the same scores today?", e.g. after a platform upgrade
changed the engine's code, after a restore, or before trusting points written by an import. `manage.py
check_scores` reports the evaluations where the two disagree.

It is built for national scale (1,028 evaluations, ~100,000 answers): one query returns each evaluation's answers
as one string of pieces, each a question id directly followed by the stored JSON text, so no JSON is decoded and no
row object built per answer, and the engine runs once per distinct piece, about 1,500 of them nationally (a dict
scores a piece when it first meets it): the engine is a pure function of a question's rubric and the answer, so
equal texts score equally. The id is the piece's leading digits, since JSON text starts with a digit only when it
is a bare number, which the forms never store; should an import have stored one, the query runs again with "="
between id and text (each concatenation per answer costs the database a fifth to a third of the time the SQL sum
of the points takes, so the common case goes without it). Points are summed as integer cents (every question score
is on the 0.01 grid), which is exact.

When the engine's rules change (a percentage above 100 % now scores 0), `apply_to_drafts` stores the engine's points
on the answers of evaluations still being filled in; submitted evaluations keep the points they were submitted with
(their EM snapshot and reviews rest on them), which `differences` keeps reporting.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import StringAgg, Sum, TextField, Value
from django.db.models.functions import Cast, Concat

from kla.core import audit
from kla.evaluations.models import Answer, Cycle, Evaluation
from kla.evaluations.scoring_adapter import rule_of
from kla.indicators import scoring
from kla.indicators.models import Question


@dataclass
class Rescored:
    totals: dict[int, Decimal] = field(default_factory=dict)  # evaluation id → engine total (only those with answers)
    answers: int = 0
    distinct: int = 0  # distinct (question, stored answer) pairs the engine scored
    invalid: int = 0  # distinct stored answers that no longer fit their question (scored 0 by the engine)


def _answers(cycle: Cycle | None, evaluation_ids: Sequence[int] | None = None) -> Any:
    qs = Answer.objects.all() if cycle is None else Answer.objects.filter(entry__evaluation__cycle=cycle)
    if evaluation_ids is not None:  # a chunk of a background re-score (`kla.evaluations.rescore_runs`)
        qs = qs.filter(entry__evaluation_id__in=evaluation_ids)
    return qs


_SEP = "\x1f"  # never inside JSON text: control characters in JSON strings are always escaped
_DIGITS = "0123456789"
_AFTER_ID = frozenset('{["tfn- \t\n\r')  # what JSON text may start with, digits aside


class _Ambiguous(Exception):
    """A stored answer is a bare JSON number, so its digits run into the question id's in a piece without "="."""


def rescore(cycle: Cycle | None = None) -> Rescored:
    """Score every stored answer of `cycle` (of every cycle when None) with the engine; totals per evaluation."""
    return Rescorer(cycle).rescore()


class Rescorer:
    """The engine's totals of a cycle's evaluations, all at once or a chunk of evaluations at a time; the rules
    and the points of each distinct stored answer are kept from one chunk to the next."""

    def __init__(self, cycle: Cycle | None) -> None:
        questions = Question.objects.all()
        if cycle is not None:
            questions = questions.filter(indicator__framework_id=cycle.framework_id)
        self.cycle = cycle
        self.rules = {
            row[0]: _rule(row)
            for row in questions.values_list(
                "pk", "code", "answer_type", "max_points", Cast("spec", TextField())
            ).order_by()
        }
        self.between = ""
        self.cents = _Cents(self.rules, self.between)

    def rescore(self, evaluation_ids: Sequence[int] | None = None) -> Rescored:
        """The engine's totals of `evaluation_ids` (every evaluation of the cycle when None)."""
        try:
            return self._rescore(evaluation_ids)
        except _Ambiguous:  # never from what the forms save (JSON objects); possible after an import: tell apart
            self.between = "="
            self.cents = _Cents(self.rules, self.between)
            return self._rescore(evaluation_ids)

    def _rescore(self, evaluation_ids: Sequence[int] | None) -> Rescored:
        # one row per evaluation: its answers as "question id, stored JSON text" pieces, so the JSON is not decoded
        # (nor a Python row built) per answer; the database only concatenates, the engine does all the scoring
        question_id, stored = Cast("question_id", TextField()), Cast("value", TextField())
        parts = (question_id, Value(self.between), stored) if self.between else (question_id, stored)
        rows = (
            _answers(self.cycle, evaluation_ids)
            .order_by()
            .values("entry__evaluation_id")
            .annotate(pieces=StringAgg(Concat(*parts, output_field=TextField()), Value(_SEP)))
            .values_list("entry__evaluation_id", "pieces")
        )
        out = Rescored()
        cents = self.cents  # piece → points in cents; a miss runs the engine on it
        invalid = cents.invalid
        for evaluation_id, joined in rows:
            pieces = joined.split(_SEP)
            out.totals[evaluation_id] = Decimal(sum(map(cents.__getitem__, pieces))).scaleb(-2)
            out.answers += len(pieces)
        out.distinct = len(cents)
        out.invalid = cents.invalid - invalid if evaluation_ids is not None else cents.invalid
        return out


def rescore_totals(cycle: Cycle | None = None) -> dict[int, Decimal]:
    """Evaluation id → the engine's total of its stored answers; evaluations without answers are absent (0)."""
    return rescore(cycle).totals


class _Cents(dict[str, int]):
    """Points in cents per piece (question id, `between`, stored JSON text), filled on first sight: one engine run
    per distinct piece. Without `between`, the id is the piece's leading digits, which is exact whenever the JSON
    text does not start with a digit; when it does, `_Ambiguous` is raised."""

    def __init__(self, rules: dict[int, scoring.QuestionRule], between: str) -> None:
        super().__init__()
        self.rules = rules
        self.between = between
        self.invalid = 0  # distinct pieces the engine found no longer fitting their question

    def __missing__(self, piece: str) -> int:
        if self.between:
            question_id, _, stored = piece.partition(self.between)
        else:
            stored = piece.lstrip(_DIGITS)
            if stored[:1] not in _AFTER_ID:  # empty too: the whole piece was digits
                raise _Ambiguous(piece)
            question_id = piece[: len(piece) - len(stored)]
        rule = self.rules.get(int(question_id))
        if rule is None:  # an answer to a question of another framework than the cycle's: read it on its own
            rule = self.rules[int(question_id)] = rule_of(Question.objects.get(pk=int(question_id)))
        key = (rule, stored)
        known = _ENGINE.get(key)
        if known is None:
            result = scoring.score_question(rule, json.loads(stored) if stored else None)
            # exact: every question's points are on the 0.01 grid
            known = (int(result.points.scaleb(2)), bool(result.error))
            if len(_ENGINE) >= ENGINE_CACHE_MAX:
                _ENGINE.clear()
            _ENGINE[key] = known
        cents, invalid = known
        self.invalid += invalid
        self[piece] = cents
        return cents


def _rule(row: tuple[int, str, str, Decimal, str]) -> scoring.QuestionRule:
    """A question's rule from its row (spec as stored JSON text), the same object for the same row for the life of
    the process: built once, and found at once in `_ENGINE` (a dictionary compares the very same key first)."""
    rule = _RULES.get(row)
    if rule is None:
        _pk, code, answer_type, max_points, spec = row
        if len(_RULES) >= ENGINE_CACHE_MAX:
            _RULES.clear()
        rule = _RULES[row] = scoring.QuestionRule.from_spec(code, answer_type, max_points, json.loads(spec or "{}"))
    return rule


_RULES: dict[tuple[int, str, str, Decimal, str], scoring.QuestionRule] = {}


# The engine's points (in cents) and whether the answer no longer fits, per (rule, stored JSON text), kept for the
# life of the process: the engine is a pure function of the two, and the key holds the whole rule (options,
# thresholds, maximum), so a question whose rubric changed is scored afresh. A second re-score of the same answers
# (the check after an upgrade, the background run after `check_scores`) then runs no engine at all.
ENGINE_CACHE_MAX = 100_000
_ENGINE: dict[tuple[scoring.QuestionRule, str], tuple[int, bool]] = {}


def stored_totals(cycle: Cycle | None = None, evaluation_ids: Sequence[int] | None = None) -> dict[int, Decimal]:
    """Evaluation id → the sum of the points stored on its answers (the live EM score), in one aggregate query."""
    rows = _answers(cycle, evaluation_ids).values("entry__evaluation_id").annotate(t=Sum("points")).order_by()
    return {r["entry__evaluation_id"]: Decimal(r["t"] or 0).quantize(scoring.CENT) for r in rows}


def differences(cycle: Cycle | None = None) -> tuple[Rescored, dict[int, tuple[Decimal, Decimal]]]:
    """The re-score, and evaluation id → (stored total, engine total) wherever the two differ."""
    engine = rescore(cycle)
    stored = stored_totals(cycle)
    diff = {
        pk: (stored.get(pk, scoring.ZERO), engine.totals.get(pk, scoring.ZERO))
        for pk in stored.keys() | engine.totals.keys()
        if stored.get(pk, scoring.ZERO) != engine.totals.get(pk, scoring.ZERO)
    }
    return engine, diff


@transaction.atomic
def apply_to_drafts(cycle: Cycle | None = None) -> int:
    """Store the engine's points and explanation on every answer of an evaluation still in self-assessment whose
    stored ones differ; returns how many answers changed, each audited (`kla.answer.rescored`, by the platform).

    The engine runs once per distinct (question, stored answer); only the answers that change are locked and written.
    """
    rows = _answers(cycle).filter(entry__evaluation__status=Evaluation.Status.DRAFT)
    rules: dict[int, scoring.QuestionRule] = {}
    scores: dict[tuple[int, str], scoring.QuestionScore] = {}
    changed: dict[int, scoring.QuestionScore] = {}
    for pk, question_id, value, points, explanation in rows.values_list(
        "pk", "question_id", "value", "points", "explanation"
    ).iterator():
        key = (question_id, json.dumps(value, sort_keys=True))
        if key not in scores:
            if question_id not in rules:
                rules[question_id] = rule_of(Question.objects.get(pk=question_id))
            scores[key] = scoring.score_question(rules[question_id], value)
        score = scores[key]
        if score.points != points or score.explanation[:300] != explanation:
            changed[pk] = score
    answers = Answer.objects.select_for_update().select_related("question", "entry__evaluation__region")
    for answer in answers.filter(pk__in=changed).order_by("pk"):
        score = changed[answer.pk]
        before = {"points": str(answer.points), "explanation": answer.explanation}
        answer.points, answer.explanation = score.points, score.explanation[:300]
        answer.save(update_fields=["points", "explanation"])
        audit.record(
            action="kla.answer.rescored",
            by=None,
            obj=answer,
            object_label=f"{answer.question.code} · {answer.entry.evaluation.region.name}",
            region_code=answer.entry.evaluation.region_id,
            before=before,
            after={"points": str(answer.points), "explanation": answer.explanation},
            reason="Dinilai ulang dengan aturan penilaian yang berlaku.",
        )
    return len(changed)
