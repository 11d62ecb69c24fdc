"""Writes of activities (kegiatan): record and change an activity, add a file through the intake, remove one softly.

Each is atomic and audited (``kla.activity.*``), `by` keyword-only (None: the system). Bad input raises one
`ValidationError` naming every problem by field (``{"end_date": [...], "girls_0_5": [...]}``), nothing written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.activities import access, rules
from kla.activities.models import Activity, ActivityFile
from kla.agencies.models import Agency
from kla.agencies.selectors import agencies_available_to
from kla.core import audit, typed_numbers
from kla.core.wording import say
from kla.evidence import inspection, intake
from kla.evidence import services as evidence_services
from kla.indicators.models import Indicator
from kla.rad.models import Node, Plan
from kla.rad.rules import FUNDED_LEVELS, AmountError, read_amount
from kla.regions.models import Region

if TYPE_CHECKING:
    from kla.accounts.models import User

FILE_KINDS = frozenset({"pdf", "image", "office"})


@dataclass(frozen=True, kw_only=True)
class ActivityInput:
    """What a person types for an activity; amounts may be typed text in Indonesian notation."""

    title: str
    start_date: dt.date
    end_date: dt.date
    agency_id: int
    location_code: str = ""
    indicator_ids: Sequence[int] = ()
    plan_id: int | None = None
    rad_activity_key: uuid.UUID | str | None = None
    counts: Mapping[str, int | None] = field(default_factory=dict)
    budget_used: Decimal | int | str | None = None
    description: str = ""


@dataclass
class _Clean:
    values: dict[str, Any]
    indicators: list[Indicator]


def policy() -> inspection.EvidencePolicy:
    """The evidence policy (sizes from settings), for an activity's photos and documents."""
    base = evidence_services.policy()
    return dataclasses.replace(base, allowed_kinds=base.allowed_kinds & FILE_KINDS)


def _agency(region: Region, agency_id: int, errors: dict[str, list[str]]) -> Agency | None:
    found = agencies_available_to(region).filter(pk=agency_id).first()
    if found is None:
        errors.setdefault("agency", []).append(
            gettext("Instansi tidak terdaftar di wilayah ini: pilih dari daftar instansi.")
        )
    return found


def _location(region: Region, code: str, errors: dict[str, list[str]]) -> Region | None:
    code = code.strip()
    if not code:
        return None
    refusal = rules.location_refusal(code, region.code)
    found = None if refusal else Region.objects.filter(code=code).first()
    if refusal is None and found is None:
        refusal = gettext("Lokasi tidak ada di daftar wilayah: pilih kecamatan atau desa/kelurahan dari daftar.")
    if refusal:
        errors.setdefault("location", []).append(say(refusal))
    return found


def _key(value: uuid.UUID | str | None) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _rad(region: Region, data: ActivityInput, errors: dict[str, list[str]]) -> tuple[Plan | None, uuid.UUID | None]:
    key = _key(data.rad_activity_key)
    if data.plan_id is None:
        if data.rad_activity_key:
            errors.setdefault("plan", []).append(gettext("Pilih RAD KLA dari kegiatan yang direalisasikan."))
        return None, None
    plan = Plan.objects.filter(pk=data.plan_id, region=region).first()
    if plan is None:
        errors.setdefault("plan", []).append(gettext("RAD KLA tidak ditemukan di wilayah ini: pilih dari daftar."))
        return None, None
    known = key is not None and Node.objects.filter(version__plan=plan, key=key, level__in=FUNDED_LEVELS).exists()
    if not known:
        errors.setdefault("rad_activity_key", []).append(
            gettext("Kegiatan RAD KLA tidak ditemukan pada RAD KLA tersebut: pilih kegiatan dari daftar.")
        )
    refusal = rules.period_refusal(data.start_date, data.end_date, plan.start_year, plan.end_year)
    if refusal:
        errors.setdefault("start_date", []).append(say(refusal))
    return plan, key


