"""Activities carried out (kegiatan terlaksana): what an agency of a kab/kota did for children, where, for whom, with
how much money, and its photos and documents.

- **Activity** (`Activity`): a kab/kota's activity: title, dates, the agency that carried it out (the region's own
  or a provincial body serving it, `kla.agencies.selectors.agencies_available_to`), an optional place (a kecamatan
  or desa/kelurahan of the kab/kota), the indicators it serves, optionally the RAD KLA activity it realises (the
  plan and the activity's stable key, `kla.rad.models.Node.key`: its dates then lie within the plan's period), the
  people reached (children by sex and age group, adults) and the budget used (exact rupiah, `SenField`).
- **Files** (`ActivityFile`): photos and documents that came in through `kla.evidence.intake`, with what the intake
  found (kind, original hash, pages, capture time, metadata removed, scan verdict), so that `stored_file()` can be
  attached to any question of the self-assessment as evidence by reference (`kla.activities.offers`). A file is
  removed softly (`removed_at`): evidence already pointing at it keeps its stored object.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.activities.rules import COUNT_FIELDS
from kla.agencies.models import Agency
from kla.evidence.sources import StoredFile, stored_file_of
from kla.indicators.models import Indicator
from kla.rad.fields import SenField
from kla.rad.models import Plan
from kla.regions.models import Region

USER = settings.AUTH_USER_MODEL


def _count(label: Any) -> models.IntegerField[int, int]:
    return models.IntegerField(label, default=0)


class Activity(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"))
    title = models.CharField(_("nama kegiatan"), max_length=200)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    location = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("lokasi")
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("indikator"))
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("RAD KLA")
    )
    rad_activity_key = models.UUIDField(_("kegiatan RAD KLA"), null=True, blank=True)
    girls_0_5 = _count(_("anak perempuan 0–5 tahun"))
    boys_0_5 = _count(_("anak laki-laki 0–5 tahun"))
    girls_6_12 = _count(_("anak perempuan 6–12 tahun"))
    boys_6_12 = _count(_("anak laki-laki 6–12 tahun"))
    girls_13_17 = _count(_("anak perempuan 13–17 tahun"))
    boys_13_17 = _count(_("anak laki-laki 13–17 tahun"))
    adults = _count(_("orang dewasa"))
    budget_used = SenField(_("anggaran terpakai"), null=True, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["region", "-start_date"])]
        constraints = [
            *(
                models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 0}), name=f"activity_{name}_not_negative")
                for name in COUNT_FIELDS
            ),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="activity_dates"),
            models.CheckConstraint(
                condition=models.Q(budget_used__isnull=True) | models.Q(budget_used__gte=0),
                name="activity_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}

    def audit_view(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "agency": self.agency_id,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "location": self.location_id,
            "plan": self.plan_id,
            "rad_activity_key": str(self.rad_activity_key) if self.rad_activity_key else None,
            "budget_used": str(self.budget_used) if self.budget_used is not None else None,
            "description": self.description[:300],
            **self.counts(),
        }


def file_path(instance: ActivityFile, filename: str) -> str:
    """A server-generated name: activities/<region>/<uuid><ext>; nothing from the client."""
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"activities/{instance.region_id}/{uuid.uuid4().hex}{ext}"


class ActivityFile(models.Model):
    """A photo or document of an activity, stored through the intake."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="files")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=file_path, max_length=255)
    name = models.CharField(_("nama berkas"), max_length=255)
    mime = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    file_kind = models.CharField(max_length=10, default="image")
    original_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    metadata_removed = models.BooleanField(default=False)
    scanned_clean = models.BooleanField(default=True)
    scan_detail = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("berkas kegiatan")
        verbose_name_plural = _("berkas kegiatan")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["region", "removed_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_photo(self) -> bool:
        return self.file_kind == "image"

    def stored_file(self) -> StoredFile:
        return stored_file_of(self)

    def audit_view(self) -> dict[str, Any]:
        return {"id": self.pk, "activity": self.activity_id, "name": self.name, "sha256": self.sha256}
