"""The entry review page's reads: the per-process copy of the instrument's questions it shows follows a reload,
and a verdict of a stage the viewer may not see stays off the page and the verdict's answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from kla.evaluations.entry_reads import questions_of
from kla.indicators.models import Question
from kla.verification import entry_reads, review_counts
from kla.verification.models import Verdict
from kla.verification.tests.test_views import _in_province_review

pytestmark = pytest.mark.django_db


def test_the_copy_of_the_questions_follows_a_reload_of_the_framework(user_of: Any) -> None:
    evaluation = _in_province_review("16.71", user_of)
    pk = evaluation.entries.get(indicator__number=4).pk
    first = questions_of(entry_reads.entry_again(pk))
    assert [q.pk for q in first] == list(
        Question.objects.filter(indicator__number=4, indicator__framework=evaluation.cycle.framework)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    # `framework_load` rewrites the rows and stamps the framework (`loaded_at`, the file's hash) in one transaction
    Question.objects.filter(pk=first[0].pk).update(text="Pertanyaan yang dimuat ulang")
    framework = evaluation.cycle.framework
    framework.save()
    again = questions_of(entry_reads.entry_again(pk))
    assert again[0].text == "Pertanyaan yang dimuat ulang"


def test_a_ministry_verdict_stays_off_the_province_page_and_answer(client_for: Any, user_of: Any) -> None:
    evaluation = _in_province_review("16.71", user_of)
    entry = evaluation.entries.get(indicator__number=4)
    question = Question.objects.filter(indicator=entry.indicator).order_by("position").first()
    assert question is not None
    Verdict.objects.create(
        entry=entry,
        question=question,
        stage=Verdict.Stage.MINISTRY,
        decision=Verdict.Decision.CORRECTED,
        points=Decimal("0.37"),
        reason="Alasan tersegel Kementerian",
        decided_by=user_of("ministry_verifier"),
    )
    province = client_for("province")
    page = province.get(reverse("verification:entry", args=[entry.pk])).content.decode()
    answer = province.post(
        reverse("verification:verdict", args=[entry.pk, question.pk]),
        {"decision": "accepted", "reason": ""},
        headers={"HX-Request": "true"},
    ).content.decode()
    for text in (page, answer):
        assert "Alasan tersegel Kementerian" not in text and "0,37" not in text
        assert str(Verdict.Stage.MINISTRY.label) not in text
    assert "Keputusan tersimpan" in answer and str(Verdict.Stage.PROVINCE.label) in answer
    ministry = client_for("ministry_verifier").get(reverse("verification:entry", args=[entry.pk])).content.decode()
    assert "Alasan tersegel Kementerian" in ministry and "0,37" in ministry


def test_the_question_count_and_bands_follow_a_reload_of_the_framework(user_of: Any) -> None:
    framework = _in_province_review("16.71", user_of).cycle.framework
    count = Question.objects.filter(indicator__framework=framework).count()
    assert review_counts.question_count(framework) == count
    assert [b.code for b in review_counts.bands_of(framework)] == list(
        framework.bands.order_by("position").values_list("code", flat=True)
    )
    extra = Question.objects.filter(indicator__framework=framework).order_by("pk").first()
    assert extra is not None
    extra.pk, extra.code = None, "X.99"
    extra.save()
    framework.bands.filter(position=0).update(name="Predikat dimuat ulang")
    framework.save()  # a reload stamps `loaded_at`
    assert review_counts.question_count(framework) == count + 1
    assert review_counts.bands_of(framework)[0].name == "Predikat dimuat ulang"
