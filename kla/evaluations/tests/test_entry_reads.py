"""The entry page's compiled reads: the same answers as the ORM's, and the per-process questions follow a reload of
the instrument and never leak across entries or indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.evaluations import entry_reads, selectors
from kla.evaluations.models import StageExtension
from kla.evaluations.services import deadline_of
from kla.evaluations.stages import Stage

pytestmark = pytest.mark.django_db

# session, the user with memberships, the entry in scope, its cycle's deadlines, its assignments, its files, its
# answers, the live EM score, the region's extension (the questions are kept per process once read)
ENTRY_PAGE_QUERIES = 9


def test_entry_page_runs_a_fixed_number_of_queries_and_reads_the_questions_once(client_for, entry_of) -> None:
    client, url = client_for("opd"), reverse("evaluations:entry_detail", args=[entry_of(4).pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and response.context["can_edit"]
    sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == ENTRY_PAGE_QUERIES, "\n".join(sql)
    assert not [text for text in sql if "indicators_question" in text]


def test_a_reloaded_instrument_shows_its_new_question_text_on_the_next_request(client_for, entry_of) -> None:
    entry = entry_of(4)
    client, url = client_for("opd"), reverse("evaluations:entry_detail", args=[entry.pk])
    question = entry.indicator.questions.order_by("position").first()
    assert question.text in client.get(url).content.decode()
    question.text = "Teks pertanyaan setelah instrumen dimuat ulang"
    question.save()
    framework = entry.evaluation.cycle.framework
    framework.save()  # a reload stamps loaded_at
    assert "Teks pertanyaan setelah instrumen dimuat ulang" in client.get(url).content.decode()


def test_questions_are_the_entrys_own_in_order(entry_of) -> None:
    for number in (4, 5):
        entry = entry_of(number)
        expected = list(entry.indicator.questions.order_by("position"))
        assert [q.pk for q in entry_reads.questions_of(entry)] == [q.pk for q in expected]
        assert entry_reads.question_of(entry, expected[0].pk) == expected[0]
    assert entry_reads.question_of(entry_of(4), entry_of(5).indicator.questions.first().pk) is None


def test_the_deadline_and_totals_match_the_orm_reads(client_for, entry_of, palembang_eval) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    client_for("opd").post(
        reverse("evaluations:answer_save", args=[entry.pk, question.pk]), {"numerator": "95", "denominator": "100"}
    )
    cycle = palembang_eval.cycle
    assert entry_reads.self_assessment_deadline(cycle, "16.71") == deadline_of(cycle, Stage.SELF_ASSESSMENT, "16.71")
    ends = deadline_of(cycle, Stage.SELF_ASSESSMENT).ends_at
    StageExtension.objects.create(
        cycle=cycle, stage=Stage.SELF_ASSESSMENT, region_id="16.71", ends_at=ends + dt.timedelta(days=3)
    )
    extended = entry_reads.self_assessment_deadline(cycle, "16.71")
    assert extended == deadline_of(cycle, Stage.SELF_ASSESSMENT, "16.71") and extended.extended
    em, own = selectors.live_totals(entry)
    assert em == selectors.em_total(palembang_eval) > 0 and own == question.max_points
    assert timezone.is_aware(extended.ends_at)


def test_an_id_out_of_the_databases_range_is_not_found(client_for) -> None:
    client = client_for("opd")
    for name in ("evaluations:entry_detail", "evaluations:evaluation_detail"):
        assert client.get(reverse(name, args=[2**70])).status_code == 404
