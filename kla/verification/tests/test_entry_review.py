"""The entry review screen and the verdict answer by htmx: what they show of files held elsewhere and of the entry's
history, in a fixed, small number of queries however many kab/kota attach the same file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.evaluations.models import Evaluation
from kla.evidence.tests import files
from kla.evidence.tests.stored import demo_entry, upload
from kla.indicators.models import Question
from kla.verification.models import Verdict
from kla.verification.tests.test_views import _in_province_review, data_queries

pytestmark = pytest.mark.django_db

# the user with their memberships, entry, its agencies, answers, files (replaced ones too: their ids name the
# history's events), verdicts, files held elsewhere and the names of those few kab/kota, events, the agencies the
# events name (the questions and their rubrics come from the per-process copy of the instrument: no query)
ENTRY_PAGE_QUERIES = 10
# the user with their memberships, entry (the question from the instrument's copy); in the service: entry,
# independence, deadlines, the region's extension of the review's deadline, verdict, save, audit; the answered
# question: answer, files, verdicts
VERDICT_QUERIES = 12


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMD_ADDRESS = None
    return settings.MEDIA_ROOT


def test_entry_page_and_verdict_run_fixed_queries_however_many_kabkota_hold_the_file(client_for, user_of) -> None:  # type: ignore[no-untyped-def]
    shared = files.pdf(text="peraturan bersama")
    first = upload(demo_entry("16.71"), "draf.pdf", files.pdf(text="draf"))
    upload(demo_entry("16.71"), "laporan.pdf", files.pdf(text="laporan"), replaces=first)
    upload(demo_entry("16.71"), "perda.pdf", shared)
    upload(demo_entry("16.73"), "perda-lubuk.pdf", shared)
    evaluation = _in_province_review("16.71", user_of)
    entry = evaluation.entries.get(indicator__number=4)
    client = client_for("province")
    url = reverse("verification:entry", args=[entry.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "berkas sama dipakai" in page and "Kota Lubuk Linggau" in page
    # the history lists the events of every file of the entry, the replaced one included
    assert page.count("Bukti dukung diunggah") == 2 and page.count("Bukti dukung diganti") == 1

    others = list(
        Evaluation.objects.filter(cycle__code="evaluasi-kla-demo", status="draft")
        .exclude(region_id__in=["16.71", "16.73"])
        .select_related("region")
        .order_by("region_id")[:3]
    )
    assert len(others) == 3
    for other in others:
        upload(demo_entry(other.region_id), "perda.pdf", shared)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert all(other.region.name in page for other in others)
    assert len(data_queries(more)) == len(data_queries(few)) <= ENTRY_PAGE_QUERIES, "\n".join(
        q[:90] for q in data_queries(more)
    )

    question = Question.objects.filter(indicator=entry.indicator).order_by("position").first()
    assert question is not None
    verdict_url = reverse("verification:verdict", args=[entry.pk, question.pk])
    with CaptureQueriesContext(connection) as posted:
        answer = client.post(verdict_url, {"decision": "accepted", "reason": ""}, headers={"HX-Request": "true"})
    assert len(data_queries(posted)) == VERDICT_QUERIES, data_queries(posted)
    body = answer.content.decode()
    assert answer.status_code == 200 and "Keputusan tersimpan" in body
    assert body.count('<section id="q-') == 1 and f'id="q-{question.pk}"' in body
    assert "perda.pdf" in body and "laporan.pdf" in body and "draf.pdf" not in body  # the replaced file is history
    assert Verdict.objects.get(entry=entry, question=question, stage="province").decision == "accepted"


def test_the_verdict_answer_is_the_question_section_of_the_page(client_for, user_of) -> None:  # type: ignore[no-untyped-def]
    """The htmx answer shows the same question, answer, files and verdicts as the full page does."""
    upload(demo_entry("16.71"), "perda.pdf", files.pdf(text="perda"))
    evaluation = _in_province_review("16.71", user_of)
    entry = evaluation.entries.get(indicator__number=4)
    questions = list(Question.objects.filter(indicator=entry.indicator).order_by("position"))
    client = client_for("province")
    for question in questions[1:]:
        client.post(
            reverse("verification:verdict", args=[entry.pk, question.pk]), {"decision": "returned", "reason": "Kurang"}
        )
    question = questions[0]
    answer = client.post(
        reverse("verification:verdict", args=[entry.pk, question.pk]),
        {"decision": "accepted", "reason": ""},
        headers={"HX-Request": "true"},
    ).content.decode()
    page = client.get(reverse("verification:entry", args=[entry.pk])).content.decode()
    start = page.index(f'<section id="q-{question.pk}"')
    section = page[start : page.index("</section>", start) + len("</section>")]
    saved = '<p class="save-state" data-state="saved" role="status">Keputusan tersimpan.</p>'
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked afresh on every render
    assert csrf.sub("", answer.replace(saved, "")).split() == csrf.sub("", section).split()
    assert "Kurang" not in answer  # the other questions' verdicts stay on their own sections
