"""The budget page through HTTP: planned and realised per agency, source, cluster and indicator of a year, the
region budget entered per year and the share, the flags, and what a revision draft changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kla.core.models import AuditEvent
from kla.rad import services
from kla.rad.models import RegionBudget
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


def test_the_budget_page_breaks_the_year_down_and_shows_the_flags(client_for) -> None:
    built = b.built_plan(adopt=True)
    services.realisation_record(
        node=built.birth, year=2025, quarter=1, spent={"apbd_kabkota": "10.000.000"}, by=None, today=b.TODAY
    )
    text = client_for("province").get(reverse("rad:budget", args=[built.plan.pk]) + "?tahun=2025").content.decode()
    # 2025: 1.250.000.000 + 300.000.000,50 + 150.000.000 + 60.000.000,25
    assert "Rp 1.760.000.000,75" in text and "Rp 10.000.000" in text
    assert "Dinas PUPR" in text and "Disdukcapil" in text and "DAK" in text and "APBN" in text
    assert "Indikator tanpa kegiatan beranggaran" in text
    assert "Kegiatan tanpa realisasi setelah triwulannya berakhir" in text
    assert "total APBD tahun ini belum diisi" in text
    assert "Isi total APBD" not in text  # the province reads Palembang's; the secretariat enters it


def test_the_secretariat_enters_the_region_budget_and_sees_the_share(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("secretariat")
    url = reverse("rad:region_budget", args=[built.plan.pk])
    response = client.post(url, {"year": "2025", "total": "Rp 5.000.000.000.000"})
    assert response.status_code == 302 and response.url.endswith("?tahun=2025")
    assert RegionBudget.objects.get(region_id=b.PALEMBANG, year=2025).amount == 5_000_000_000_000
    text = client.get(response.url).content.decode()
    assert "dari total APBD Rp 5.000.000.000.000" in text and "0,0352%" in text


def test_a_bad_region_budget_is_refused_with_the_typed_text(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("secretariat")
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("rad:region_budget", args=[built.plan.pk]), {"year": "2025", "total": "5.000.000,123"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Total APBD: Anggaran paling banyak 2 angka di belakang koma" in text and 'value="5.000.000,123"' in text
    assert not RegionBudget.objects.exists() and AuditEvent.objects.count() == before


def test_a_revision_draft_shows_what_it_changes_against_the_adopted_figures(client_for) -> None:
    built = b.built_plan(adopt=True)
    revision = services.revision_start(plan=built.plan, by=None)
    play = revision.nodes.get(key=built.play.key)
    services.budget_set(node=play, budget={(2025, "apbd_kabkota"): "1.500.000.000"}, by=None)
    text = client_for("secretariat").get(reverse("rad:budget", args=[built.plan.pk])).content.decode()
    assert "Perubahan dalam revisi (Versi 2)" in text
    assert "Pembangunan ruang bermain ramah anak" in text
    assert "Rp 1.250.000.000" in text and "Rp 1.500.000.000" in text


def test_the_year_switch_answers_the_htmx_partial(client_for) -> None:
    built = b.built_plan(adopt=True)
    response = client_for("opd").get(
        reverse("rad:budget", args=[built.plan.pk]) + "?tahun=2026", headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and 'id="laporan"' in text
    assert "Rp 960.000.000,25" in text  # 2026: 900.000.000 + 25.000.000 + 35.000.000,25


def test_the_budget_page_offers_the_recaps_the_user_may_ask_for(client_for) -> None:
    """The recap buttons sit on the budget page (not only on the spreadsheet pages): the kab/kota's for its
    secretariat, the province's too for a province reviewer; each posts to the recap request of its region."""
    built = b.built_plan(adopt=True)
    url = reverse("rad:budget", args=[built.plan.pk])
    own = client_for("secretariat").get(url).content.decode()
    assert "Rekap anggaran Kota Palembang" in own and "Rekap rencana Kota Palembang" in own
    assert reverse("reports:rad_recap", args=[b.PALEMBANG]) in own
    assert "Rekap anggaran Sumatera Selatan" not in own
    province = client_for("province").get(url).content.decode()
    assert "Rekap anggaran Kota Palembang" in province and "Rekap anggaran Sumatera Selatan" in province
