"""RAD KLA writes through the services: plans, structure, figures, adoption, revisions, realisation; each audited,
each refusal an Indonesian sentence with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kla.accounts.models import User
from kla.core.models import AuditEvent
from kla.rad import services
from kla.rad.models import BudgetLine, Node, Output, Plan, Realisation, RegionBudget, Spend, Target, Version
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
M = Decimal
BASIS = services.Basis("perwal", "12 Tahun 2025", dt.date(2025, 3, 3))


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- plans -----------------------------------------------------------------------------------------------------------


def test_a_plan_starts_with_a_draft_version_and_is_audited() -> None:
    plan = b.plan()
    version = plan.versions.get()
    assert (version.number, version.status, plan.years) == (1, Version.Status.DRAFT, (2025, 2026, 2027, 2028, 2029))
    assert plan.title.startswith("RAD KLA ")
    assert AuditEvent.objects.filter(
        action="kla.rad.plan.created", object_id=str(plan.pk), region_code="16.71"
    ).exists()


def test_overlapping_reversed_or_long_periods_are_refused() -> None:
    b.plan()
    with pytest.raises(ValidationError) as caught:
        b.plan(start=2027)
    assert "bertumpuk dengan RAD KLA" in _message(caught)
    with pytest.raises(ValidationError, match="paling lama 5 tahun"):
        services.plan_create(region=b.region(), framework=b.framework(), start_year=2030, end_year=2036, by=None)
    with pytest.raises(ValidationError, match="tidak boleh sebelum"):
        services.plan_create(region=b.region(), framework=b.framework(), start_year=2034, end_year=2030, by=None)
    assert Plan.objects.filter(region_id=b.PALEMBANG).count() == 1
    assert b.plan(start=2030).start_year == 2030


def test_a_province_has_its_own_plan_a_kecamatan_none() -> None:
    assert b.plan(b.SUMSEL).region_id == b.SUMSEL
    kecamatan = b.region().children.first()
    if kecamatan is not None:
        with pytest.raises(ValidationError, match="kabupaten/kota atau provinsi"):
            services.plan_create(region=kecamatan, framework=b.framework(), start_year=2025, end_year=2029, by=None)


def test_only_the_regions_own_secretariat_creates_a_plan(user_of: Callable[[str], User]) -> None:
    assert services.plan_create(
        region=b.region(), framework=b.framework(), start_year=2025, end_year=2029, by=user_of("secretariat")
    )
    for persona in ("opd", "province", "other_secretariat", "ministry_admin"):
        with pytest.raises(PermissionDenied):
            services.plan_create(
                region=b.region(), framework=b.framework(), start_year=2030, end_year=2034, by=user_of(persona)
            )
    assert services.plan_create(
        region=b.region(b.SUMSEL), framework=b.framework(), start_year=2025, end_year=2029, by=user_of("province")
    )


def test_the_region_budget_is_entered_per_year(user_of: Callable[[str], User]) -> None:
    row = services.region_budget_set(region=b.region(), year=2025, total="Rp 5.100.000.000.000", by=None)
    assert row.amount == M("5100000000000.00")
    services.region_budget_set(region=b.region(), year=2025, total="5.200.000.000.000,75", by=user_of("secretariat"))
    assert RegionBudget.objects.get(region_id=b.PALEMBANG, year=2025).amount == M("5200000000000.75")
    event = AuditEvent.objects.filter(action="kla.rad.region_budget.set").latest("id")
    assert event.before == {"amount": "5100000000000.00"} and "Rp 5.200.000.000.000,75" in event.object_label
    with pytest.raises(ValidationError, match="lebih dari 0"):
        services.region_budget_set(region=b.region(), year=2026, total="0", by=None)
    with pytest.raises(PermissionDenied):
        services.region_budget_set(region=b.region(), year=2026, total="1", by=user_of("opd"))


# --- structure -----------------------------------------------------------------------------------------------------


def test_the_structure_follows_indicator_programme_activity_sub_activity() -> None:
    built = b.built_plan()
    assert built.play.indicator_id == b.indicators()[1].pk and built.play.agency is not None
    assert built.play.agency.kind == "DPUPR" and built.play.code == "1.03.02.2.01"
    assert [s.agency_id for s in built.subs] == [built.split.agency_id] * 2  # a sub-activity inherits the agency
    assert {s.indicator_id for s in built.subs} == {built.split.indicator_id}
    assert AuditEvent.objects.filter(action="kla.rad.node.added").count() >= 7


def test_a_wrong_parent_or_code_is_refused() -> None:
    built = b.built_plan()
    programme = built.play.parent
    assert programme is not None
    with pytest.raises(ValidationError, match="di bawah program"):
        services.node_add(version=built.version, level="activity", name="X", agency_id=built.play.agency_id, by=None)
    with pytest.raises(ValidationError, match="langsung di bawah indikator"):
        services.node_add(version=built.version, level="programme", parent=programme, name="X", by=None)
    with pytest.raises(ValidationError, match="di bawah kegiatan"):
        services.node_add(version=built.version, level="sub_activity", parent=programme, name="X", by=None)
    with pytest.raises(ValidationError, match="harus diawali kode induknya"):
        b._activity(built.version, programme, "DPUPR", "Taman", code="1.04.02.2.01")
    with pytest.raises(ValidationError, match="tidak sesuai nomenklatur"):
        b._activity(built.version, programme, "DPUPR", "Taman", code="1.03.02.2")
    with pytest.raises(ValidationError, match="tingkat"):
        services.node_add(version=built.version, level="urusan", name="X", by=None)
    with pytest.raises(ValidationError, match="Isi nama"):
        b._activity(built.version, programme, "DPUPR", "   ")


def test_money_sits_on_leaves_only() -> None:
    built = b.built_plan()
    with pytest.raises(ValidationError, match="sudah memiliki anggaran sendiri"):
        services.node_add(version=built.version, level="sub_activity", parent=built.play, name="Bagian", by=None)
    with pytest.raises(ValidationError, match="memiliki sub kegiatan"):
        services.budget_set(node=built.split, budget={(2025, "apbn"): "1"}, by=None)
    programme = built.play.parent
    assert programme is not None
    with pytest.raises(ValidationError, match="bukan pada program"):
        services.budget_set(node=programme, budget={(2025, "apbn"): "1"}, by=None)
    with pytest.raises(ValidationError, match="bukan pada program"):
        services.output_add(node=programme, name="Keluaran", unit="unit", by=None)


def test_budget_cells_are_set_replaced_and_removed() -> None:
    built = b.built_plan()
    lines = {(bl.year, bl.source): bl.amount for bl in BudgetLine.objects.filter(node=built.play)}
    assert lines == {
        (2025, "apbd_kabkota"): M("1250000000.00"),
        (2025, "dak"): M("300000000.50"),
        (2026, "apbd_kabkota"): M("900000000.00"),
    }
    after = services.budget_set(node=built.play, budget={(2025, "dak"): "0", (2027, "dana_desa"): "10.000"}, by=None)
    assert (2025, "dak") not in after and after[(2027, "dana_desa")] == M("10000.00")
    event = AuditEvent.objects.filter(action="kla.rad.budget.set").latest("id")
    assert event.before["budget"]["2025 dak"] == "300000000.50" and "2025 dak" not in event.after["budget"]


def test_targets_per_year() -> None:
    built = b.built_plan()
    assert {t.year: t.value for t in built.play_output.targets.all()} == {2025: M("2.00"), 2026: M("3.00")}
    services.targets_set(output=built.play_output, targets={2025: "", 2027: "4,5"}, by=None)
    assert {t.year: t.value for t in Target.objects.filter(output=built.play_output)} == {
        2026: M("3.00"),
        2027: M("4.50"),
    }


def test_a_node_is_renamed_recoded_reassigned_and_removed() -> None:
    built = b.built_plan()
    other = b.agency("DINSOS")
    node = services.node_update(node=built.play, name="Ruang bermain", code="1.03.02.2.02", agency_id=other.pk, by=None)
    assert (node.name, node.code, node.agency_id, node.key) == (
        "Ruang bermain",
        "1.03.02.2.02",
        other.pk,
        built.play.key,
    )
    services.node_remove(node=built.split, by=None)
    assert not Node.objects.filter(pk__in=[built.split.pk, *[s.pk for s in built.subs]]).exists()
    event = AuditEvent.objects.filter(action="kla.rad.node.removed").latest("id")
    assert sorted(event.before["children"]) == sorted(s.pk for s in built.subs)


# --- adoption and revision -------------------------------------------------------------------------------------------


def test_adoption_needs_a_fitting_basis_and_money() -> None:
    plan = b.plan()
    version = plan.versions.get()
    with pytest.raises(ValidationError, match="belum memiliki kegiatan beranggaran"):
        services.version_adopt(version=version, basis=BASIS, by=None)
    built = b.built_plan(b.LUBUKLINGGAU)
    with pytest.raises(ValidationError, match="Peraturan Bupati tidak menetapkan"):
        services.version_adopt(version=built.version, basis=services.Basis("perbup", "1", dt.date(2025, 1, 2)), by=None)
    future = services.Basis("perwal", "1", dt.date(2099, 1, 1))
    with pytest.raises(ValidationError, match="masa depan"):
        services.version_adopt(version=built.version, basis=future, by=None)
    assert Version.objects.get(pk=built.version.pk).status == Version.Status.DRAFT


def test_an_adopted_version_is_frozen() -> None:
    built = b.built_plan(adopt=True)
    assert built.version.status == Version.Status.ADOPTED and built.version.basis_number == "12 Tahun 2025"
    frozen = "sudah ditetapkan dan tidak dapat diubah"
    with pytest.raises(ValidationError, match=frozen):
        services.budget_set(node=built.play, budget={(2025, "apbn"): "1"}, by=None)
    with pytest.raises(ValidationError, match=frozen):
        services.targets_set(output=built.play_output, targets={2025: "9"}, by=None)
    with pytest.raises(ValidationError, match=frozen):
        services.node_update(node=built.play, name="X", by=None)
    with pytest.raises(ValidationError, match=frozen):
        services.version_adopt(version=built.version, basis=BASIS, by=None)


def test_a_revision_copies_the_adopted_version_with_the_same_keys() -> None:
    built = b.built_plan(adopt=True)
    revision = services.revision_start(plan=built.plan, by=None)
    assert (revision.number, revision.based_on_id, revision.status) == (2, built.version.pk, Version.Status.DRAFT)
    old = {n.key: n for n in Node.objects.filter(version=built.version)}
    new = {n.key: n for n in Node.objects.filter(version=revision).select_related("parent")}
    assert set(old) == set(new)
    for key, node in new.items():
        assert node.pk != old[key].pk and node.name == old[key].name
        assert (node.parent.key if node.parent else None) == (old[key].parent.key if old[key].parent else None)
    assert Output.objects.get(node__version=revision).key == built.play_output.key
    assert Target.objects.filter(output__node__version=revision).count() == 2
    assert (
        BudgetLine.objects.filter(node__version=revision).count()
        == BudgetLine.objects.filter(node__version=built.version).count()
    )
    with pytest.raises(ValidationError, match="sudah memiliki draf"):
        services.revision_start(plan=built.plan, by=None)


def test_adopting_a_revision_supersedes_the_adopted_figures_which_stay() -> None:
    built = b.built_plan(adopt=True)
    revision = services.revision_start(plan=built.plan, by=None)
    play = Node.objects.get(version=revision, key=built.play.key)
    services.budget_set(node=play, budget={(2025, "apbd_kabkota"): "1.500.000.000"}, by=None)
    services.version_adopt(
        version=revision, basis=services.Basis("perwal", "30 Tahun 2026", dt.date(2026, 2, 1)), by=None
    )
    statuses = dict(Version.objects.filter(plan=built.plan).values_list("number", "status"))
    assert statuses == {1: Version.Status.SUPERSEDED, 2: Version.Status.ADOPTED}
    assert BudgetLine.objects.get(node=built.play, year=2025, source="apbd_kabkota").amount == M("1250000000.00")
    assert BudgetLine.objects.get(node=play, year=2025, source="apbd_kabkota").amount == M("1500000000.00")
    assert AuditEvent.objects.filter(action="kla.rad.version.superseded", object_id=str(built.version.pk)).exists()


def test_a_draft_plan_has_nothing_to_revise() -> None:
    plan = b.plan()
    with pytest.raises(ValidationError, match="belum ditetapkan"):
        services.revision_start(plan=plan, by=None)


# --- realisation -----------------------------------------------------------------------------------------------------


def _realise(node: Node, quarter: int = 1, year: int = 2025, **spent: str) -> Realisation:
    return services.realisation_record(
        node=node, year=year, quarter=quarter, spent=spent or {"apbd_kabkota": "100.000.000"}, by=None, today=b.TODAY
    )


def test_a_quarter_is_recorded_and_corrected() -> None:
    built = b.built_plan(adopt=True)
    row = services.realisation_record(
        node=built.play,
        year=2025,
        quarter=2,
        spent={"apbd_kabkota": "400.000.000", "dak": "Rp 100.000.000,50"},
        achieved={str(built.play_output.key): "1"},
        notes="Dua lokasi di Kecamatan Ilir Barat I.",
        by=None,
        today=b.TODAY,
    )
    assert row.activity_key == built.play.key and row.plan_id == built.plan.pk
    assert {s.source: s.amount for s in row.spends.all()} == {
        "apbd_kabkota": M("400000000.00"),
        "dak": M("100000000.50"),
    }
    assert row.achievements.get().value == M("1.00")
    again = _realise(built.play, 2, apbd_kabkota="450.000.000")
    assert again.pk == row.pk and [s.amount for s in again.spends.all()] == [M("450000000.00")]
    event = AuditEvent.objects.filter(action="kla.rad.realisation.recorded").latest("id")
    assert event.before is not None and event.before["spent"]["dak"] == "100000000.50"


def test_spending_above_plan_is_flagged_until_explained() -> None:
    built = b.built_plan(adopt=True)
    _realise(built.birth, 1, apbd_kabkota="100.000.000")
    with pytest.raises(ValidationError) as caught:
        _realise(built.birth, 2, apbd_kabkota="60.000.000")
    assert "melebihi anggaran yang direncanakan (Rp 150.000.000)" in _message(caught)
    assert not Realisation.objects.filter(quarter=2).exists()
    row = services.realisation_record(
        node=built.birth,
        year=2025,
        quarter=2,
        spent={"apbd_kabkota": "60.000.000"},
        explanation="Tambahan layanan di 3 kelurahan.",
        by=None,
        today=b.TODAY,
    )
    assert row.overspend_explanation == "Tambahan layanan di 3 kelurahan."


def test_realisation_only_on_funded_leaves_of_the_version_in_force() -> None:
    built = b.built_plan()
    with pytest.raises(ValidationError, match="rencana yang sudah ditetapkan"):
        _realise(built.play)
    built = b.built_plan(b.LUBUKLINGGAU, adopt=True)
    with pytest.raises(ValidationError, match="bukan pada program"):
        _realise(built.split)
    assert _realise(built.subs[0], apbn="1.000").spends.get().source == "apbn"


def test_realisation_follows_the_activity_across_a_revision() -> None:
    built = b.built_plan(adopt=True)
    _realise(built.play, 1)
    revision = services.revision_start(plan=built.plan, by=None)
    services.version_adopt(version=revision, basis=services.Basis("perwal", "30", dt.date(2026, 2, 1)), by=None)
    play = Node.objects.get(version=revision, key=built.play.key)
    with pytest.raises(ValidationError, match="rencana yang sudah ditetapkan"):
        _realise(built.play, 2)  # the superseded row
    row = _realise(play, 2)
    assert Realisation.objects.filter(plan=built.plan, activity_key=play.key).count() == 2 and row.quarter == 2


def test_operators_realise_their_own_agencys_activities(user_of: Callable[[str], User]) -> None:
    built = b.built_plan(adopt=True)
    operator = user_of("opd")  # Disdukcapil Kota Palembang
    row = services.realisation_record(
        node=built.birth, year=2025, quarter=1, spent={"apbd_kabkota": "1"}, by=operator, today=b.TODAY
    )
    assert row.recorded_by == operator
    with pytest.raises(PermissionDenied, match="operator instansi penanggung jawabnya"):
        services.realisation_record(
            node=built.play, year=2025, quarter=1, spent={"apbd_kabkota": "1"}, by=operator, today=b.TODAY
        )
    for persona in ("province", "ministry_admin", "other_secretariat"):
        with pytest.raises(PermissionDenied):
            services.realisation_record(
                node=built.play, year=2025, quarter=1, spent={"apbd_kabkota": "1"}, by=user_of(persona), today=b.TODAY
            )
    services.realisation_record(
        node=built.play, year=2025, quarter=1, spent={"apbd_kabkota": "1"}, by=user_of("secretariat"), today=b.TODAY
    )
    assert Spend.objects.filter(realisation__plan=built.plan).count() == 2


def test_an_output_is_corrected_and_removed() -> None:
    built = b.built_plan()
    output = services.output_update(output=built.play_output, name="Ruang bermain dibangun", unit="lokasi", by=None)
    assert (output.name, output.unit, output.key) == ("Ruang bermain dibangun", "lokasi", built.play_output.key)
    with pytest.raises(ValidationError, match="Isi satuan"):
        services.output_update(output=built.play_output, name="X", unit=" ", by=None)
    services.output_remove(output=built.play_output, by=None)
    assert not Output.objects.filter(pk=built.play_output.pk).exists()
    assert not Target.objects.filter(output_id=built.play_output.pk).exists()
    assert AuditEvent.objects.filter(action="kla.rad.output.removed").exists()
