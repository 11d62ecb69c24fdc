"""Agency writes on the demo data: create, update, deactivate (refused with open work unless handed over), import."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kla.agencies import handover, rules, selectors, services
from kla.agencies.models import Agency
from kla.core.models import AuditEvent
from kla.evaluations.models import Assignment, Evaluation
from kla.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def palembang() -> Region:
    return Region.objects.get(pk="16.71")


@pytest.fixture
def untouched() -> Region:
    """A kab/kota the demo never touched (no agencies): Kabupaten Ogan Komering Ulu, 16.01."""
    region = Region.objects.get(pk="16.01")
    assert not region.agencies.exists()
    return region


def _busy_agency() -> Agency:
    """A Palembang agency assigned to an entry of the demo's draft evaluation."""
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    assert evaluation.status == Evaluation.Status.DRAFT
    assignment = Assignment.objects.filter(entry__evaluation=evaluation).select_related("agency").first()
    assert assignment is not None
    return assignment.agency


def test_create_from_the_catalogue_names_it_after_the_region(untouched: Region) -> None:
    agency = services.agency_create(region=untouched, kind="DINKES", by=None)
    assert agency.name == f"Dinas Kesehatan {untouched.name}"
    assert agency.short_name == "Dinas Kesehatan"
    assert AuditEvent.objects.filter(action="kla.agency.created", object_id=str(agency.pk)).exists()


def test_free_entry_keeps_the_typed_name(untouched: Region) -> None:
    agency = services.agency_create(
        region=untouched, kind="LAINNYA", name="  Yayasan  Pelita Anak ", short_name="Pelita", by=None
    )
    assert (agency.name, agency.short_name, agency.kind) == ("Yayasan Pelita Anak", "Pelita", "LAINNYA")


def test_name_unique_within_the_region_case_and_spaces_ignored(untouched: Region, palembang: Region) -> None:
    services.agency_create(region=untouched, kind="DINSOS", name="Dinas Sosial OKU", by=None)
    with pytest.raises(ValidationError) as exc:
        services.agency_create(region=untouched, kind="DINSOS", name="dinas  sosial oku", by=None)
    assert "sudah terdaftar" in " ".join(exc.value.messages)
    services.agency_create(region=palembang, kind="DINSOS", name="Dinas Sosial OKU", by=None)  # another region


def test_a_provincial_body_is_refused_in_a_kabkota_and_accepted_in_its_province(untouched: Region) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agency_create(region=untouched, kind="KEJATI", by=None)
    assert "tingkat provinsi" in " ".join(exc.value.messages)
    province = Region.objects.get(pk="16")
    kejati = services.agency_create(region=province, kind="KEJATI", by=None)
    assert kejati in selectors.agencies_available_to(untouched)


def test_unknown_kind_refused(untouched: Region) -> None:
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.agency_create(region=untouched, kind="DINAS_RAHASIA", by=None)


def test_agencies_available_to_a_kabkota_are_its_own_and_its_provinces(untouched: Region) -> None:
    own = services.agency_create(region=untouched, kind="DPPPA", by=None)
    kanwil = services.agency_create(region=Region.objects.get(pk="16"), kind="KANWIL_KEMENAG", by=None)
    elsewhere = services.agency_create(region=Region.objects.get(pk="15"), kind="KANWIL_KEMENAG", by=None)
    gone = services.agency_create(region=untouched, kind="DLH", by=None)
    services.agency_deactivate(agency=gone, by=None)
    available = set(selectors.agencies_available_to(untouched))
    assert {own, kanwil} <= available
    assert elsewhere not in available and gone not in available


def test_update_is_audited_and_keeps_uniqueness(untouched: Region) -> None:
    a = services.agency_create(region=untouched, kind="DISDIK", by=None)
    b = services.agency_create(region=untouched, kind="DINKES", by=None)
    services.agency_update(agency=a, kind="DISDIK", name="Dinas Pendidikan OKU", short_name="Disdik", by=None)
    assert AuditEvent.objects.filter(action="kla.agency.updated", object_id=str(a.pk)).exists()
    with pytest.raises(ValidationError):
        services.agency_update(agency=b, kind="DINKES", name="Dinas Pendidikan OKU", short_name="", by=None)


