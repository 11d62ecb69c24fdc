import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kla.activities import services
from kla.activities.models import Activity, ActivityFile
from kla.activities.offers import ActivityFiles
from kla.activities.tests import builders as b
from kla.core.models import AuditEvent
from kla.evidence.tests import files
from kla.rad.tests import builders as rad

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_create_records_everything_and_audits() -> None:
    place = b.kecamatan()
    activity = b.activity(location_code=place.code, budget_used="Rp 1.250.000,50")
    assert activity.location_id == place.code
    assert str(activity.budget_used) == "1250000.50"
    assert activity.girls_0_5 == 12 and activity.adults == 20 and activity.boys_13_17 == 0
    event = AuditEvent.objects.get(action="kla.activity.created", object_id=str(activity.pk))
    assert event.region_code == b.PALEMBANG and event.after["girls_0_5"] == 12


def test_bad_input_refused_by_field_nothing_written() -> None:
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as caught:
        b.activity(
            counts={"girls_0_5": -1},
            end_date=dt.date(2026, 3, 1),
            location_code="16.73.01",
            budget_used="1,250",
            agency_id=b.agency(code=b.LUBUKLINGGAU).pk,
        )
    errors = caught.value.message_dict
    assert {"girls_0_5", "end_date", "location", "budget_used", "agency"} <= set(errors)
    assert "negatif" in errors["girls_0_5"][0]
    assert "di luar" in errors["location"][0]
    assert Activity.objects.count() == before


def test_rad_link_checks_plan_region_key_and_period() -> None:
    built = rad.built_plan()
    ok = b.activity(plan_id=built.plan.pk, rad_activity_key=built.birth.key)
    assert ok.rad_activity_key == built.birth.key
    with pytest.raises(ValidationError) as outside:
        b.activity(
            plan_id=built.plan.pk,
            rad_activity_key=built.birth.key,
            start_date=dt.date(2024, 12, 30),
            end_date=dt.date(2025, 1, 2),
        )
    assert "periode RAD KLA 2025–2029" in outside.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as unknown:
        b.activity(plan_id=built.plan.pk, rad_activity_key="00000000-0000-0000-0000-000000000000")
    assert "rad_activity_key" in unknown.value.message_dict
    other = rad.plan(b.LUBUKLINGGAU)
    with pytest.raises(ValidationError) as foreign:
        b.activity(plan_id=other.pk, rad_activity_key=built.birth.key)
    assert "plan" in foreign.value.message_dict


def test_operator_records_only_their_agency(user_of) -> None:  # type: ignore[no-untyped-def]
    operator = user_of("opd")
    region = b.region()
    mine = services.activity_create(region=region, data=b.data(), by=operator)
    assert mine.agency.kind == "DISDUKCAPIL"
    with pytest.raises(PermissionDenied):
        services.activity_create(region=region, data=b.data(agency_id=b.agency("DPUPR").pk), by=operator)
    with pytest.raises(PermissionDenied):
        services.activity_update(activity=mine, data=b.data(agency_id=b.agency("DPUPR").pk), by=operator)
    with pytest.raises(PermissionDenied):
        services.activity_create(region=b.region(b.LUBUKLINGGAU), data=b.data(b.LUBUKLINGGAU), by=operator)
    changed = services.activity_update(
        activity=mine, data=b.data(title="Akta keliling tahap 2"), by=user_of("secretariat")
    )
    assert changed.title == "Akta keliling tahap 2"
    event = AuditEvent.objects.get(action="kla.activity.updated", object_id=str(mine.pk))
    assert event.before["title"] != event.after["title"]


def test_file_through_the_intake_then_removed_softly() -> None:
    photo = b.photo()
    assert photo.file_kind == "image" and photo.metadata_removed is not None
    assert photo.stored_file().original_sha256
    pdf = b.document(photo.activity)
    assert pdf.page_count == 2
    assert AuditEvent.objects.filter(action="kla.activity.file.added").count() >= 2
    services.file_remove(file=pdf, by=None)
    pdf.refresh_from_db()
    assert pdf.removed_at is not None and pdf.file.storage.exists(pdf.file.name)
    assert ActivityFiles().resolve(region_code=b.PALEMBANG, source_id=pdf.pk) is None
    with pytest.raises(ValidationError):
        services.file_remove(file=pdf, by=None)


def test_refused_file_is_audited_and_not_stored() -> None:
    activity = b.activity()
    upload = SimpleUploadedFile("program.exe", files.windows_exe())
    with pytest.raises(ValidationError):
        services.file_add(activity=activity, upload=upload, by=None)
    assert not ActivityFile.objects.filter(activity=activity).exists()
    assert AuditEvent.objects.filter(action="kla.activity.file.refused", object_id=str(activity.pk)).exists()


def test_resolve_only_the_same_region() -> None:
    photo = b.photo()
    offer = ActivityFiles().resolve(region_code=b.PALEMBANG, source_id=photo.pk)
    assert offer is not None and offer.label.startswith("Kegiatan: Layanan akta kelahiran keliling, ")
    assert offer.evidence_type == "photo" and offer.file.name == photo.file.name
    assert ActivityFiles().resolve(region_code=b.LUBUKLINGGAU, source_id=photo.pk) is None
    assert ActivityFiles().offers(region_code=b.PALEMBANG, records=frozenset({"x"}), on=dt.date(2026, 1, 1)) == []
