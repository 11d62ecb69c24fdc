"""Impossible answers and unexplained warnings through the HTTP stack (issue 21, item 5).

120/100 is saved as typed, scores 0 with the reason and is flagged; until the operator explains it (or corrects it),
the question reads "Perlu penjelasan", the progress counts it as not done and the submission is refused, naming the
question, whatever the secretariat acknowledges.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Answer, Entry, Evaluation
from kla.evaluations.services import (
    answer_save,
    evaluation_submit,
    register_blocker,
    submission_blockers,
)
from kla.evaluations.services import submission as submission_module
from kla.indicators.models import Question

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
CHECK = "Pembilang lebih besar dari penyebut: periksa kembali datanya"


def _percentage(entry: Entry) -> Question:
    return entry.indicator.questions.filter(answer_type="percentage").order_by("position").first()


def _save(client: Client, entry: Entry, question: Question, data: dict[str, str], *, htmx: bool = True) -> Any:
    url = reverse("evaluations:answer_save", args=[entry.pk, question.pk])
    return client.post(url, data, headers={"HX-Request": "true"} if htmx else {})


def _submit(client: Client, evaluation: Evaluation, *, acknowledge: bool, below_gate: bool = False) -> list[str]:
    url = reverse("evaluations:evaluation_submit", args=[evaluation.pk])
    data = {"acknowledge_missing": "on"} if acknowledge else {}
    response = client.post(url, {**data, "confirm_below_gate": "1"} if below_gate else data)
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_saving_120_of_100_scores_0_with_the_reason_and_keeps_what_was_typed(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    assert question.max_points > 0

    response = _save(client_for("opd"), entry, question, {"numerator": "120", "denominator": "100", "version": "0"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Pembilang lebih besar dari penyebut (120 &gt; 100)" in body  # the warning
    assert f"{CHECK}." in body  # the reason it scores nothing, next to the points
    assert '<span class="points">0 poin</span>' in body
    assert "Perlu penjelasan" in body
    assert 'aria-describedby="w-' in body  # the explanation box is tied to the warning it answers
    assert response.context["entry_points"] == 0 and response.context["em_total"] == 0
    answer = Answer.objects.get(entry=entry, question=question)
    assert answer.value == {"numerator": "120", "denominator": "100"}  # nothing typed is lost
    assert (answer.points, answer.answered, answer.needs_justification) == (Decimal(0), True, True)
    assert [w["code"] for w in answer.warnings] == ["numerator_gt_denominator"]
    assert CHECK in answer.explanation


def test_an_unexplained_warning_is_not_done_anywhere_progress_is_shown(
    client_for, entry_of, palembang_eval, django_assert_max_num_queries
) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    operator = client_for("opd")
    _save(operator, entry, question, {"numerator": "120", "denominator": "100", "version": "0"})

    page = operator.get(reverse("evaluations:entry_detail", args=[entry.pk]))
    assert "Perlu penjelasan" in page.content.decode()
    row = {e.pk: e for e in operator.get(reverse("evaluations:my_work")).context["entries"]}[entry.pk]
    assert row.n_answered == 0
    secretariat, url = client_for("secretariat"), reverse("evaluations:evaluation_detail", args=[palembang_eval.pk])
    secretariat.get(url)
    with django_assert_max_num_queries(16):  # as before: the count is part of the same aggregate query
        response = secretariat.get(url)
    progress = response.context["progress"]
    item = next(i for i in progress.indicators if i.entry.pk == entry.pk)
    assert (item.answered, item.unresolved_warnings, item.complete) == (0, 1, False)
    assert progress.unresolved_warnings == 1 and progress.answered == 0
    assert any(line.startswith("4. ") and "1 perlu penjelasan" in line for line in progress.missing())
    assert "1 peringatan tanpa penjelasan" in response.content.decode()


def test_submission_is_refused_naming_the_question_even_when_missing_items_are_acknowledged(
    client_for, entry_of, palembang_eval
) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    _save(client_for("opd"), entry, question, {"numerator": "120", "denominator": "100", "version": "0"})

    [message] = _submit(client_for("secretariat"), palembang_eval, acknowledge=True)

    assert message.startswith(
        "Evaluasi belum dapat dikirim. 1 jawaban memiliki peringatan yang belum dijelaskan: "
        f"Pertanyaan {question.code} (indikator 4): Pembilang lebih besar dari penyebut (120 > 100)"
    )
    assert 'isi kolom "Penjelasan"' in message
    assert message.endswith("Pernyataan mengirim dengan kekurangan tidak berlaku untuk hal-hal ini.")
    palembang_eval.refresh_from_db()
    assert palembang_eval.status == Evaluation.Status.DRAFT
    assert set(palembang_eval.entries.values_list("status", flat=True)) == {Entry.Status.OPEN}


def test_the_explanation_makes_it_count_and_the_evaluation_can_be_sent(client_for, entry_of, palembang_eval) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    operator = client_for("opd")
    _save(operator, entry, question, {"numerator": "120", "denominator": "100", "version": "0"})

    explained = {"numerator": "120", "denominator": "100", "version": "1"}
    response = _save(operator, entry, question, {**explained, "justification": "Termasuk anak pendatang."})

    body = response.content.decode()
    assert "Perlu penjelasan" not in body.replace("Penjelasan (wajib", "")
    assert f"{CHECK}." in body  # explained, still worth nothing until the data is corrected
    answer = Answer.objects.get(entry=entry, question=question)
    assert (answer.needs_justification, answer.points, answer.justification) == (
        False,
        Decimal(0),
        "Termasuk anak pendatang.",
    )
    secretariat = client_for("secretariat")
    progress = secretariat.get(reverse("evaluations:evaluation_detail", args=[palembang_eval.pk])).context["progress"]
    item = next(i for i in progress.indicators if i.entry.pk == entry.pk)
    assert (item.answered, item.unresolved_warnings) == (1, 0)

    [message] = _submit(secretariat, palembang_eval, acknowledge=True, below_gate=True)
    assert message.startswith("Evaluasi mandiri dikirim")
    palembang_eval.refresh_from_db()
    assert palembang_eval.status == Evaluation.Status.SUBMITTED and palembang_eval.em_score == 0


def test_correcting_the_data_gives_the_points_and_clears_the_warning(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    operator = client_for("opd")
    _save(operator, entry, question, {"numerator": "120", "denominator": "100", "version": "0"})

    response = _save(operator, entry, question, {"numerator": "95", "denominator": "100", "version": "1"})

    body = response.content.decode()
    assert "Perlu penjelasan" not in body and CHECK not in body
    answer = Answer.objects.get(entry=entry, question=question)
    assert answer.points == question.max_points and answer.warnings == [] and not answer.needs_justification


def test_without_javascript_the_page_after_the_save_asks_for_the_explanation(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    operator = client_for("opd")

    response = _save(
        operator, entry, question, {"numerator": "1200", "denominator": "1000", "version": "0"}, htmx=False
    )

    assert response.status_code == 302
    page = operator.get(response["Location"]).content.decode()
    assert "Perlu penjelasan" in page and "Pembilang lebih besar dari penyebut (1.200 &gt; 1.000)" in page


def test_blockers_name_each_question_in_the_instruments_order(entry_of, palembang_eval, user_of) -> None:
    secretariat = user_of("secretariat")  # answers any indicator of its kabupaten/kota
    later, earlier = entry_of(4), entry_of(1)
    for entry in (later, earlier):
        for question in entry.indicator.questions.order_by("position"):
            if question.answer_type == "percentage":
                raw: dict[str, Any] = {"numerator": "5", "denominator": "0"}
            elif question.answer_type == "number":
                raw = {"number": "2000000"}
            elif question.answer_type == "date":
                raw = {"date": "2999-01-01"}
            else:
                continue
            answer_save(entry=entry, question=question, raw_value=raw, expected_version=None, by=secretariat)
    blockers = submission_blockers(palembang_eval)
    flagged = Answer.objects.filter(entry__evaluation=palembang_eval, needs_justification=True)
    assert len(blockers) == flagged.count() >= 2
    numbers = [int(b.split("(indikator ")[1].split(")")[0]) for b in blockers]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert all(b.endswith(".") for b in blockers)
    with pytest.raises(ValidationError, match="belum dapat dikirim"):
        evaluation_submit(evaluation=palembang_eval, by=user_of("secretariat"), acknowledge_missing=True)


def test_a_registered_blocker_is_not_lifted_by_the_acknowledgement(palembang_eval, user_of) -> None:
    def blocker(evaluation: Evaluation) -> list[str]:
        return ["Surat keputusan Gugus Tugas belum diunggah."] if evaluation.pk == palembang_eval.pk else []

    register_blocker(blocker)
    register_blocker(blocker)  # once only
    try:
        assert submission_blockers(palembang_eval) == ["Surat keputusan Gugus Tugas belum diunggah."]
        with pytest.raises(ValidationError, match="Surat keputusan Gugus Tugas belum diunggah"):
            evaluation_submit(evaluation=palembang_eval, by=user_of("secretariat"), acknowledge_missing=True)
    finally:
        submission_module._BLOCKERS.remove(blocker)
    assert submission_blockers(palembang_eval) == []


def test_a_returned_entry_is_not_sent_again_with_an_unexplained_warning(client_for, entry_of, palembang_eval) -> None:
    entry = entry_of(4)
    question = _percentage(entry)
    Evaluation.objects.filter(pk=palembang_eval.pk).update(status=Evaluation.Status.PROVINCE_REVIEW)
    palembang_eval.entries.update(status=Entry.Status.SUBMITTED)
    Entry.objects.filter(pk=entry.pk).update(
        status=Entry.Status.RETURNED, return_reason="Periksa data akta.", return_deadline=timezone.now() + DAY
    )
    operator, secretariat = client_for("opd"), client_for("secretariat")
    _save(operator, entry, question, {"numerator": "120", "denominator": "100", "version": "0"})
    url = reverse("verification:resubmit", args=[entry.pk])

    [message] = [str(m) for m in get_messages(secretariat.post(url).wsgi_request)]

    assert message.startswith("Indikator ini belum dapat dikirim ulang. Pertanyaan ")
    assert question.code in message and 'isi kolom "Penjelasan"' in message
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.RETURNED
    _save(operator, entry, question, {"numerator": "95", "denominator": "100", "version": "1"})  # corrected
    said = [str(m) for m in get_messages(secretariat.post(url).wsgi_request)]
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUBMITTED, said
