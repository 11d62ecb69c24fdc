"""The VL points page: base points from the ministry's verification, points with reasons, finishing the stage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kla.evaluations.models import Evaluation
from kla.fieldvisits.tests import matrix
from kla.results.models import StageScore
from kla.verification.models import Verdict

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]


def _save(client, entry, htmx: bool = False, **data):  # type: ignore[no-untyped-def]
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("fieldvisits:points_save", args=[entry.pk]), data, headers=headers)


def test_the_table_shows_max_and_ministry_points_per_indicator(client_for, evaluation) -> None:
    response = client_for("field_verifier").get(reverse("fieldvisits:points", args=[evaluation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    entry = matrix.entry_of(evaluation, 19)  # max 40, base 32
    assert f'id="vl-{entry.pk}"' in html and "Satuan Pendidikan Ramah Anak (SRA)" in html
    assert ">40<" in html and ">32<" in html
    assert "800,00" in html  # ministry VA total: 80% of 1000
    assert "Selesaikan verifikasi lapangan" in html


def test_points_with_a_reason_are_recorded_and_the_row_swapped(client_for, evaluation) -> None:
    entry = matrix.entry_of(evaluation, 19)
    response = _save(client_for("field_verifier"), entry, htmx=True, points="20,5", reason="Dua SD belum ber-SK SRA.")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="vl-{entry.pk}"') and "diubah di lapangan" in html
    assert 'id="vl-totals"' in html and 'hx-swap-oob="true"' in html and "788,50" in html  # 800 - 32 + 20.5
    verdict = Verdict.objects.get(entry=entry, stage="field", question=None)
    assert (verdict.points, verdict.reason) == (Decimal("20.50"), "Dua SD belum ber-SK SRA.")


@pytest.mark.parametrize(
    ("points", "reason", "message"),
    [
        ("40.5", "Lebih dari maksimum", "melebihi nilai maksimum indikator 40"),
        ("-1", "Negatif", "tidak boleh negatif"),
        ("20", "   ", "Alasan wajib diisi"),
        ("", "Tanpa poin", "Isi poin"),
        ("dua puluh", "Bukan angka", "berupa angka"),
    ],
)
def test_refused_points_store_nothing(client_for, evaluation, points, reason, message) -> None:
    entry = matrix.entry_of(evaluation, 19)
    client = client_for("field_verifier")
    response = _save(client, entry, htmx=True, points=points, reason=reason)
    assert response.status_code == 422 and message in response.content.decode()
    assert f'value="{points}"' in response.content.decode()  # what was typed stays in the field
    response = _save(client, entry, points=points, reason=reason)  # without JavaScript: message after redirect
    assert response.status_code == 302 and message in client.get(response.url).content.decode()
    assert not Verdict.objects.filter(entry=entry).exists()


def test_a_ministry_verifier_cannot_record_points(client_for, evaluation) -> None:
    entry = matrix.entry_of(evaluation, 19)
    assert _save(client_for("ministry_verifier"), entry, points="10", reason="x").status_code == 403
    assert not Verdict.objects.exists()


def test_finishing_moves_to_final_verification_with_a_vl_score(client_for, evaluation) -> None:
    client = client_for("field_verifier")
    entry = matrix.entry_of(evaluation, 19)
    assert _save(client, entry, points="20", reason="Dua SD belum ber-SK SRA.").status_code == 302
    response = client.post(reverse("fieldvisits:finish", args=[evaluation.pk]))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "final_verification"
    vl = StageScore.objects.get(evaluation=evaluation, stage="vl")
    assert vl.total == Decimal("788.00")  # 800 - 32 + 20
    assert vl.breakdown["indicators"][entry.indicator.code]["reason"] == "Dua SD belum ber-SK SRA."
    html = client.get(response.url).content.decode()
    assert "Verifikasi lapangan selesai dengan nilai VL 788,00" in html
    assert "Selesaikan verifikasi lapangan</button>" not in html  # read-only from now on
    # and nothing can be changed any more
    response = _save(client, entry, htmx=True, points="30", reason="Terlambat")
    assert response.status_code == 422 and "tidak ada verifikasi terbuka" in response.content.decode()


def test_finishing_in_the_wrong_state_shows_the_refusal(client_for, evaluation) -> None:
    Evaluation.objects.filter(pk=evaluation.pk).update(status="ministry_review")
    client = client_for("field_verifier")
    response = client.post(reverse("fieldvisits:finish", args=[evaluation.pk]))
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "belum dapat diselesaikan" in html and "hanya dapat dilakukan pada tahap Verifikasi lapangan" in html
    assert Evaluation.objects.get(pk=evaluation.pk).status == "ministry_review"
    assert not StageScore.objects.filter(evaluation=evaluation, stage="vl").exists()
