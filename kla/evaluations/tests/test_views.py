"""Self-assessment pages through the HTTP stack: constant query counts, htmx partials, conflicts, no-JS fallback."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.core.formatting import format_datetime_short
from kla.evaluations.models import Answer
from kla.evaluations.services import deadline_of
from kla.evaluations.stages import Stage

pytestmark = pytest.mark.django_db

# session, the user with memberships, the entry in scope, what decides writability, the answer (locked), its update,
# the audit event, the live scores (the question is kept per process once read: `entry_reads.questions_of`)
AUTOSAVE_QUERIES = 8


def _answer_url(entry, question) -> str:
    return reverse("evaluations:answer_save", args=[entry.pk, question.pk])


def test_dashboard_runs_a_fixed_number_of_queries(client_for, palembang_eval, django_assert_max_num_queries) -> None:
    client, url = client_for("secretariat"), reverse("evaluations:evaluation_detail", args=[palembang_eval.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    progress = response.context["progress"]
    assert len(progress.indicators) == 24 and progress.total_points == 0
    assert str(progress.gap_to_gate) == "500.01"
    assert "Disdukcapil" in {g.label for g in progress.agencies}


def test_entry_page_runs_a_fixed_number_of_queries(client_for, entry_of, django_assert_max_num_queries) -> None:
    client, url = client_for("opd"), reverse("evaluations:entry_detail", args=[entry_of(4).pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200 and response.context["can_edit"]


def test_my_work_lists_only_my_agencys_indicators(client_for) -> None:
    entries = list(client_for("opd").get(reverse("evaluations:my_work")).context["entries"])
    numbers = {e.indicator.number for e in entries}
    assert 4 in numbers and 1 not in numbers
    assert {e.evaluation.region_id for e in entries} == {"16.71"}


def test_my_work_rows_show_the_deadline_and_progress(client_for, entry_of, palembang_eval) -> None:
    entry = entry_of(4)
    questions = list(entry.indicator.questions.order_by("position"))
    client = client_for("opd")
    before = {e.pk: e for e in client.get(reverse("evaluations:my_work")).context["entries"]}[entry.pk]
    assert (before.n_questions, before.n_answered) == (len(questions), 0)
    client.post(_answer_url(entry, questions[0]), {"numerator": "95", "denominator": "100", "version": "0"})
    response = client.get(reverse("evaluations:my_work"))
    row = {e.pk: e for e in response.context["entries"]}[entry.pk]
    assert (row.n_questions, row.n_answered) == (len(questions), 1)
    deadline = deadline_of(palembang_eval.cycle, Stage.SELF_ASSESSMENT)
    assert deadline is not None and row.self_assessment_deadline == deadline.ends_at
    assert format_datetime_short(deadline.ends_at) in response.content.decode()  # the kab/kota's deadline, WIB
    assert f"1/{len(questions)}" in response.content.decode()


def test_htmx_autosave_returns_the_question_and_the_score_panel(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    response = client_for("opd").post(
        _answer_url(entry, question),
        {"numerator": "95", "denominator": "100", "version": "0"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and f'id="q-{question.pk}"' in body
    assert 'id="score-panel"' in body and 'hx-swap-oob="true"' in body
    assert "Tersimpan" in body and response["Vary"].count("HX-Request") == 1


def test_autosave_reads_nothing_after_its_save_commits(client_for, entry_of) -> None:
    """The live scores are read inside the save's transaction: a connection lost right after the commit must not
    turn a stored save into an error page that tells the operator it was not saved."""
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    with CaptureQueriesContext(connection) as captured:
        response = client_for("opd").post(
            _answer_url(entry, question),
            {"numerator": "95", "denominator": "100", "version": "0"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    # the test runs inside a transaction, so the save's own commit is the release of its savepoint
    commit = max(i for i, text in enumerate(sql) if text.startswith("RELEASE SAVEPOINT"))
    assert any('SUM("evaluations_answer"."points")' in text for text in sql[:commit])
    assert [text for text in sql[commit + 1 :] if "django_session" not in text] == []
    assert "95" in response.content.decode() and 'id="score-panel"' in response.content.decode()


def test_autosave_runs_a_fixed_number_of_queries_and_reads_writability_once(client_for, entry_of) -> None:
    """The autosave is the busiest write at a deadline: its queries are pinned exactly. Whether the operator may
    write now (entry and evaluation status, deadline, assignment) is one fresh read inside the save's transaction."""
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    client = client_for("opd")
    client.post(_answer_url(entry, question), {"numerator": "90", "denominator": "100"}, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            _answer_url(entry, question),
            {"numerator": "95", "denominator": "100", "version": "1"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200 and "Tersimpan" in response.content.decode()
    sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) == AUTOSAVE_QUERIES, "\n".join(sql)
    assert [text for text in sql if "evaluations_stagedeadline" in text or "evaluations_assignment" in text] == [
        next(text for text in sql if "evaluations_stagedeadline" in text)
    ]


def test_stale_form_gets_409_with_both_versions(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    client_for("opd").post(
        _answer_url(entry, question),
        {"numerator": "95", "denominator": "100", "version": "0"},
        headers={"HX-Request": "true"},
    )
    response = client_for("secretariat").post(
        _answer_url(entry, question),
        {"numerator": "10", "denominator": "100", "version": "0"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "baru saja diubah oleh pengguna lain" in body and "10" in body and "95" in body
    assert Answer.objects.get(entry=entry, question=question).value["numerator"] == "95"


def test_refused_value_is_kept_in_the_form_with_the_reason(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    response = client_for("opd").post(
        _answer_url(entry, question),
        {"numerator": "-3", "denominator": "100", "version": "0"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "tidak boleh negatif" in body and 'value="-3"' in body
    assert not Answer.objects.filter(entry=entry, question=question, answered=True).exists()


def test_without_javascript_the_form_posts_and_redirects(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    response = client_for("opd").post(
        _answer_url(entry, question), {"numerator": "95", "denominator": "100", "version": "0"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#q-{question.pk}")


def test_another_region_cannot_see_or_answer(client_for, entry_of) -> None:
    entry = entry_of(4)
    question = entry.indicator.questions.order_by("position").first()
    other = client_for("other_secretariat")
    assert other.get(reverse("evaluations:entry_detail", args=[entry.pk])).status_code == 404
    assert other.post(_answer_url(entry, question), {"numerator": "1", "denominator": "1"}).status_code == 404
    assert not Answer.objects.filter(entry=entry).exists()
