"""The site page used on a phone: checklist ticks (htmx and without JavaScript), notes, visited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kla.evaluations.models import Evaluation
from kla.fieldvisits.models import FieldSite

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]


def test_the_site_page_is_ready_for_the_phone_camera(client_for, site) -> None:
    response = client_for("field_verifier").get(reverse("fieldvisits:site", args=[site.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'accept="image/*" capture="environment"' in html
    assert "js/fieldvisit.js" in html and "Lokasi belum didapat." in html
    assert 'name="latitude" value=""' in html and 'name="accuracy_m" value=""' in html
    assert "SK Tim SRA dan komitmen tertulis sekolah tersedia" in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline scripts or styles


def test_one_checkbox_is_toggled_through_htmx(client_for, site) -> None:
    url = reverse("fieldvisits:site_checklist", args=[site.pk])
    client = client_for("field_verifier")
    # htmx sends the whole form (items 0 and 2 look ticked on this screen) and the toggled item.
    response = client.post(
        url, {"shown": ["0", "1", "2"], "done": ["0", "2"], "item": "2"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response["Vary"].count("HX-Request") == 1
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="checklist"') and "(1/7)" in html
    site.refresh_from_db()
    assert [i["done"] for i in site.checklist][:3] == [False, False, True]  # only item 2 changed
    response = client.post(url, {"shown": ["0"], "item": "2"}, headers={"HX-Request": "true"})  # untick
    site.refresh_from_db()
    assert not any(i["done"] for i in site.checklist)


def test_without_javascript_the_whole_checklist_is_saved(client_for, site) -> None:
    url = reverse("fieldvisits:site_checklist", args=[site.pk])
    response = client_for("field_verifier").post(
        url, {"shown": [str(i) for i in range(7)], "done": ["1", "4"], "add_item": "Ada kantin sehat"}
    )
    assert response.status_code == 302 and response.url.endswith("#ceklis")
    site.refresh_from_db()
    assert [i for i, item in enumerate(site.checklist) if item["done"]] == [1, 4]
    assert site.checklist[-1]["label"] == "Ada kantin sehat"


def test_an_unknown_item_is_422_for_htmx(client_for, site) -> None:
    url = reverse("fieldvisits:site_checklist", args=[site.pk])
    response = client_for("field_verifier").post(url, {"done": ["42"], "item": "42"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "tidak ditemukan" in response.content.decode()


def test_notes_and_visited(client_for, site) -> None:
    client = client_for("field_verifier")
    url = reverse("fieldvisits:site_notes", args=[site.pk])
    response = client.post(url, {"notes": "Toilet siswa bersih.", "visited": "1", "visited_present": "1"})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.visited and site.notes == "Toilet siswa bersih."
    client.post(url, {"notes": "Toilet siswa bersih.", "visited_present": "1"})  # unticked
    site.refresh_from_db()
    assert not site.visited


def test_after_field_verification_the_site_is_read_only(client_for, site) -> None:
    Evaluation.objects.filter(pk=site.plan.evaluation_id).update(status="final_verification")
    client = client_for("field_verifier")
    html = client.get(reverse("fieldvisits:site", args=[site.pk])).content.decode()
    assert "hanya dapat dibaca" in html and "capture=" not in html
    response = client.post(reverse("fieldvisits:site_notes", args=[site.pk]), {"notes": "Terlambat"})
    assert response.status_code == 302
    assert "tahap Verifikasi lapangan" in client.get(response.url).content.decode()
    assert FieldSite.objects.get().notes == ""
