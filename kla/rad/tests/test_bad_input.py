"""The bad input of issue 20 that the foundation meets: each refused with a clear Indonesian sentence, nothing
half-written; another region's plan or agency by id answers exactly like an id that does not exist."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from kla.accounts.models import User
from kla.agencies.models import Agency
from kla.rad import access, services
from kla.rad.models import BudgetLine, Node, Realisation, Target
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


def _refusal(call: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-5.000.000", "Anggaran tahun 2025, APBD kabupaten/kota: Anggaran tidak boleh negatif. Isi 0 bila tidak ada."),
        ("lima juta", 'Anggaran tahun 2025, APBD kabupaten/kota: "lima juta" bukan angka.'),
        ("1.000.000.000.000.000", "terlalu besar; periksa jumlah digitnya"),
        (
            "1,250",
            'Anggaran tahun 2025, APBD kabupaten/kota: "1,250" dapat dibaca dua cara. Tulis 1.250 jika maksudnya',
        ),
        ("1.5", "titik memisahkan ribuan, koma menandai desimal. Tulis 1,5 untuk bilangan desimal."),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(typed: str, expected: str) -> None:
    built = b.built_plan()
    before = list(BudgetLine.objects.filter(node=built.play).values_list("year", "source", "amount"))
    message = _refusal(
        lambda: services.budget_set(
            node=built.play, budget={(2025, "apbd_kabkota"): typed, (2026, "dak"): "1.000"}, by=None
        )
    )
    assert expected in message
    assert list(BudgetLine.objects.filter(node=built.play).values_list("year", "source", "amount")) == before


def test_every_bad_cell_is_named_at_once() -> None:
    built = b.built_plan()
    message = _refusal(
        lambda: services.budget_set(
            node=built.play,
            budget={(2024, "apbn"): "1", (2025, "hibah"): "1", (2026, "dak"): "-1", (2027, "apbn"): "2.000"},
            by=None,
        )
    )
    assert "Tahun 2024 di luar periode rencana (2025–2029)" in message
    assert (
        "Sumber dana tidak dikenal" in message and "Anggaran tahun 2026, DAK: Anggaran tidak boleh negatif" in message
    )
    assert not BudgetLine.objects.filter(node=built.play, year=2027).exists()


def test_a_target_year_outside_the_plans_period_is_refused() -> None:
    built = b.built_plan()
    message = _refusal(lambda: services.targets_set(output=built.play_output, targets={2030: "5", 2027: "1"}, by=None))
    assert message == "Target tahun 2030: Tahun 2030 di luar periode rencana (2025–2029). Pilih tahun 2025 sampai 2029."
    assert not Target.objects.filter(output=built.play_output, year=2027).exists()
    assert "tidak boleh negatif" in _refusal(
        lambda: services.targets_set(output=built.play_output, targets={2027: "-3"}, by=None)
    )


def test_negative_or_ambiguous_realisation_is_refused() -> None:
    built = b.built_plan(adopt=True)
    for typed in ("-1", "1,250", "sejuta"):
        _refusal(
            lambda typed=typed: services.realisation_record(
                node=built.play, year=2025, quarter=1, spent={"apbd_kabkota": typed}, by=None, today=b.TODAY
            )
        )
    message = _refusal(
        lambda: services.realisation_record(
            node=built.play, year=2030, quarter=1, spent={"apbd_kabkota": "1"}, by=None, today=b.TODAY
        )
    )
    assert "di luar periode rencana" in message
    message = _refusal(
        lambda: services.realisation_record(
            node=built.play, year=2026, quarter=4, spent={"apbd_kabkota": "1"}, by=None, today=b.TODAY
        )
    )
    assert message == "Triwulan 4 tahun 2026 belum dimulai. Catat realisasinya setelah triwulan itu berjalan."
    assert "Indikator keluaran tidak dikenal" in _refusal(
        lambda: services.realisation_record(
            node=built.play, year=2025, quarter=1, spent={}, achieved={"bukan-kunci": "1"}, by=None, today=b.TODAY
        )
    )
    assert not Realisation.objects.exists()


def test_another_regions_agency_by_id_is_refused_like_a_missing_one() -> None:
    built = b.built_plan()
    programme = built.play.parent
    foreign = b.agency("DPUPR", b.LUBUKLINGGAU)
    missing = (Agency.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    messages = {
        _refusal(
            lambda pk=pk: services.node_add(
                version=built.version, level="activity", parent=programme, agency_id=pk, name="Taman", by=None
            )
        )
        for pk in (foreign.pk, missing)
    }
    assert len(messages) == 1 and "tidak terdaftar di wilayah ini" in messages.pop()
    assert _refusal(lambda: services.node_update(node=built.play, name="X", agency_id=foreign.pk, by=None))
    assert Node.objects.get(pk=built.play.pk).agency_id != foreign.pk


def test_a_provincial_body_may_be_responsible_in_a_kabkota_plan() -> None:
    built = b.built_plan()
    kanwil = b.agency("KANWIL_KEMENAG", b.SUMSEL)
    node = services.node_update(node=built.play, name="Ruang bermain", agency_id=kanwil.pk, by=None)
    assert node.agency_id == kanwil.pk


def test_an_indicator_outside_the_instrument_is_refused() -> None:
    built = b.built_plan()
    message = _refusal(
        lambda: services.node_add(version=built.version, level="programme", indicator_id=10**9, name="P", by=None)
    )
    assert message == "Indikator yang dipilih tidak ada dalam instrumen rencana ini. Pilih dari daftar indikator."


def test_another_regions_plan_by_id_answers_like_a_missing_one(user_of: Callable[[str], User]) -> None:
    built = b.built_plan()
    stranger = user_of("other_secretariat")
    answers = []
    for pk in (built.plan.pk, built.plan.pk + 10_000):
        with pytest.raises(Http404) as caught:
            access.get_plan_for_user(stranger, pk)
        answers.append(str(caught.value))
    assert answers[0] == answers[1] == access.NOT_FOUND
    for getter, pk in (
        (access.get_version_for_user, built.version.pk),
        (access.get_node_for_user, built.play.pk),
    ):
        with pytest.raises(Http404):
            getter(stranger, pk)
        with pytest.raises(Http404):
            getter(stranger, pk + 10_000)


def test_a_refused_write_leaves_no_audit_event() -> None:
    from kla.core.models import AuditEvent

    built = b.built_plan(adopt=True)
    before = AuditEvent.objects.count()
    for call in (
        lambda: services.budget_set(node=built.play, budget={(2025, "apbn"): "1"}, by=None),
        lambda: services.realisation_record(
            node=built.birth, year=2025, quarter=1, spent={"apbd_kabkota": "999.999.999"}, by=None, today=b.TODAY
        ),
        lambda: services.region_budget_set(region=b.region(), year=2025, total="-1", by=None),
        lambda: services.revision_start(plan=built.plan, by=None) and services.revision_start(plan=built.plan, by=None),
    ):
        with pytest.raises(ValidationError):
            call()
    # the first revision of the last call was written (one event), the refused second one nothing
    assert AuditEvent.objects.count() == before + 1
