"""The plan page: create and change the plan through HTTP, conflicts, refusals, sites and suggestions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kla.evaluations.models import Evaluation
from kla.fieldvisits.models import FieldPlan, FieldSite
from kla.fieldvisits.tests import matrix

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]


def _url(evaluation: Evaluation) -> str:
    return reverse("fieldvisits:plan", args=[evaluation.pk])


def test_a_field_verifier_creates_the_plan(client_for, evaluation, user_of) -> None:
    client = client_for("field_verifier")
    page = client.get(_url(evaluation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Belum ada rencana kunjungan." in html and 'name="version" value="0"' in html
    assert "Satuan Pendidikan Ramah Anak (SRA)" in html  # suggested from indicator 19
    verifier = user_of("field_verifier")
    response = client.post(
        _url(evaluation),
        {"visit_date": "2030-08-01", "mode": "hybrid", "team": [verifier.pk], "notes": "Hari 1", "version": "0"},
    )
    assert response.status_code == 302 and response.url == _url(evaluation)
    plan = FieldPlan.objects.get(evaluation=evaluation)
    assert (str(plan.visit_date), plan.mode, plan.version, list(plan.team.all())) == (
        "2030-08-01",
        "hybrid",
        1,
        [verifier],
    )
    html = client.get(_url(evaluation)).content.decode()
    assert "Rencana verifikasi lapangan tersimpan (versi 1)." in html and "Hibrida" in html
    assert 'name="visit_date" value="2030-08-01"' in html  # ISO, as <input type="date"> needs it


def test_a_stale_form_gets_409_keeps_the_input_and_overwrites_nothing(client_for, plan) -> None:
    client = client_for("field_verifier")
    data = {"visit_date": "2030-09-09", "mode": "hybrid", "notes": "Dari laptop", "version": "1"}
    assert client.post(_url(plan.evaluation), {**data, "notes": "Dari ponsel"}).status_code == 302
    response = client.post(_url(plan.evaluation), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "baru saja diubah" in html and "Dari laptop" in html
    assert 'name="version" value="2"' in html  # saving again is a deliberate overwrite of version 2
    plan.refresh_from_db()
    assert (plan.version, plan.notes) == (2, "Dari ponsel")
    assert client.post(_url(plan.evaluation), {**data, "version": "2"}).status_code == 302


def test_an_invalid_form_is_422(client_for, evaluation) -> None:
    response = client_for("field_verifier").post(_url(evaluation), {"mode": "by_phone", "version": "0"})
    assert response.status_code == 422
    assert not FieldPlan.objects.exists()


def test_the_wrong_state_is_refused_with_the_reason(client_for, evaluation) -> None:
    Evaluation.objects.filter(pk=evaluation.pk).update(status="ministry_review")
    client = client_for("field_verifier")
    html = client.get(_url(evaluation)).content.decode()
    assert "tidak sedang pada tahap verifikasi lapangan" in html and 'id="plan-form"' not in html
    response = client.post(_url(evaluation), {"visit_date": "2030-08-01", "mode": "hybrid", "version": "0"})
    assert response.status_code == 422
    assert "sedang pada tahap Verifikasi administrasi Kementerian" in response.content.decode()
    assert not FieldPlan.objects.exists()


def test_a_ministry_verifier_reads_but_cannot_write(client_for, plan) -> None:
    client = client_for("ministry_verifier")
    html = client.get(_url(plan.evaluation)).content.decode()
    assert "Kunjungan dua hari." in html and 'id="plan-form"' not in html
    data = {"visit_date": "2030-08-01", "mode": "hybrid", "version": "1"}
    assert client.post(_url(plan.evaluation), data).status_code == 403
    add = reverse("fieldvisits:site_add", args=[plan.evaluation_id])
    assert client.post(add, {"name": "X", "kind": "play"}).status_code == 403
    assert FieldPlan.objects.get().version == 1 and not FieldSite.objects.exists()


def test_adding_a_site_opens_its_page(client_for, plan) -> None:
    client = client_for("field_verifier")
    entry = matrix.entry_of(plan.evaluation, 15)
    response = client.post(
        reverse("fieldvisits:site_add", args=[plan.evaluation_id]),
        {"name": "Puskesmas Ilir Barat", "kind": "health", "entry": entry.pk},
    )
    site = FieldSite.objects.get()
    assert response.status_code == 302 and response.url == reverse("fieldvisits:site", args=[site.pk])
    assert site.entry == entry and site.kind == "health"
    html = client.get(_url(plan.evaluation)).content.decode()
    assert "Puskesmas Ilir Barat" in html and "sudah ada lokasi" in html


def test_a_site_needs_a_plan_first(client_for, evaluation) -> None:
    client = client_for("field_verifier")
    response = client.post(reverse("fieldvisits:site_add", args=[evaluation.pk]), {"name": "X", "kind": "play"})
    assert response.status_code == 302 and not FieldSite.objects.exists()
    assert "Simpan rencana kunjungan" in client.get(response.url).content.decode()


def test_the_index_lists_evaluations_in_field_verification(client_for, plan) -> None:
    html = client_for("ministry_admin").get(reverse("fieldvisits:index")).content.decode()
    assert "Palembang" in html and reverse("fieldvisits:plan", args=[plan.evaluation_id]) in html
