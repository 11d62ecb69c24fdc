"""Realisation through HTTP: the year's table per activity and quarter (an agency's operators see only their
activities and record only theirs), recording a quarter with amounts typed the Indonesian way, the overspend
explanation, refusals on the form with what was typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from kla.core.models import AuditEvent
from kla.rad import services
from kla.rad.models import Realisation, Spend
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
M = Decimal


def _record(client: Any, pk: int, **data: Any) -> Any:
    return client.post(reverse("rad:realisation_record", args=[pk]), {"tahun": "2025", "triwulan": "2", **data})


def test_the_operator_sees_and_records_only_its_agencys_activities(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("opd")  # Disdukcapil
    page = client.get(reverse("rad:realisation", args=[built.plan.pk]) + "?tahun=2025").content.decode()
    assert "Layanan akta kelahiran keliling" in page and "Sosialisasi di sekolah" in page
    assert "Pembangunan ruang bermain ramah anak" not in page  # Dinas PUPR's
    assert "instansi Anda" in page
    assert reverse("rad_spreadsheet:realisation_template", args=[built.plan.pk]) in page
    assert client.get(reverse("rad:realisation_record", args=[built.play.pk])).status_code == 403
    assert _record(client, built.play.pk, spent_apbd_kabkota="1.000").status_code == 403
    assert not Realisation.objects.exists()
    secretariat = client_for("secretariat").get(reverse("rad:realisation", args=[built.plan.pk]) + "?tahun=2025")
    assert "Pembangunan ruang bermain ramah anak" in secretariat.content.decode()


def test_a_quarter_is_recorded_with_indonesian_amounts_and_shown_in_the_table(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("opd")
    response = _record(client, built.birth.pk, spent_apbd_kabkota="Rp 50.000.000,50", notes="Keliling 3 kecamatan.")
    assert response.status_code == 302
    row = Realisation.objects.get()
    assert (row.year, row.quarter, row.notes) == (2025, 2, "Keliling 3 kecamatan.")
    assert [(s.source, s.amount) for s in row.spends.all()] == [("apbd_kabkota", M("50000000.50"))]
    table = client.get(response.url).content.decode()
    assert "Rp 50.000.000,50" in table
    again = client.get(reverse("rad:realisation_record", args=[built.birth.pk]) + "?tahun=2025&triwulan=2")
    assert 'value="50.000.000,5"' in again.content.decode() and "Keliling 3 kecamatan." in again.content.decode()


def test_output_achieved_is_recorded_per_output(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("secretariat")
    key = f"achieved_{built.play_output.key}"
    response = _record(client, built.play.pk, spent_apbd_kabkota="100.000.000", **{key: "1"})
    assert response.status_code == 302
    assert [a.value for a in Realisation.objects.get().achievements.all()] == [M("1.00")]


def test_spending_above_plan_needs_an_explanation_and_keeps_the_typed_text(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("opd")
    before = AuditEvent.objects.count()
    response = _record(client, built.birth.pk, spent_apbd_kabkota="200.000.000", notes="Tambahan lokasi.")
    assert response.status_code == 422
    text = response.content.decode()
    assert "melebihi anggaran yang direncanakan (Rp 150.000.000)" in text
    assert 'value="200.000.000"' in text and "Tambahan lokasi." in text
    assert not Spend.objects.exists() and AuditEvent.objects.count() == before
    explained = _record(
        client, built.birth.pk, spent_apbd_kabkota="200.000.000", explanation="Permintaan layanan melonjak."
    )
    assert explained.status_code == 302
    table = client.get(explained.url).content.decode()
    assert "melebihi rencana" in table


@pytest.mark.parametrize(
    ("typed", "message"), [("-1", "tidak boleh negatif"), ("1,250", "dapat dibaca dua cara"), ("abc", "bukan angka")]
)
def test_bad_spending_is_refused_with_the_message(client_for, typed: str, message: str) -> None:
    built = b.built_plan(adopt=True)
    response = _record(client_for("opd"), built.birth.pk, spent_dak=typed)
    assert response.status_code == 422
    assert "Realisasi DAK: " in response.content.decode() and message in response.content.decode()
    assert not Realisation.objects.exists()


def test_a_quarter_not_started_and_a_draft_are_refused(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("opd")
    year = dt.date.today().year + 1
    response = client.post(
        reverse("rad:realisation_record", args=[built.birth.pk]),
        {"tahun": str(year), "triwulan": "4", "spent_apbd_kabkota": "1.000"},
    )
    assert response.status_code == 422 and "belum dimulai" in response.content.decode()
    draft = b.built_plan(b.LUBUKLINGGAU)
    other = client_for("other_secretariat")
    response = _record(other, draft.birth.pk, spent_apbd_kabkota="1.000")
    assert response.status_code == 422 and "rencana yang sudah ditetapkan" in response.content.decode()
    assert not Realisation.objects.exists()


def test_a_plan_not_adopted_says_so_on_the_realisation_page(client_for) -> None:
    built = b.built_plan()
    page = client_for("opd").get(reverse("rad:realisation", args=[built.plan.pk])).content.decode()
    assert "belum ditetapkan" in page


def test_the_year_switch_answers_the_htmx_partial(client_for) -> None:
    built = b.built_plan(adopt=True)
    services.realisation_record(
        node=built.birth, year=2025, quarter=1, spent={"apbd_kabkota": "10.000.000"}, by=None, today=b.TODAY
    )
    response = client_for("secretariat").get(
        reverse("rad:realisation", args=[built.plan.pk]) + "?tahun=2025", headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and 'id="realisasi"' in text
    assert "Rp 10.000.000" in text
