"""The reads of the entry page and of its autosave after the gate (`access.get_entry_for_user`), compiled once per
process (`kla.core.compiled`).

The operator's entry page and autosave are the most requested pages of the peak hour: building and compiling their
querysets (the answers, the live score, the region's extension, the questions) cost more CPU than running them.
Here each query is built with placeholder values once per process and afterwards only run with new values. The
questions of an indicator are instrument facts, immutable once the framework is loaded: they are kept per process,
keyed by the framework and its `loaded_at` (a reload of the instrument is read afresh).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.evaluations.models import Answer, Entry, StageExtension
from kla.evaluations.services.writability import Deadline
from kla.evaluations.stages import Stage
from kla.indicators.models import Question

if TYPE_CHECKING:
    from kla.evaluations.models import Cycle

_ANSWERS: CompiledQuery[Answer] = CompiledQuery(lambda entry_id: Answer.objects.filter(entry_id=entry_id), int)
_QUESTIONS: CompiledQuery[Question] = CompiledQuery(
    lambda framework_id: Question.objects.filter(indicator__framework_id=framework_id).order_by(
        "indicator_id", "position"
    ),
    int,
)


def _extension(cycle_id: int, stage: str, region_id: str) -> QuerySet[StageExtension, Any]:
    found = StageExtension.objects.filter(cycle_id=cycle_id, stage=stage, region_id=region_id)
    return found.order_by().values_list("ends_at")[:1]


_EXTENSION = CompiledRows(_extension, int, str, str)


_QUESTION_CACHE: dict[tuple[int, dt.datetime], dict[int, tuple[Question, ...]]] = {}
QUESTION_CACHE_SIZE = 20  # frameworks (a national instrument per cycle; a reload is a new key)


def questions_of(entry: Entry) -> tuple[Question, ...]:
    """The indicator's questions in order, from the per-process copy of the loaded framework's questions (read in
    one query the first time any of its entries asks; no query afterwards). Callers only read them."""
    framework = entry.evaluation.cycle.framework
    key = (framework.pk, framework.loaded_at)
    found = _QUESTION_CACHE.get(key)
    if found is None:
        if len(_QUESTION_CACHE) >= QUESTION_CACHE_SIZE:
            _QUESTION_CACHE.clear()
        by_indicator: dict[int, list[Question]] = {}
        for question in _QUESTIONS.fetch(framework.pk):
            by_indicator.setdefault(question.indicator_id, []).append(question)
        found = _QUESTION_CACHE[key] = {pk: tuple(questions) for pk, questions in by_indicator.items()}
    return found.get(entry.indicator_id, ())


def question_of(entry: Entry, question_pk: int) -> Question | None:
    """One question of the entry's indicator, or None when it is not one of them (no query when known)."""
    return next((q for q in questions_of(entry) if q.pk == question_pk), None)


def entry_questions(entry: Entry) -> list[tuple[Question, Answer | None]]:
    """The entry's questions in order, each with its saved answer (one query)."""
    answers = {a.question_id: a for a in _ANSWERS.fetch(entry.pk)}
    return [(q, answers.get(q.pk)) for q in questions_of(entry)]


def self_assessment_deadline(cycle: Cycle, region_id: str) -> Deadline | None:
    """`services.deadline_of(cycle, Stage.SELF_ASSESSMENT, region_id)` with its extension query compiled."""
    found = next((d for d in cycle.deadlines.all() if d.stage == Stage.SELF_ASSESSMENT), None)
    if found is None:
        return None
    deadline = Deadline(Stage(found.stage), found.starts_at, found.ends_at)
    rows = _EXTENSION.fetch(cycle.pk, Stage.SELF_ASSESSMENT.value, region_id)
    extension = rows[0][0] if rows else None
    if extension is None or extension <= found.ends_at:
        return deadline
    return Deadline(deadline.stage, deadline.starts_at, extension, extended=True)
