"""Writes of field verification: the plan, the sites, the photos. Each is atomic and audited.

Every write needs the evaluation to be in the `field_verification` state and a user holding the field verifier role
over it (who is not part of the kab/kota's own task force). Points per indicator and finishing the stage are
`kla.verification.services.verdicts.field_points_record` and `advance(step=Step.FINISH_FIELD)`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.core import audit
from kla.core.formatting import format_time
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.workflow import Step
from kla.evidence import inspection, intake
from kla.evidence import services as evidence_services
from kla.fieldvisits import checklists, geo, selectors
from kla.fieldvisits.access import WRITE_REFUSED
from kla.fieldvisits.models import FieldPhoto, FieldPlan, FieldSite
from kla.results.models import StageScore
from kla.verification.services.preconditions import independence_problem
from kla.verification.services.steps import advance

MAX_NOTES = 5000


class FieldVisitClosed(ValidationError):
    """The evaluation is not in field verification, so nothing of its field visit can change."""


class PlanConflict(ValidationError):
    """Someone saved the plan after the form was loaded; nothing was overwritten."""

    def __init__(self, stored: FieldPlan | None) -> None:
        self.stored = stored
        who = (
            (stored.updated_by or stored.created_by or gettext("pengguna lain"))
            if stored is not None
            else gettext("pengguna lain")
        )
        when = f" pukul {format_time(stored.updated_at)}" if stored is not None else ""
        super().__init__(
            gettext(
                "Rencana ini baru saja diubah oleh %(who)s%(when)s. Isian Anda belum disimpan agar tidak "
                "menimpa perubahan tersebut: periksa rencana tersimpan, lalu simpan lagi."
            )
            % {"who": who, "when": when},
            code="conflict",
        )


def image_policy() -> inspection.EvidencePolicy:
    """The evidence policy narrowed to photos (JPEG/PNG/WebP, re-encoded without metadata)."""
    return dataclasses.replace(evidence_services.policy(), allowed_kinds=frozenset({"image"}))


def require_can_change_field_visit(evaluation: Evaluation, by: User | None) -> None:
    """Whether `by` (None: the platform itself) may change this evaluation's field visit now: a field verifier over
    its region, independent of it (`independence_problem`), while it is in field verification. Raises
    PermissionDenied or FieldVisitClosed."""
    if by is not None:
        if Role.FIELD_VERIFIER not in access.roles_over(by, evaluation.region_id):
            raise PermissionDenied(WRITE_REFUSED)
        problem = independence_problem(by, evaluation)
        if problem:
            raise PermissionDenied(problem)
    if evaluation.status != Evaluation.Status.FIELD_VERIFICATION:
        raise FieldVisitClosed(
            gettext(
                "Data verifikasi lapangan hanya dapat diubah saat evaluasi pada tahap Verifikasi lapangan; "
                "evaluasi ini sedang pada tahap %(state_label)s."
            )
            % {"state_label": evaluation.state_label}
        )


def lock_field_visit_for_change(evaluation: Evaluation, by: User | None) -> Evaluation:
    """The evaluation read afresh and locked until the transaction ends, once `require_can_change_field_visit` holds
    on it. Finishing field verification locks the same row, so a change either comes first or sees the stage
    closed. Call it inside the writing transaction."""
    locked = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__framework", "region")
        .get(pk=evaluation.pk)
    )
    require_can_change_field_visit(locked, by)
    return locked


def _clean_text(value: str, limit: int) -> str:
    return value.strip()[:limit]


def _team_view(users: Iterable[User]) -> list[str]:
    return sorted(u.get_username() for u in users)


# --- the plan ------------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    evaluation: Evaluation,
    visit_date: dt.date | None,
    mode: str,
    team: Iterable[User],
    notes: str = "",
    expected_version: int,
    by: User | None,
) -> FieldPlan:
    """Create or update the evaluation's field-verification plan.

    `expected_version` is the version the form was loaded with (0 when there was no plan yet); if the stored plan
    moved on since, `PlanConflict` is raised and nothing is written.
    """
    evaluation = lock_field_visit_for_change(evaluation, by)
    if visit_date is None:
        raise ValidationError(gettext("Isi tanggal kunjungan."))
    if mode not in FieldPlan.Mode.values:
        raise ValidationError(gettext("Pilih cara verifikasi: hibrida atau kunjungan lapangan."))
    members = list(team)
    allowed = set(selectors.team_candidates().values_list("pk", flat=True))
    outsiders = [m for m in members if m.pk not in allowed]
    if outsiders:
        names = ", ".join(str(m) for m in outsiders)
        raise ValidationError(
            gettext("Anggota tim harus Verifikator Lapangan yang aktif: %(names)s.") % {"names": names}
        )
    plan = FieldPlan.objects.select_for_update().filter(evaluation=evaluation).first()
    if expected_version != (plan.version if plan is not None else 0):
        raise PlanConflict(plan)
    before = {**plan.audit_view(), "team": _team_view(plan.team.all())} if plan is not None else None
    if plan is None:
        plan = FieldPlan(evaluation=evaluation, created_by=by, version=1, visit_date=visit_date)
    else:
        plan.version += 1
    plan.visit_date, plan.mode, plan.notes, plan.updated_by = visit_date, mode, _clean_text(notes, MAX_NOTES), by
    plan.save()
    plan.team.set(members)
    audit.record(
        action="kla.fieldplan.created" if before is None else "kla.fieldplan.updated",
        by=by,
        obj=plan,
        object_label=f"Rencana VL · {evaluation.region.name}",
        region_code=evaluation.region_id,
        before=before,
        after={**plan.audit_view(), "team": _team_view(members)},
    )
    return plan


# --- sites ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def site_add(
    *, plan: FieldPlan, name: str, kind: str, entry: Entry | None = None, notes: str = "", by: User | None
) -> FieldSite:
    """Add a site to visit, with the default checklist of its kind."""
    evaluation = lock_field_visit_for_change(plan.evaluation, by)
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationError(gettext('Isi nama lokasi, misalnya "SD Negeri 1 Palembang".'))
    if kind not in {k.value for k in checklists.SiteKind}:
        raise ValidationError(gettext("Pilih jenis lokasi."))
    if entry is not None and entry.evaluation_id != evaluation.pk:
        raise ValidationError(gettext("Indikator yang dipilih bukan bagian dari evaluasi ini."))
    site = FieldSite.objects.create(
        plan=plan,
        name=name,
        kind=kind,
        entry=entry,
        checklist=checklists.default_checklist(kind),
        notes=_clean_text(notes, MAX_NOTES),
        created_by=by,
    )
    audit.record(
        action="kla.fieldsite.added",
        by=by,
        obj=site,
        object_label=f"{site.name} · {evaluation.region.name}",
        region_code=evaluation.region_id,
        after=site.audit_view(),
    )
    return site


@transaction.atomic
def site_update(
    *,
    site: FieldSite,
    checks: Mapping[int, bool] | None = None,
    add_item: str = "",
    notes: str | None = None,
    visited: bool | None = None,
    by: User | None,
) -> FieldSite:
    """Tick or untick checklist items (by position; other items are left as stored), add an item, change the notes
    or the visited flag. Arguments left as None are not changed."""
    site = FieldSite.objects.select_for_update(of=("self",)).select_related("plan").get(pk=site.pk)
    evaluation = lock_field_visit_for_change(site.plan.evaluation, by)
    before = site.audit_view()
    fields: list[str] = []
    changed: list[str] = []
    if checks or add_item.strip():
        try:
            site.checklist, changed = checklists.apply_checks(site.checklist, dict(checks or {}), add_item)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        fields.append("checklist")
    if notes is not None:
        before["notes"] = site.notes
        site.notes = _clean_text(notes, MAX_NOTES)
        fields.append("notes")
    if visited is not None:
        site.visited = visited
        fields.append("visited")
    if not fields:
        return site
    site.save(update_fields=[*fields, "updated_at"])
    after = site.audit_view()
    if notes is not None:
        after["notes"] = site.notes
    if changed:
        after["changed_items"] = changed
    audit.record(
        action="kla.fieldsite.updated",
        by=by,
        obj=site,
        object_label=f"{site.name} · {evaluation.region.name}",
        region_code=evaluation.region_id,
        before=before,
        after=after,
    )
    return site


# --- photos --------------------------------------------------------------------------------------------------------


def photo_add(
    *,
    site: FieldSite,
    upload: UploadedFile[Any] | None,
    latitude: Any = None,
    longitude: Any = None,
    accuracy_m: Any = None,
    caption: str = "",
    by: User | None,
    now: dt.datetime | None = None,
) -> FieldPhoto:
    """Store one photo of a site, through `kla.evidence.intake`: re-encoded without EXIF/GPS; the location the phone
    reported goes on the row.

    Refusals (not a photo, too large, implausible coordinates, malware, field verification closed while the photo
    was scanned) raise ValidationError with the reason the user sees; nothing is stored for a refused photo. A
    scanner that gives no verdict raises `kla.core.storage.ScannerUnavailable` (audited as a refusal): not kept, worth
    another try. A full or failing disk raises `kla.core.storage.StorageUnavailable` (audited as
    ``kla.fieldphoto.store_failed``), leaving no row and no file.
    """
    now = now or timezone.now()
    site = FieldSite.objects.select_related("plan__evaluation__region", "plan__evaluation__cycle").get(pk=site.pk)
    evaluation = site.plan.evaluation
    if upload is None:
        raise ValidationError(gettext("Pilih atau ambil foto terlebih dahulu."))
    try:
        location = geo.parse_location(latitude, longitude, accuracy_m)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    label = f"{site.name} · {evaluation.region.name}"
    received = intake.receive(
        upload=upload,
        target=intake.Target(
            obj=site,
            object_label=label,
            region_code=evaluation.region_id,
            policy=image_policy(),
            refused_event="kla.fieldphoto.refused",
            store_failed_event="kla.fieldphoto.store_failed",
            still_writable=lambda: lock_field_visit_for_change(evaluation, by),
            fallback_name="foto",
        ),
        by=by,
        build=lambda accepted: FieldPhoto(
            site=site,
            mime=accepted.inspection.mime,
            size=accepted.inspection.size,
            sha256=accepted.inspection.sha256,
            caption=_clean_text(caption, 200),
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
            accuracy_m=location.accuracy_m if location else None,
            taken_at=accepted.captured_at or now,
            uploaded_by=by,
        ),
        record=lambda photo, accepted: _record_photo(photo, accepted, label, by=by),
    )
    return received.row


def _record_photo(photo: FieldPhoto, accepted: intake.Accepted, label: str, *, by: User | None) -> None:
    # The coordinates stay on the row: the audit trail only says whether there was a location.
    audit.record(
        action="kla.fieldphoto.added",
        by=by,
        obj=photo,
        object_label=label,
        region_code=photo.site.plan.evaluation.region_id,
        after={
            "site": photo.site_id,
            "sha256": photo.sha256,
            "size": photo.size,
            "located": photo.has_location,
            "accuracy_m": str(photo.accuracy_m) if photo.accuracy_m is not None else None,
            "metadata_removed": accepted.inspection.metadata_removed,
        },
    )


@transaction.atomic
def photo_delete(*, photo: FieldPhoto, by: User | None) -> None:
    """Delete a photo (a wrong shot, a child's face in close-up): the row now, the stored file after commit."""
    photo = FieldPhoto.objects.select_related("site__plan").get(pk=photo.pk)
    evaluation = lock_field_visit_for_change(photo.site.plan.evaluation, by)
    name, storage = photo.file.name or "", photo.file.storage
    audit.record(
        action="kla.fieldphoto.deleted",
        by=by,
        obj=photo,
        object_label=f"{photo.site.name} · {evaluation.region.name}",
        region_code=evaluation.region_id,
        before={"site": photo.site_id, "sha256": photo.sha256, "taken_at": photo.taken_at.isoformat()},
    )
    photo.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- finishing -----------------------------------------------------------------------------------------------------


@transaction.atomic
def field_finish(*, evaluation: Evaluation, by: User | None, now: dt.datetime | None = None) -> Evaluation:
    """Close field verification (`advance(step=FINISH_FIELD)`): the VL score is stored, the evaluation moves on.

    Refused with a message when the ministry's administrative-verification score, the base of every VL point, is
    missing (the workflow step itself checks the stage, the role, independence and the deadline).
    """
    if not StageScore.objects.filter(evaluation=evaluation, stage=ScoreStage.MINISTRY_VA).exists():
        raise ValidationError(
            gettext(
                "Nilai verifikasi administrasi Kementerian belum tersimpan untuk evaluasi ini, sehingga "
                "nilai VL belum dapat dihitung. Hubungi Verifikator Administrasi Kementerian."
            )
        )
    return advance(evaluation=evaluation, step=Step.FINISH_FIELD, by=by, now=now)
