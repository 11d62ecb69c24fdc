"""The draft's forms through HTTP: programmes, activities and sub-activities, outputs with targets, budgets typed the
Indonesian way; every refusal shows the service's message on the form with what was typed, and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from kla.core.models import AuditEvent
from kla.rad.models import BudgetLine, Node, Output, Target
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
M = Decimal


def _post(client: Any, name: str, pk: int, data: dict[str, Any]) -> Any:
    return client.post(reverse(name, args=[pk]), data)


def test_a_programme_an_activity_and_a_sub_activity_are_added_through_the_pages(client_for) -> None:
    plan = b.plan()
    client = client_for("secretariat")
    indicator = b.indicators()[4]
    response = _post(
        client, "rad:programme_add", plan.pk, {"indicator": indicator.pk, "name": "Program gizi", "code": "1.02.02"}
    )
    programme = Node.objects.get(name="Program gizi")
    assert response.status_code == 302 and response.url == reverse("rad:node", args=[programme.pk])
    dinkes = b.agency("DINKES")
    response = _post(
        client, "rad:child_add", programme.pk, {"name": "Posyandu", "code": "1.02.02.2.01", "agency": dinkes.pk}
    )
    activity = Node.objects.get(name="Posyandu")
    assert response.status_code == 302 and activity.parent_id == programme.pk and activity.agency_id == dinkes.pk
    assert _post(client, "rad:child_add", activity.pk, {"name": "Kelas ibu", "agency": ""}).status_code == 302
    sub = Node.objects.get(name="Kelas ibu")
    assert sub.level == "sub_activity" and sub.agency_id == dinkes.pk  # defaults to its activity's agency
    page = client.get(reverse("rad:plan", args=[plan.pk])).content.decode()
    assert "Program gizi" in page and "Posyandu" in page and "Kelas ibu" in page and "1.02.02.2.01" in page


def test_a_code_of_the_wrong_shape_is_refused_on_the_form_with_the_typed_text(client_for) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    before = (Node.objects.count(), AuditEvent.objects.count())
    response = _post(
        client,
        "rad:child_add",
        built.play.parent_id or 0,
        {"name": "Taman baca anak", "code": "1.03.9", "agency": b.agency("DPUPR").pk},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "tidak sesuai nomenklatur, contohnya 1.02.02.2.01" in text
    assert 'value="Taman baca anak"' in text and 'value="1.03.9"' in text
    assert (Node.objects.count(), AuditEvent.objects.count()) == before


def test_budget_typed_the_indonesian_way_is_stored_exactly_and_shown_the_same_way(client_for) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    data = {
        "b_2025_apbd_kabkota": "1.250.000.000",
        "b_2025_dak": "1.250.000.000,50",
        "b_2026_apbn": "Rp 1.250.000.000",
        "b_2027_apbd_kabkota": "",
    }
    response = _post(client, "rad:budget_set", built.play.pk, data)
    assert response.status_code == 302
    lines = {(x.year, x.source): x.amount for x in BudgetLine.objects.filter(node=built.play)}
    assert lines == {
        (2025, "apbd_kabkota"): M("1250000000.00"),
        (2025, "dak"): M("1250000000.50"),
        (2026, "apbn"): M("1250000000.00"),
    }
    page = client.get(reverse("rad:node", args=[built.play.pk])).content.decode()
    assert 'value="1.250.000.000,5"' in page and 'value="1.250.000.000"' in page
    plan_page = client.get(reverse("rad:plan", args=[built.plan.pk])).content.decode()
    assert "Rp 1.250.000.000,50" in plan_page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5.000", "Anggaran tidak boleh negatif"),
        ("lima juta", "bukan angka. Pisahkan ribuan dengan titik"),
        ("1,250", "dapat dibaca dua cara. Tulis 1.250 jika maksudnya ribuan"),
        ("9.999.999.999.999.999", "terlalu besar"),
    ],
)
def test_bad_amounts_are_refused_with_the_message_and_nothing_is_written(client_for, typed: str, message: str) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    before = (list(BudgetLine.objects.order_by("pk").values_list()), AuditEvent.objects.count())
    data = {"b_2025_apbd_kabkota": "2.000.000", "b_2026_dak": typed}
    response = _post(client, "rad:budget_set", built.play.pk, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "Anggaran tahun 2026, DAK" in text and message in text
    assert f'value="{typed}"' in text and 'value="2.000.000"' in text  # nothing typed is lost
    assert (list(BudgetLine.objects.order_by("pk").values_list()), AuditEvent.objects.count()) == before


def test_an_output_with_targets_per_year_is_added_corrected_and_removed(client_for) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    data = {"name": "Anak terlayani", "unit": "anak", "target_2025": "1.250", "target_2026": "1.500,5"}
    assert _post(client, "rad:output_add", built.birth.pk, data).status_code == 302
    output = Output.objects.get(node=built.birth)
    assert {t.year: t.value for t in output.targets.all()} == {2025: M("1250.00"), 2026: M("1500.50")}
    data = {"name": "Anak terlayani akta", "unit": "anak", "target_2025": "1.300", "target_2026": ""}
    assert _post(client, "rad:output_update", output.pk, data).status_code == 302
    output.refresh_from_db()
    assert output.name == "Anak terlayani akta"
    assert {t.year: t.value for t in output.targets.all()} == {2025: M("1300.00")}
    assert _post(client, "rad:output_remove", output.pk, {}).status_code == 302
    assert not Output.objects.filter(pk=output.pk).exists()


def test_a_bad_target_leaves_the_output_as_it_was(client_for) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    data = {"name": "Nama baru", "unit": "unit", "target_2025": "-1", "target_2026": "3"}
    response = _post(client, "rad:output_update", built.play_output.pk, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "Target tahun 2025: Nilai tidak boleh negatif" in text and 'value="Nama baru"' in text
    built.play_output.refresh_from_db()
    assert built.play_output.name == "Ruang bermain ramah anak dibangun"
    assert Target.objects.filter(output=built.play_output).count() == 2


def test_a_node_is_renamed_and_removed(client_for) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    data = {"name": "Ruang bermain publik ramah anak", "code": "1.03.02.2.01", "agency": b.agency("DPUPR").pk}
    assert _post(client, "rad:node_update", built.play.pk, data).status_code == 302
    built.play.refresh_from_db()
    assert built.play.name == "Ruang bermain publik ramah anak"
    response = _post(client, "rad:node_remove", built.split.pk, {})
    assert response.status_code == 302 and response.url == reverse("rad:node", args=[built.split.parent_id])
    assert not Node.objects.filter(pk__in=[built.split.pk, *(s.pk for s in built.subs)]).exists()


def test_an_adopted_version_is_read_only_and_its_forms_are_refused(client_for) -> None:
    built = b.built_plan(adopt=True)
    client = client_for("secretariat")
    page = client.get(reverse("rad:node", args=[built.play.pk])).content.decode()
    assert "Simpan anggaran" not in page and "Rp 1.250.000.000" in page
    response = _post(client, "rad:budget_set", built.play.pk, {"b_2025_apbd_kabkota": "1"})
    assert response.status_code == 422 and "Mulai revisi" in response.content.decode()


def test_the_operator_reads_the_node_but_may_not_change_it(client_for) -> None:
    built = b.built_plan()
    client = client_for("opd")
    assert client.get(reverse("rad:node", args=[built.play.pk])).status_code == 200
    assert _post(client, "rad:budget_set", built.play.pk, {"b_2025_apbd_kabkota": "1"}).status_code == 403
