"""Saving one answer: scored at save time, refused on a stale version, audited, with the live totals it changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.core import audit
from kla.evaluations import scoring_adapter
from kla.evaluations.models import Answer, Entry
from kla.evaluations.selectors import live_totals
from kla.evaluations.services.writability import require_can_change_entry
from kla.indicators.models import Question
from kla.indicators.scoring import needs_explanation

if TYPE_CHECKING:
    from kla.accounts.models import User


@dataclass
class AnswerConflict(Exception):
    """Someone saved this answer after the form was loaded; nothing was overwritten."""

    stored: Answer
    attempted_value: dict[str, Any]
    attempted_justification: str


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    warnings: list[dict[str, str]] = field(default_factory=list)
    needs_justification: bool = False
    em_total: Decimal = Decimal("0.00")  # the evaluation's live EM score after this save
    entry_points: Decimal = Decimal("0.00")  # this entry's points after this save


@transaction.atomic
def answer_save(
    *,
    entry: Entry,
    question: Question,
    raw_value: dict[str, Any],
    justification: str = "",
    expected_version: int | None,
    by: User | None,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Save one answer, score it and return the soft warnings.

    `expected_version` is the version the form was loaded with: if someone saved in between, `AnswerConflict` is
    raised with both versions and nothing is written. Out-of-range or malformed values raise ValidationError;
    soft problems (e.g. numerator > denominator, which also scores 0) are saved but flagged: until explained, the
    answer does not count as complete and the evaluation cannot be submitted.
    """
    now = now or timezone.now()
    if question.indicator_id != entry.indicator_id:
        raise ValidationError(gettext("Pertanyaan ini bukan bagian dari indikator tersebut."))
    require_can_change_entry(entry, by, now)
    scored = scoring_adapter.score_answer(question, raw_value, today=timezone.localdate(now))
    justification = justification.strip()[:2000]
    answer, _created = Answer.objects.select_for_update().get_or_create(entry=entry, question=question)
    if expected_version is not None and answer.version != expected_version:
        raise AnswerConflict(stored=answer, attempted_value=raw_value, attempted_justification=justification)
    before = {"value": answer.value, "points": str(answer.points), "justification": answer.justification}
    answer.value = scored.value
    answer.points = scored.points
    answer.explanation = scored.explanation[:300]
    answer.warnings = scored.warnings
    answer.answered = scored.answered
    answer.justification = justification
    answer.needs_justification = needs_explanation(scored.warnings, justification)
    answer.version += 1
    answer.updated_by = by
    answer.save()
    audit.record(
        action="kla.answer.saved",
        by=by,
        obj=answer,
        object_label=f"{question.code} · {entry.evaluation.region.name}",
        region_code=entry.evaluation.region_id,
        before=before,
        after={"value": answer.value, "points": str(answer.points), "justification": justification},
    )
    # read before the commit: once the save has committed, nothing more is read from the database for the answer, so
    # a connection lost at that moment cannot turn a stored save into an error page
    em, entry_points = live_totals(entry)
    return SaveResult(
        answer=answer,
        warnings=scored.warnings,
        needs_justification=answer.needs_justification,
        em_total=em,
        entry_points=entry_points,
    )
