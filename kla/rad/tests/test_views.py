"""RAD KLA pages through HTTP: the index and a region's plans, creating a plan, the plan page with its tree and
versions, adoption with the legal basis and its file, revision; 404 for another region's plan like a missing id."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kla.core.models import AuditEvent
from kla.evidence.tests import files
from kla.rad.models import Document, Plan, Version
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_menu_and_the_index_list_the_plans_in_scope(client_for) -> None:
    built = b.built_plan()
    b.plan(b.LUBUKLINGGAU)
    page = client_for("secretariat").get(reverse("rad:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/rad/"' in text and "RAD KLA Kota Palembang" in text
    assert reverse("rad:plan", args=[built.plan.pk]) in text
    assert "Lubuk Linggau" not in text.split("Rencana dalam wilayah")[1]
    province = client_for("province").get(reverse("rad:index")).content.decode()
    assert "Palembang" in province and "Lubuk Linggau" in province
    assert client_for("no_role").get(reverse("rad:index")).status_code == 404


def test_the_secretariat_creates_a_plan_for_its_region(client_for) -> None:
    client = client_for("secretariat")
    url = reverse("rad:plan_create", args=[b.PALEMBANG])
    data = {"framework": b.framework().pk, "start_year": "2025", "end_year": "2029", "title": ""}
    response = client.post(url, data)
    plan = Plan.objects.get(region_id=b.PALEMBANG)
    assert response.status_code == 302 and response.url == reverse("rad:plan", args=[plan.pk])
    assert plan.versions.get().is_draft


def test_a_period_refused_keeps_what_was_typed_and_writes_nothing(client_for) -> None:
    client = client_for("secretariat")
    before = AuditEvent.objects.count()
    data = {"framework": b.framework().pk, "start_year": "2025", "end_year": "2031", "title": "RAD uji"}
    response = client.post(reverse("rad:plan_create", args=[b.PALEMBANG]), data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "Periode rencana paling lama 5 tahun" in text and 'value="RAD uji"' in text and 'value="2031"' in text
    assert not Plan.objects.exists() and AuditEvent.objects.count() == before


def test_an_operator_cannot_create_a_plan(client_for) -> None:
    data = {"framework": b.framework().pk, "start_year": "2025", "end_year": "2029"}
    assert client_for("opd").post(reverse("rad:plan_create", args=[b.PALEMBANG]), data).status_code == 403
    assert client_for("other_secretariat").post(reverse("rad:plan_create", args=[b.PALEMBANG]), data).status_code == 404


def test_the_plan_page_shows_the_tree_with_codes_agencies_targets_and_budgets(client_for) -> None:
    built = b.built_plan()
    text = client_for("opd").get(reverse("rad:plan", args=[built.plan.pk])).content.decode()
    assert "1.03.02.2.01" in text and "Pembangunan ruang bermain ramah anak" in text and "Dinas PUPR" in text
    assert "Ruang bermain ramah anak dibangun (unit): 2025: 2; 2026: 3" in text
    assert "Rp 1.250.000.000" in text and "Rp 300.000.000,50" in text and "Rp 60.000.000,25" in text
    assert "Tambah program" not in text  # an operator reads, the secretariat draws up
    drawn_up = client_for("secretariat").get(reverse("rad:plan", args=[built.plan.pk])).content.decode()
    assert "Tambah program" in drawn_up
    assert reverse("rad_spreadsheet:plan_import", args=[built.plan.pk]) in drawn_up


def test_another_regions_plan_answers_like_a_missing_id(client_for) -> None:
    other = b.plan(b.LUBUKLINGGAU)
    client = client_for("secretariat")
    missing = client.get(reverse("rad:plan", args=[10**9]))
    hidden = client.get(reverse("rad:plan", args=[other.pk]))
    assert missing.status_code == hidden.status_code == 404
    for name in ("rad:realisation", "rad:budget"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404


def _adopt_data(**extra: Any) -> dict[str, Any]:
    return {"kind": "perwal", "number": "12 Tahun 2025", "date": "2025-03-03", **extra}


def test_adoption_with_the_basis_file_through_the_intake(client_for) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    upload = SimpleUploadedFile("perwal.pdf", files.pdf(), content_type="application/pdf")
    url = reverse("rad:version_adopt", args=[built.version.pk])
    response = client.post(url, _adopt_data(file=upload))
    assert response.status_code == 302, response.content[:500]
    version = Version.objects.select_related("basis_document").get(pk=built.version.pk)
    assert version.status == Version.Status.ADOPTED and version.basis_document is not None
    assert version.basis_document.kind == Document.Kind.BASIS and version.basis_document.file.name.startswith(
        "rad/16.71/"
    )
    page = client.get(reverse("rad:plan", args=[built.plan.pk])).content.decode()
    assert "Peraturan Wali Kota Nomor 12 Tahun 2025, 3 Maret 2025" in page
    download = client_for("opd").get(reverse("rad:document", args=[version.basis_document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert (
        client_for("other_secretariat").get(reverse("rad:document", args=[version.basis_document.pk])).status_code
        == 404
    )


def test_a_basis_that_does_not_fit_is_refused_with_the_message_and_no_file(client_for) -> None:
    built = b.built_plan()
    upload = SimpleUploadedFile("perbup.pdf", files.pdf(), content_type="application/pdf")
    response = client_for("secretariat").post(
        reverse("rad:version_adopt", args=[built.version.pk]), _adopt_data(kind="perbup", file=upload)
    )
    assert response.status_code == 422
    assert "Peraturan Bupati tidak menetapkan rencana wilayah ini" in response.content.decode()
    assert Version.objects.get(pk=built.version.pk).is_draft and not Document.objects.exists()
    assert 'value="12 Tahun 2025"' in response.content.decode()


def test_a_revision_starts_from_the_adopted_version(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("secretariat")
    assert client.post(reverse("rad:revision_start", args=[built.plan.pk])).status_code == 302
    draft = Version.objects.get(plan=built.plan, status=Version.Status.DRAFT)
    assert draft.based_on_id == built.version.pk and draft.nodes.count() == built.version.nodes.count()
    page = client.get(reverse("rad:plan", args=[built.plan.pk])).content.decode()
    assert "Versi 2" in page and "Tambah program" in page and "Lihat perubahan anggaran" in page
    old = client.get(reverse("rad:plan", args=[built.plan.pk]) + "?versi=1").content.decode()
    assert "Tambah program" not in old


def test_the_province_draws_up_its_own_plan_and_only_reads_its_kabkotas(client_for) -> None:
    client = client_for("province")
    index = client.get(reverse("rad:index")).content.decode()
    assert reverse("rad:region", args=[b.SUMSEL]) in index  # its own plan is drawn up from there
    data = {"framework": b.framework().pk, "start_year": "2025", "end_year": "2029", "title": "RAD KLA Provinsi"}
    assert client.post(reverse("rad:plan_create", args=[b.SUMSEL]), data).status_code == 302
    assert Plan.objects.get(region_id=b.SUMSEL).title == "RAD KLA Provinsi"
    assert client.post(reverse("rad:plan_create", args=[b.PALEMBANG]), data).status_code == 403
    assert not Plan.objects.filter(region_id=b.PALEMBANG).exists()


def test_the_ministry_searches_the_plans_by_region(client_for) -> None:
    b.plan()
    b.plan(b.LUBUKLINGGAU)
    text = client_for("ministry_admin").get(reverse("rad:index") + "?q=Lubuk").content.decode()
    listed = text.split("Rencana dalam wilayah")[1]
    assert "Lubuk Linggau" in listed and "Kota Palembang" not in listed


def test_adopting_a_version_adopted_meanwhile_says_so_on_the_plan_page(client_for) -> None:
    built = b.built_plan(adopt=True)
    response = client_for("secretariat").post(reverse("rad:version_adopt", args=[built.version.pk]), _adopt_data())
    assert response.status_code == 422
    assert "Versi 1 sudah ditetapkan dan tidak dapat diubah. Mulai revisi" in response.content.decode()
