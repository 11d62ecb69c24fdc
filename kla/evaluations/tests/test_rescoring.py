"""The national re-score (`rescoring.rescore`) gives exactly the totals of scoring each evaluation answer by answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kla.evaluations import rescoring
from kla.evaluations.models import Answer, Cycle, Evaluation
from kla.evaluations.scoring_adapter import score_answer
from kla.evaluations.selectors import em_total
from kla.evaluations.services import answer_save

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _raw(question: Any, variant: int) -> dict[str, Any]:
    """A valid answer of every type, varied so that several texts (and scores) occur per question."""
    spec = question.spec
    if question.answer_type == "option":
        options = spec["options"]
        return {"option": options[variant % len(options)]["code"]}
    if question.answer_type == "yes_no":
        return {"yes": variant % 2 == 0}
    if question.answer_type == "number":
        return {"number": str([0, 3, 12.5, 40][variant % 4])}
    if question.answer_type == "percentage":
        return {"numerator": str([0, 45, 91, 120][variant % 4]), "denominator": ["100", "100", "100", "0"][variant % 4]}
    if question.answer_type == "date":
        return {"date": "2024-01-15"}
    return {"text": f"Inovasi layanan {variant}"}


def _answer_everything(evaluation: Evaluation, seed: int) -> None:
    entries = evaluation.entries.select_related("indicator", "evaluation__cycle").order_by("indicator__position")
    for i, entry in enumerate(entries):
        for j, question in enumerate(entry.indicator.questions.order_by("position")):
            if (i + j + seed) % 7 == 0:
                continue  # some questions stay unanswered
            raw = _raw(question, i + j + seed) if (i + j) % 5 else {}
            answer_save(entry=entry, question=question, raw_value=raw, expected_version=None, by=None)


def _answer_by_answer(evaluation: Evaluation) -> Decimal:
    """The per-evaluation path: every answer through `score_answer` (what saving it does), added up."""
    answers = Answer.objects.filter(entry__evaluation=evaluation).select_related("question")
    return sum((score_answer(a.question, a.value, today=TODAY).points for a in answers), Decimal(0))


def _two_answered(seed_palembang: int, seed_lubuklinggau: int) -> tuple[Cycle, Evaluation, Evaluation]:
    """The demo cycle with Palembang's and Lubuklinggau's evaluations answered (each by its own seed)."""
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    palembang = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    lubuklinggau = Evaluation.objects.get(cycle=cycle, region_id="16.73")
    _answer_everything(palembang, seed_palembang)
    _answer_everything(lubuklinggau, seed_lubuklinggau)
    return cycle, palembang, lubuklinggau


def test_rescore_equals_scoring_each_evaluation_answer_by_answer() -> None:
    cycle, palembang, lubuklinggau = _two_answered(0, 3)

    result = rescoring.rescore(cycle)

    assert set(result.totals) == {palembang.pk, lubuklinggau.pk}  # evaluations without answers are absent (0)
    for evaluation in (palembang, lubuklinggau):
        expected = _answer_by_answer(evaluation)
        assert expected > 0
        assert result.totals[evaluation.pk] == expected == em_total(evaluation)
    assert result.answers == Answer.objects.filter(entry__evaluation__cycle=cycle).count()
    assert 0 < result.distinct < result.answers
    assert result.invalid == 0
    assert rescoring.rescore_totals() == result.totals  # every cycle: only this one has answers
    assert rescoring.differences(cycle)[1] == {}
    call_command("check_scores", "--cycle", cycle.code)


def test_a_stored_answer_that_no_longer_fits_scores_zero_and_is_reported() -> None:
    cycle = Cycle.objects.get(code="evaluasi-kla-demo")
    palembang = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    _answer_everything(palembang, 1)
    answer = (
        Answer.objects.filter(entry__evaluation=palembang, question__answer_type="option", points__gt=0)
        .select_related("question")
        .first()
    )
    assert answer is not None
    Answer.objects.filter(pk=answer.pk).update(value={"option": "dihapus"})  # e.g. an option code that went away

    engine, diff = rescoring.differences(cycle)

    assert engine.invalid == 1
    assert diff == {palembang.pk: (em_total(palembang), em_total(palembang) - answer.points)}
    with pytest.raises(CommandError, match="1 evaluasi berbeda"):
        call_command("check_scores", "--cycle", cycle.code)


def test_a_stored_bare_json_number_is_told_apart_from_its_question_id() -> None:
    """Pieces join question id and JSON text without a separator; a bare number (never saved by the forms, but an
    import could store one) would run into the id, so the re-score then reads the pieces again with "=" between."""
    cycle, palembang, lubuklinggau = _two_answered(2, 4)
    answers = Answer.objects.filter(entry__evaluation=palembang, points__gt=0).order_by("pk")
    number, decimal = answers[0], answers[1]
    Answer.objects.filter(pk=number.pk).update(value=7)
    Answer.objects.filter(pk=decimal.pk).update(value=0.5)

    result = rescoring.rescore(cycle)

    assert result.invalid == 2  # not JSON objects: the engine scores them 0
    assert result.totals == {
        palembang.pk: em_total(palembang) - number.points - decimal.points,
        lubuklinggau.pk: _answer_by_answer(lubuklinggau),
    }
    assert result.answers == Answer.objects.filter(entry__evaluation__cycle=cycle).count()


def test_rescore_matches_national_data_answer_by_answer() -> None:
    from bench.national_data import seed_national

    seed_national(provinces=["75"])  # Gorontalo: 6 kab/kota, two cycles, answers in every workflow state
    evaluations = list(
        Evaluation.objects.filter(cycle__code__startswith="nasional-", entries__answers__isnull=False).distinct()
    )
    totals = rescoring.rescore_totals()
    assert len(evaluations) >= 6
    for evaluation in evaluations:
        assert totals[evaluation.pk] == _answer_by_answer(evaluation) == em_total(evaluation)
