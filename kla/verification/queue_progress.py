"""What the queue's "Kemajuan verifikasi" column shows for each evaluation: the questions decided out of all in an
open administrative review, the indicators given field points out of all in field verification, nothing decided yet
("belum dimulai") when a review is still to start, and the end of the review otherwise. Never a bare dash."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q

from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.workflow import State
from kla.verification.models import Verdict
from kla.verification.selectors import ReviewProgress

# States in which a review is waiting to be started (the evaluation was sent on but nobody has begun).
TO_START = frozenset({State.SUBMITTED, State.PROPOSED})


class Shown(StrEnum):
    QUESTIONS = "questions"  # an administrative review is open: questions decided / all
    INDICATORS = "indicators"  # field verification: indicators given field points / all
    TO_START = "to_start"  # the next review has not started: 0 / all questions
    CLOSED_AT_GATE = "closed_at_gate"
    DONE = "done"  # verification over (final verification, determined, published)


@dataclass(frozen=True, slots=True)
class QueueProgress:
    shown: Shown
    decided: int
    total: int
    returned_entries: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.total) if self.total else 0


def field_counts(evaluations: list[Evaluation]) -> dict[int, tuple[int, int]]:
    """(indicators with field points, indicators) per evaluation in field verification (one query, none without)."""
    ids = [e.pk for e in evaluations if e.state == State.FIELD_VERIFICATION]
    if not ids:
        return {}
    field = Q(verdicts__stage=Verdict.Stage.FIELD, verdicts__question__isnull=True)
    rows = (
        Entry.objects.filter(evaluation_id__in=ids)
        .values("evaluation_id")
        .annotate(total=Count("id", distinct=True), done=Count("verdicts", filter=field, distinct=True))
        .order_by()
    )
    return {r["evaluation_id"]: (r["done"], r["total"]) for r in rows}


def queue_progress(evaluations: list[Evaluation], review: dict[int, ReviewProgress]) -> dict[int, QueueProgress]:
    """The column for every evaluation of a queue page (`review`: `selectors.review_progress` of the same list)."""
    field = field_counts(evaluations)
    shown: dict[int, QueueProgress] = {}
    for e in evaluations:
        p = review[e.pk]
        if e.state == State.FIELD_VERIFICATION:
            done, total = field.get(e.pk, (0, 0))
            shown[e.pk] = QueueProgress(Shown.INDICATORS, done, total)
        elif e.state in (State.PROVINCE_REVIEW, State.MINISTRY_REVIEW):
            shown[e.pk] = QueueProgress(Shown.QUESTIONS, p.decided, p.questions, p.returned_entries)
        elif e.state in TO_START:
            shown[e.pk] = QueueProgress(Shown.TO_START, 0, p.questions)
        elif e.state == State.BELOW_GATE:
            shown[e.pk] = QueueProgress(Shown.CLOSED_AT_GATE, 0, p.questions)
        else:
            shown[e.pk] = QueueProgress(Shown.DONE, p.questions, p.questions)
    return shown
