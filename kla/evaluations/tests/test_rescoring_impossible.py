"""Answers stored before a percentage above 100 % scored 0: the re-score applies the rule, `apply_to_drafts` stores it
on evaluations still being filled in, and submitted ones keep their points (reported)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kla.core.models import AuditEvent
from kla.evaluations import rescoring
from kla.evaluations.models import Answer, Cycle, Entry, Evaluation
from kla.evaluations.selectors import em_total
from kla.evaluations.services import answer_save

pytestmark = pytest.mark.django_db
OLD_EXPLANATION = "Persentase 120/100 = 120,00% ≥ 90 → 25 poin dari 25"  # what the engine stored before


def _stored_as_before(evaluation: Evaluation) -> Answer:
    """A 120/100 answer saved by the former engine: full points, the warning, explained."""
    entry = Entry.objects.select_related("indicator").get(evaluation=evaluation, indicator__number=4)
    question = entry.indicator.questions.filter(answer_type="percentage").order_by("position").first()
    result = answer_save(
        entry=entry,
        question=question,
        raw_value={"numerator": "120", "denominator": "100"},
        justification="Termasuk anak pendatang.",
        expected_version=None,
        by=None,
    )
    Answer.objects.filter(pk=result.answer.pk).update(points=question.max_points, explanation=OLD_EXPLANATION)
    return Answer.objects.select_related("question").get(pk=result.answer.pk)


def test_the_rescore_gives_0_to_a_stored_percentage_above_100_and_reports_the_difference() -> None:
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    palembang = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    answer = _stored_as_before(palembang)
    assert em_total(palembang) == answer.question.max_points

    engine, diff = rescoring.differences(cycle)

    assert engine.totals[palembang.pk] == 0 and engine.invalid == 0
    assert diff == {palembang.pk: (answer.question.max_points, Decimal("0.00"))}
    with pytest.raises(CommandError, match="1 evaluasi berbeda"):
        call_command("check_scores", "--cycle", cycle.code)


def test_apply_to_drafts_stores_the_rule_on_evaluations_being_filled_in_only() -> None:
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    palembang = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    lubuklinggau = Evaluation.objects.get(cycle=cycle, region_id="16.73")
    draft, submitted = _stored_as_before(palembang), _stored_as_before(lubuklinggau)
    Evaluation.objects.filter(pk=lubuklinggau.pk).update(status=Evaluation.Status.SUBMITTED)

    assert rescoring.apply_to_drafts(cycle) == 1
    assert rescoring.apply_to_drafts(cycle) == 0  # nothing left to change

    draft.refresh_from_db()
    assert draft.points == 0
    assert draft.explanation.endswith("Pembilang lebih besar dari penyebut: periksa kembali datanya.")
    assert draft.value == {"numerator": "120", "denominator": "100"} and draft.justification  # kept as typed
    submitted.refresh_from_db()
    assert (submitted.points, submitted.explanation) == (submitted.question.max_points, OLD_EXPLANATION)
    event = AuditEvent.objects.get(action="kla.answer.rescored")
    assert (event.object_id, event.region_code, event.actor_id) == (str(draft.pk), "16.71", None)
    assert event.before["points"] == str(draft.question.max_points) and event.after["points"] == "0.00"
    _engine, diff = rescoring.differences(cycle)
    assert set(diff) == {lubuklinggau.pk}  # the submitted evaluation is still reported


def test_check_scores_applies_to_drafts_on_request() -> None:
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    palembang = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    _stored_as_before(palembang)

    call_command("check_scores", "--cycle", cycle.code, "--apply-drafts")

    assert em_total(palembang) == 0
