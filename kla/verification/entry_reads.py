"""What the entry review page and the verdict answer read, compiled once per process (`kla.core.compiled`).

Every reviewer's request for an entry repeats the same few queries with another id: the entry with its evaluation,
cycle, framework, region and indicator; its agencies; its answers, files and verdicts. Building and compiling them
cost more CPU than running them, so each is a `CompiledQuery`. The questions of an indicator are instrument facts:
a framework's rows change only when `indicators.services.framework_load` replaces them, which stamps a new
`loaded_at` and file hash, so they are kept per process under the framework's id, `loaded_at`, hash and the
indicator (never stale: a reload is a new key).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.http import Http404

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.core.compiled import CompiledQuery
from kla.evaluations.access import ENTRY_RELATED
from kla.evaluations.models import Answer, Assignment, Entry
from kla.evidence.models import Evidence
from kla.indicators.models import Framework, Question
from kla.verification.models import Verdict

_ENTRY: CompiledQuery[Entry] = CompiledQuery(lambda pk: Entry.objects.select_related(*ENTRY_RELATED).filter(pk=pk), int)
_ASSIGNMENTS: CompiledQuery[Assignment] = CompiledQuery(
    lambda pk: Assignment.objects.filter(entry_id=pk).select_related("agency").order_by("pk"), int
)
_ANSWERS: CompiledQuery[Answer] = CompiledQuery(lambda pk: Answer.objects.filter(entry_id=pk), int)
_ANSWER: CompiledQuery[Answer] = CompiledQuery(
    lambda pk, question: Answer.objects.filter(entry_id=pk, question_id=question), int, int
)
# every file of the entry, replaced versions too (their events belong to the entry's history)
_FILES: CompiledQuery[Evidence] = CompiledQuery(
    lambda pk: Evidence.objects.filter(entry_id=pk).order_by("uploaded_at"), int
)
_QUESTION_FILES: CompiledQuery[Evidence] = CompiledQuery(
    lambda pk, question: (
        Evidence.objects.filter(entry_id=pk, question_id=question)
        .exclude(status=Evidence.Status.REPLACED)
        .order_by("uploaded_at")
    ),
    int,
    int,
)
_VERDICTS: CompiledQuery[Verdict] = CompiledQuery(
    lambda pk: Verdict.objects.filter(entry_id=pk, question__isnull=False).select_related("decided_by"), int
)
_QUESTION_VERDICTS: CompiledQuery[Verdict] = CompiledQuery(
    lambda pk, question: Verdict.objects.filter(entry_id=pk, question_id=question).select_related("decided_by"),
    int,
    int,
)


def entry_in_scope(user: User, pk: int) -> Entry:
    """The entry with its evaluation, cycle, framework, region and indicator (one compiled query) if it lies in the
    user's scope: the decision and the one 404 answer of `kla.accounts.access.get_in_scope`."""
    found = _ENTRY.fetch(pk)
    if not found or not access.can(user, Action.EVALUATION_VIEW, found[0].evaluation.region_id):
        raise Http404(access.NOT_FOUND)
    return found[0]


def entry_again(pk: int) -> Entry:
    """The entry read afresh (a service's own read inside its transaction), as `entry_in_scope` reads it."""
    found = _ENTRY.fetch(pk)
    if not found:
        raise Entry.DoesNotExist
    return found[0]


def agency_names(entry: Entry) -> list[str]:
    """The short names of the agencies the entry is assigned to."""
    return [a.agency.short_name for a in _ASSIGNMENTS.fetch(entry.pk)]


def questions_of(entry: Entry) -> tuple[Question, ...]:
    """The questions of the entry's indicator in order, from the per-process copy of the instrument (the entry must
    come with its framework: `entry_in_scope`). The instances are shared: read them, never change them."""
    framework: Framework = entry.evaluation.cycle.framework
    return _questions(framework.pk, framework.loaded_at.isoformat(), framework.file_sha256, entry.indicator_id)


@functools.lru_cache(maxsize=512)
def _questions(framework_id: int, loaded_at: str, sha: str, indicator_id: int) -> tuple[Question, ...]:
    del framework_id, loaded_at, sha  # the key: a reloaded framework is a new entry of the cache
    return tuple(Question.objects.filter(indicator_id=indicator_id).order_by("position"))


@dataclass
class EntryRows:
    """The rows of one entry the review page shows, by question; `answer_ids` and `file_ids` (replaced versions
    included) are what its history reads the events of."""

    answers: dict[int, Answer] = field(default_factory=dict)
    files: dict[int, list[Evidence]] = field(default_factory=dict)
    verdicts: dict[int, dict[str, Verdict]] = field(default_factory=dict)
    answer_ids: list[int] = field(default_factory=list)
    file_ids: list[int] = field(default_factory=list)


def entry_rows(entry: Entry, question: Question | None = None) -> EntryRows:
    """Answers, files (without replaced versions) and verdicts of every stage of the entry, or of one question of it
    (three compiled queries either way)."""
    rows = EntryRows()
    if question is None:
        answers, files = _ANSWERS.fetch(entry.pk), _FILES.fetch(entry.pk)
        verdicts = _VERDICTS.fetch(entry.pk)
    else:
        answers, files = _ANSWER.fetch(entry.pk, question.pk), _QUESTION_FILES.fetch(entry.pk, question.pk)
        verdicts = _QUESTION_VERDICTS.fetch(entry.pk, question.pk)
    for answer in answers:
        rows.answers[answer.question_id] = answer
        rows.answer_ids.append(answer.pk)
    for f in files:
        rows.file_ids.append(f.pk)
        if f.status != Evidence.Status.REPLACED:
            rows.files.setdefault(f.question_id, []).append(f)
    for v in verdicts:
        if v.question_id is not None:
            rows.verdicts.setdefault(v.question_id, {})[v.stage] = v
    return rows