def test_deactivating_an_agency_with_open_assignments_is_refused() -> None:
    agency = _busy_agency()
    before = Assignment.objects.filter(agency=agency).count()
    with pytest.raises(ValidationError) as exc:
        services.agency_deactivate(agency=agency, by=None)
    assert "penugasan indikator" in " ".join(exc.value.messages)
    agency.refresh_from_db()
    assert agency.is_active and Assignment.objects.filter(agency=agency).count() == before


def test_deactivation_with_reassignment_moves_the_work_in_the_same_step() -> None:
    agency = _busy_agency()
    open_before = handover.open_work(agency)["penugasan indikator"]
    successor = services.agency_create(region=agency.region, kind="LAINNYA", name="Dinas Pengganti", by=None)
    services.agency_deactivate(agency=agency, reassign_to=successor, reason="digabung", by=None)
    agency.refresh_from_db()
    assert not agency.is_active and agency.deactivated_at is not None
    assert handover.open_work(agency) == {}
    assert handover.open_work(successor)["penugasan indikator"] == open_before
    event = AuditEvent.objects.get(action="kla.agency.deactivated", object_id=str(agency.pk))
    assert event.after["reassigned_to"] == successor.pk and event.reason == "digabung"


def test_the_successor_must_be_active_and_of_the_same_region(untouched: Region) -> None:
    agency = _busy_agency()
    foreign = services.agency_create(region=untouched, kind="DINKES", by=None)
    with pytest.raises(ValidationError, match="wilayah yang sama"):
        services.agency_deactivate(agency=agency, reassign_to=foreign, by=None)
    with pytest.raises(ValidationError, match="wilayah yang sama"):
        services.agency_deactivate(agency=agency, reassign_to=agency, by=None)
    assert Agency.objects.get(pk=agency.pk).is_active


def test_an_idle_agency_is_deactivated_and_reactivated(untouched: Region) -> None:
    agency = services.agency_create(region=untouched, kind="DISHUB", by=None)
    services.agency_deactivate(agency=agency, by=None)
    assert agency in selectors.agency_list(untouched, active=False)
    with pytest.raises(ValidationError, match="sudah nonaktif"):
        services.agency_deactivate(agency=agency, by=None)
    services.agency_reactivate(agency=agency, by=None)
    assert Agency.objects.get(pk=agency.pk).is_active


def test_import_all_or_nothing_names_every_bad_row(untouched: Region) -> None:
    services.agency_create(region=untouched, kind="DINKES", by=None)
    rows = [
        rules.Row(2, "DISDIK", "Dinas Pendidikan OKU", ""),
        rules.Row(3, "DINAS_RAHASIA", "Dinas Rahasia", ""),
        rules.Row(4, "DINKES", f"Dinas Kesehatan {untouched.name}", ""),
        rules.Row(5, "DISDIK", "dinas pendidikan OKU", ""),
        rules.Row(6, "DINSOS", "", ""),
    ]
    with pytest.raises(ValidationError) as exc:
        services.agencies_import(region=untouched, rows=rows, by=None)
    assert exc.value.messages == [
        "Baris 3, kolom jenis: jenis instansi tidak dikenal: DINAS_RAHASIA.",
        f"Baris 4, kolom nama: Dinas Kesehatan {untouched.name} sudah terdaftar di wilayah ini.",
        "Baris 5, kolom nama: dinas pendidikan OKU sudah ada di baris 2.",
        "Baris 6, kolom nama: nama instansi wajib diisi.",
    ]
    assert untouched.agencies.count() == 1


def test_import_creates_every_row_audited(untouched: Region) -> None:
    rows = [rules.Row(2, "disdik", "", ""), rules.Row(3, "FORUM_ANAK", "Forum Anak OKU", "Forum Anak")]
    with pytest.raises(ValidationError):  # an empty name is allowed only in the form, not in a file
        services.agencies_import(region=untouched, rows=rows, by=None)
    rows[0] = rules.Row(2, "disdik", "Dinas Pendidikan OKU", "")
    created = services.agencies_import(region=untouched, rows=rows, by=None)
    assert [a.short_name for a in created] == ["Dinas Pendidikan", "Forum Anak"]
    assert AuditEvent.objects.filter(action="kla.agency.created", reason="impor berkas").count() == 2


def test_import_of_nothing_is_refused(untouched: Region) -> None:
    with pytest.raises(ValidationError, match="tidak berisi"):
        services.agencies_import(region=untouched, rows=[], by=None)
