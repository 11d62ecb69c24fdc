"""What the entry review page and the verdict answer read after the gate, compiled once per process
(`kla.core.compiled`).

Every reviewer's request for an entry repeats the same few queries with another id: its agencies, its answers, files
and verdicts (and, in the verdict's service, the entry again). Building and compiling them cost more CPU than running
them, so each is a `CompiledQuery`. The gate (`evaluations.access.get_entry_in_scope`) and the indicator's questions
(`evaluations.entry_reads.questions_of`, kept per process by framework and `loaded_at`) come from the evaluations app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kla.core.compiled import CompiledQuery
from kla.evaluations.access import ENTRY_RELATED
from kla.evaluations.models import Answer, Assignment, Entry
from kla.evidence.models import Evidence
from kla.indicators.models import Question
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


def entry_again(pk: int) -> Entry:
    """The entry read afresh (a service's own read inside its transaction), as `evaluations.access.get_entry_in_scope`
    reads it."""
    found = _ENTRY.fetch(pk)
    if not found:
        raise Entry.DoesNotExist
    return found[0]


def agency_names(entry: Entry) -> list[str]:
    """The short names of the agencies the entry is assigned to."""
    return [a.agency.short_name for a in _ASSIGNMENTS.fetch(entry.pk)]


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
