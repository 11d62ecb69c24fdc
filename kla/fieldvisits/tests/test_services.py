"""Field-verification services: who may write, when, and what is never overwritten or stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kla.core.models import AuditEvent
from kla.evaluations.models import Evaluation
from kla.fieldvisits import selectors, services
from kla.fieldvisits.checklists import SiteKind
from kla.fieldvisits.models import FieldPhoto, FieldPlan, FieldSite
from kla.fieldvisits.tests import matrix

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 8, 1)


def _save(evaluation: Evaluation, by, version: int, **changes) -> FieldPlan:  # type: ignore[no-untyped-def]
    values = {"visit_date": DAY, "mode": "on_site", "team": [], "notes": "", **changes}
    return services.plan_save(evaluation=evaluation, expected_version=version, by=by, **values)


def test_the_plan_is_created_then_updated_with_its_version_and_audited(evaluation, user_of) -> None:
    verifier = user_of("field_verifier")
    plan = _save(evaluation, verifier, 0, team=[verifier], notes="Hari pertama: sekolah.")
    assert (plan.version, plan.created_by, list(plan.team.all())) == (1, verifier, [verifier])
    plan = _save(evaluation, verifier, 1, mode="hybrid")
    assert (plan.version, plan.mode, plan.notes) == (2, "hybrid", "")
    events = AuditEvent.objects.filter(object_type="fieldvisits.fieldplan", object_id=str(plan.pk))
    assert sorted(events.values_list("action", flat=True)) == ["kla.fieldplan.created", "kla.fieldplan.updated"]
    updated = events.get(action="kla.fieldplan.updated")
    assert updated.before["mode"] == "on_site" and updated.after["mode"] == "hybrid"
    assert updated.before["team"] == ["kemen-lapangan"] and updated.after["team"] == []


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(evaluation, user_of) -> None:
    verifier = user_of("field_verifier")
    _save(evaluation, verifier, 0, notes="Versi pertama.")
    _save(evaluation, verifier, 1, notes="Versi kedua, dari ponsel rekan.")
    with pytest.raises(services.PlanConflict, match="baru saja diubah") as caught:
        _save(evaluation, verifier, 1, notes="Versi dari laptop yang dibuka tadi pagi.")
    assert caught.value.stored is not None and caught.value.stored.version == 2
    plan = FieldPlan.objects.get(evaluation=evaluation)
    assert (plan.version, plan.notes) == (2, "Versi kedua, dari ponsel rekan.")
    with pytest.raises(services.PlanConflict):  # "create" when someone else already created the plan
        _save(evaluation, verifier, 0)


def test_team_members_must_be_field_verifiers(evaluation, user_of) -> None:
    with pytest.raises(ValidationError, match="Verifikator Lapangan"):
        _save(evaluation, user_of("field_verifier"), 0, team=[user_of("ministry_verifier")])
    assert not FieldPlan.objects.exists()


@pytest.mark.parametrize("status", ["draft", "ministry_review", "final_verification"])
def test_nothing_changes_outside_field_verification(evaluation, plan, site, user_of, status) -> None:
    verifier = user_of("field_verifier")
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    attempts = [
        lambda: _save(evaluation, verifier, plan.version),
        lambda: services.site_add(plan=plan, name="Taman", kind="play", by=verifier),
        lambda: services.site_update(site=site, checks={0: True}, by=verifier),
        lambda: services.photo_add(site=site, upload=SimpleUploadedFile("a.jpg", matrix.gps_jpeg()), by=verifier),
    ]
    for attempt in attempts:
        with pytest.raises(services.FieldVisitClosed, match="tahap Verifikasi lapangan"):
            attempt()
    assert FieldSite.objects.count() == 1 and not FieldPhoto.objects.exists()
    assert FieldPlan.objects.get().version == plan.version


@pytest.mark.parametrize("persona", ["ministry_verifier", "ministry_admin", "secretariat", "province"])
def test_only_field_verifiers_write(evaluation, plan, site, user_of, persona) -> None:
    user = user_of(persona)
    with pytest.raises(PermissionDenied):
        _save(evaluation, user, plan.version)
    with pytest.raises(PermissionDenied):
        services.site_update(site=site, notes="x", by=user)


def test_a_site_starts_with_the_checklist_of_its_kind_and_must_belong_to_the_evaluation(plan, user_of) -> None:
    verifier = user_of("field_verifier")
    site = services.site_add(
        plan=plan,
        name="  Puskesmas   Ilir Barat ",
        kind="health",
        entry=matrix.entry_of(plan.evaluation, 15),
        by=verifier,
    )
    assert site.name == "Puskesmas Ilir Barat" and site.checklist[0] == {
        "label": "SK Puskesmas Ramah Anak tersedia",
        "done": False,
    }
    other = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.73")
    with pytest.raises(ValidationError, match="bukan bagian"):
        services.site_add(plan=plan, name="X", kind="health", entry=matrix.entry_of(other, 15), by=verifier)
    with pytest.raises(ValidationError, match="jenis"):
        services.site_add(plan=plan, name="X", kind="pasar", by=verifier)
    with pytest.raises(ValidationError, match="nama"):
        services.site_add(plan=plan, name="   ", kind="play", by=verifier)


def test_site_update_ticks_items_keeps_the_others_and_audits(site, user_of) -> None:
    verifier = user_of("field_verifier")
    services.site_update(site=site, checks={0: True}, by=verifier)
    services.site_update(site=site, checks={3: True}, add_item="Ada kantin sehat", by=verifier)  # another phone
    services.site_update(site=site, notes="Kepala sekolah diwawancarai.", visited=True, by=verifier)
    site.refresh_from_db()
    done = [i["done"] for i in site.checklist]
    assert done[0] and done[3] and sum(done) == 2
    assert site.checklist[-1] == {"label": "Ada kantin sehat", "done": False}
    assert site.visited and site.notes == "Kepala sekolah diwawancarai."
    events = AuditEvent.objects.filter(action="kla.fieldsite.updated", object_id=str(site.pk)).order_by("pk")
    assert events.count() == 3
    assert events[1].after["changed_items"][-1] == "Ada kantin sehat"
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        services.site_update(site=site, checks={99: True}, by=verifier)


def test_photo_add_keeps_the_location_on_the_row_only(site, user_of, media: Path) -> None:
    photo = services.photo_add(
        site=site,
        upload=SimpleUploadedFile("IMG_0001.jpg", matrix.gps_jpeg()),
        latitude="-2.9916667",
        longitude="104,7541667",
        accuracy_m="8.46",
        caption="Toilet siswa",
        by=user_of("field_verifier"),
    )
    photo.refresh_from_db()
    assert (str(photo.latitude), str(photo.longitude), str(photo.accuracy_m)) == ("-2.991667", "104.754167", "8.5")
    assert photo.taken_at.astimezone(dt.UTC) == dt.datetime(2025, 7, 1, 2, 30, tzinfo=dt.UTC)  # EXIF time, WIB
    event = AuditEvent.objects.get(action="kla.fieldphoto.added", object_id=str(photo.pk))
    assert event.after["located"] is True and "-2.99" not in str(event.after)  # no coordinates in the audit log


@pytest.mark.parametrize(("lat", "lon"), [("-91", "104"), ("-2.9", "181"), ("-2.9", ""), ("x", "104")])
def test_implausible_coordinates_store_nothing(site, user_of, media: Path, lat: str, lon: str) -> None:
    with pytest.raises(ValidationError):
        services.photo_add(
            site=site,
            upload=SimpleUploadedFile("a.jpg", matrix.gps_jpeg()),
            latitude=lat,
            longitude=lon,
            by=user_of("field_verifier"),
        )
    assert not FieldPhoto.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_photo_delete_removes_the_row_and_the_file(
    site, user_of, media: Path, django_capture_on_commit_callbacks
) -> None:
    photo = matrix.field_photo(site)
    stored = Path(photo.file.path)
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, by=user_of("field_verifier"))
    assert not FieldPhoto.objects.exists() and not stored.exists()
    assert AuditEvent.objects.filter(action="kla.fieldphoto.deleted", object_id=str(photo.pk)).exists()


def test_site_suggestions_come_from_the_evaluations_indicators(plan, user_of) -> None:
    suggestions = selectors.site_suggestions(plan.evaluation)
    by_number = {s.entry.indicator.number: s for s in suggestions}
    assert by_number[19].kind == SiteKind.SCHOOL and by_number[15].kind == SiteKind.HEALTH
    assert by_number[8].kind == SiteKind.PUSPAGA and by_number[6].kind == SiteKind.FORUM
    assert by_number[20].kind == SiteKind.PLAY and 1 not in by_number
    assert not by_number[19].planned
    matrix.field_site(plan)  # checks indicator 19
    assert {s.entry.indicator.number for s in selectors.site_suggestions(plan.evaluation) if s.planned} == {19}


def test_finishing_needs_the_ministry_score(evaluation, user_of) -> None:
    from kla.results.models import StageScore

    StageScore.objects.filter(evaluation=evaluation).delete()
    with pytest.raises(ValidationError, match="verifikasi administrasi Kementerian belum"):
        services.field_finish(evaluation=evaluation, by=user_of("field_verifier"))
    evaluation.refresh_from_db()
    assert evaluation.status == "field_verification"
