"""Verification pages through HTTP: the review screens, verdicts by htmx, returns, resubmission, the province page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.demo.answers import fill_answers
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import evaluation_submit
from kla.evaluations.workflow import Step
from kla.indicators.models import Question
from kla.verification.models import Verdict
from kla.verification.services import steps

pytestmark = pytest.mark.django_db


def data_queries(captured: CaptureQueriesContext) -> list[str]:
    """The queries that read or write data (session housekeeping and savepoints left out)."""
    return [
        q["sql"] for q in captured.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


def _in_province_review(code: str, user_of) -> Evaluation:  # type: ignore[no-untyped-def]
    evaluation = Evaluation.objects.select_related("cycle__framework", "region").get(
        cycle__code="evaluasi-kla-demo", region_id=code
    )
    fill_answers(evaluation, seed=3, strength=0.8)
    evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True)
    return steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"))


def test_reviewer_records_verdicts_by_htmx_and_sees_the_refusal_in_place(client_for, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = _in_province_review("16.71", user_of)
    entry = evaluation.entries.get(indicator__number=4)
    question = Question.objects.filter(indicator=entry.indicator).order_by("position").first()
    assert question is not None
    client = client_for("province")
    page = client.get(reverse("verification:entry", args=[entry.pk]))
    assert page.status_code == 200 and "Simpan keputusan" in page.content.decode()
    url = reverse("verification:verdict", args=[entry.pk, question.pk])
    bad = client.post(url, {"decision": "returned", "reason": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "Alasan wajib" in bad.content.decode()
    assert not Verdict.objects.filter(entry=entry).exists()
    good = client.post(
        url, {"decision": "returned", "reason": "Foto kegiatan tidak ada"}, headers={"HX-Request": "true"}
    )
    assert good.status_code == 200 and "Keputusan tersimpan" in good.content.decode()
    assert Verdict.objects.get(entry=entry, question=question).decision == "returned"
    # the activity feed shows the verdict with its reason
    assert "Foto kegiatan tidak ada" in client.get(reverse("verification:entry", args=[entry.pk])).content.decode()


def test_return_then_the_kabkota_sees_the_reason_and_resubmits(client_for, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = _in_province_review("16.71", user_of)
    entry = evaluation.entries.get(indicator__number=4)
    deadline = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    province = client_for("province")
    refused = province.post(
        reverse("verification:return_entries", args=[evaluation.pk]),
        {"entries": [entry.pk], "reason": "", "deadline": deadline},
        follow=True,
    )
    assert "Alasan pengembalian wajib" in refused.content.decode()
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUBMITTED
    province.post(
        reverse("verification:return_entries", args=[evaluation.pk]),
        {"entries": [entry.pk], "reason": "Lampirkan SK terbaru", "deadline": deadline},
    )
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.RETURNED

    secretariat = client_for("secretariat")
    page = secretariat.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Lampirkan SK terbaru" in page and "Kirim ulang indikator ini" in page
    opd_page = client_for("opd").get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Kirim ulang indikator ini" not in opd_page  # operators fix; the secretariat resubmits
    secretariat.post(reverse("verification:resubmit", args=[entry.pk]))
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUBMITTED


def test_province_page_lists_kabkota_side_by_side_with_provila_blockers_in_constant_queries(
    client_for, user_of
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("province")
    url = reverse("verification:province", args=["evaluasi-kla-demo", "16"])
    _in_province_review("16.71", user_of)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "Status Provinsi Layak Anak" in text and "Belum memenuhi syarat" in text
    assert "LUBUK LINGGAU" in text.upper()
    _in_province_review("16.73", user_of)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(data_queries(more)) == len(data_queries(few)), data_queries(more)
    # the user with memberships, the province, the cycle and its deadlines, the evaluations, the stage scores, the
    # verdicts, the entries, every kab/kota of the province (PROVILA counts them all), the letters, the letter
    # template; the bands and the number of questions are the instrument's, kept per process (`review_counts`)
    assert len(data_queries(few)) == 11, "\n".join(data_queries(few))


def test_queue_shows_my_stage_and_runs_constant_queries(client_for, user_of) -> None:  # type: ignore[no-untyped-def]
    client = client_for("province")
    _in_province_review("16.71", user_of)
    client.get(reverse("verification:queue"))
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("verification:queue"))
    assert "KOTA PALEMBANG" in page.content.decode().upper()
    _in_province_review("16.73", user_of)
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("verification:queue"))
    assert len(data_queries(two)) == len(data_queries(one))


def test_a_province_never_reads_the_ministrys_verdicts_before_publication(client_for, user_of) -> None:  # type: ignore[no-untyped-def]
    evaluation = _in_province_review("16.71", user_of)
    entry = evaluation.entries.get(indicator__number=4)
    question = Question.objects.filter(indicator=entry.indicator).order_by("position").first()
    # a ministry decision as it would stand later in the cycle (sealed points and reason)
    Verdict.objects.create(
        entry=entry, question=question, stage="ministry", decision="corrected", points="3.33", reason="RAHASIA-KEMEN"
    )
    from kla.core import audit

    audit.record(
        action="kla.verdict.recorded",
        by=user_of("ministry_verifier"),
        obj=entry,
        after={"question": question.code, "stage": "ministry", "decision": "corrected", "points": "3.33"},
        reason="RAHASIA-KEMEN",
    )
    url = reverse("verification:entry", args=[entry.pk])
    province_page = client_for("province").get(url).content.decode()
    assert "RAHASIA-KEMEN" not in province_page and "3,33" not in province_page and "3.33" not in province_page
    ministry_page = client_for("ministry_verifier").get(url).content.decode()
    assert "RAHASIA-KEMEN" in ministry_page