def _budget(value: Decimal | int | str | None, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return read_amount(value, typed_numbers.style())  # typed on the activity form, in the page's language
    except AmountError as exc:
        errors.setdefault("budget_used", []).append(typed_numbers.said(exc.unread) if exc.unread else say(exc.message))
        return None


def _indicators(ids: Sequence[int], errors: dict[str, list[str]]) -> list[Indicator]:
    wanted = set(ids)
    found = list(Indicator.objects.filter(pk__in=wanted)) if wanted else []
    if len(found) != len(wanted):
        errors.setdefault("indicators", []).append(gettext("Indikator tidak dikenal: pilih dari daftar indikator."))
    return found


def _clean(region: Region, data: ActivityInput) -> _Clean:
    """Every field checked; one `ValidationError` with every problem, by field."""
    errors: dict[str, list[str]] = {}
    title = data.title.strip()
    if not title or len(title) > 200:
        errors["title"] = [gettext("Isi nama kegiatan (paling banyak 200 karakter).")]
    refusal = rules.dates_refusal(data.start_date, data.end_date)
    if refusal:
        errors["end_date"] = [say(refusal)]
    for name, message in rules.counts_refusals(data.counts).items():
        errors.setdefault(name if name in rules.COUNT_FIELDS else "counts", []).append(say(message))
    agency = _agency(region, data.agency_id, errors)
    location = _location(region, data.location_code, errors)
    plan, key = _rad(region, data, errors)
    budget = _budget(data.budget_used, errors)
    indicators = _indicators(data.indicator_ids, errors)
    if errors:
        raise ValidationError(errors)
    counts = {name: data.counts.get(name) or 0 for name in rules.COUNT_FIELDS}
    values = {
        "title": title,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "agency": agency,
        "location": location,
        "plan": plan,
        "rad_activity_key": key,
        "budget_used": budget,
        "description": data.description.strip(),
        **counts,
    }
    return _Clean(values, indicators)


def _audit_view(activity: Activity, indicator_ids: Sequence[int]) -> dict[str, Any]:
    return {**activity.audit_view(), "indicators": sorted(indicator_ids)}


@transaction.atomic
def activity_create(*, region: Region, data: ActivityInput, by: User | None) -> Activity:
    access.require_record(by, region.code, data.agency_id)
    clean = _clean(region, data)
    activity = Activity.objects.create(region=region, created_by=by, updated_by=by, **clean.values)
    activity.indicators.set(clean.indicators)
    audit.record(
        action="kla.activity.created",
        by=by,
        obj=activity,
        region_code=region.code,
        after=_audit_view(activity, [i.pk for i in clean.indicators]),
    )
    return activity


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("region", "agency").get(pk=activity.pk)


@transaction.atomic
def activity_update(*, activity: Activity, data: ActivityInput, by: User | None) -> Activity:
    """Change an activity (its agency too: the user must record both the old agency's and the new one's)."""
    current = _locked(activity)
    access.require_record(by, current.region_id, current.agency_id)
    access.require_record(by, current.region_id, data.agency_id)
    before = _audit_view(current, list(current.indicators.values_list("pk", flat=True)))
    clean = _clean(current.region, data)
    for name, value in clean.values.items():
        setattr(current, name, value)
    current.updated_by = by
    current.save()
    current.indicators.set(clean.indicators)
    audit.record(
        action="kla.activity.updated",
        by=by,
        obj=current,
        region_code=current.region_id,
        before=before,
        after=_audit_view(current, [i.pk for i in clean.indicators]),
    )
    return current


def file_add(*, activity: Activity, upload: UploadedFile[Any] | None, by: User | None) -> ActivityFile:
    """Inspect, scan and store one photo or document of `activity` (refusals as in `kla.evidence.intake`)."""
    if upload is None:
        raise ValidationError(gettext("Pilih foto atau dokumen yang akan diunggah terlebih dahulu."))

    def still_writable() -> None:
        access.require_record(by, activity.region_id, _locked(activity).agency_id)

    def record(row: ActivityFile, accepted: intake.Accepted) -> None:
        audit.record(
            action="kla.activity.file.added", by=by, obj=row, region_code=activity.region_id, after=row.audit_view()
        )

    received = intake.receive(
        upload=upload,
        target=intake.Target(
            obj=activity,
            object_label=activity.title[:200],
            region_code=activity.region_id,
            policy=policy(),
            refused_event="kla.activity.file.refused",
            store_failed_event="kla.activity.file.store_failed",
            still_writable=still_writable,
            fallback_name="dokumentasi",
        ),
        by=by,
        build=lambda accepted: ActivityFile(
            activity=activity,
            region_id=activity.region_id,
            **accepted.stored_fields(),
            uploaded_by=by,
        ),
        record=record,
    )
    return received.row


@transaction.atomic
def file_remove(*, file: ActivityFile, by: User | None) -> ActivityFile:
    """Remove a file from the activity's page and from the picker; evidence already linked to it keeps it."""
    current = ActivityFile.objects.select_for_update().select_related("activity").get(pk=file.pk)
    access.require_record(by, current.region_id, current.activity.agency_id)
    if current.removed_at is not None:
        raise ValidationError(gettext("Berkas ini sudah dihapus sebelumnya."))
    current.removed_at = timezone.now()
    current.removed_by = by
    current.save(update_fields=["removed_at", "removed_by"])
    audit.record(
        action="kla.activity.file.removed",
        by=by,
        obj=current,
        region_code=current.region_id,
        before=current.audit_view(),
    )
    return current
