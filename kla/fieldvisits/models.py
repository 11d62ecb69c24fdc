"""Field verification (verifikasi lapangan, VL) of one kab/kota evaluation: the visit plan, the sites visited, the
photos taken there.

A photo's location is kept on its `FieldPhoto` row only. The stored image is re-encoded without EXIF/GPS: children
may appear in these photos, and a file that leaves the platform must not say where it was taken.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.core.formatting import format_date_short
from kla.evaluations.models import Entry, Evaluation
from kla.fieldvisits.checklists import SITE_KIND_LABELS


class FieldPlan(models.Model):
    """The field-verification plan of one evaluation. `version` guards against silent overwrites."""

    class Mode(models.TextChoices):
        HYBRID = "hybrid", _("Hibrida")
        ON_SITE = "on_site", _("Kunjungan lapangan")

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="field_plan")
    visit_date = models.DateField(_("tanggal kunjungan"))
    mode = models.CharField(_("cara verifikasi"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="field_plans", blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rencana verifikasi lapangan")
        verbose_name_plural = _("rencana verifikasi lapangan")

    def __str__(self) -> str:
        return f"VL {self.evaluation_id} · {format_date_short(self.visit_date)}"

    def audit_view(self) -> dict[str, Any]:
        return {
            "visit_date": self.visit_date.isoformat(),
            "mode": self.mode,
            "notes": self.notes,
            "version": self.version,
        }


class FieldSite(models.Model):
    """One place the team visits (a school, a health centre, a play space...), with its checklist and notes."""

    plan = models.ForeignKey(FieldPlan, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("nama lokasi"), max_length=200)
    kind = models.CharField(
        _("jenis lokasi"), max_length=10, choices=[(k.value, label) for k, label in SITE_KIND_LABELS.items()]
    )
    # The indicator this visit checks (an entry of the plan's evaluation), if any.
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("indikator")
    )
    checklist = models.JSONField(_("daftar periksa"), default=list, blank=True)  # [{"label": str, "done": bool}]
    notes = models.TextField(_("catatan lapangan"), blank=True)
    visited = models.BooleanField(_("sudah dikunjungi"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lokasi kunjungan")
        verbose_name_plural = _("lokasi kunjungan")
        ordering = ["plan_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_view(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "entry": self.entry_id,
            "visited": self.visited,
            "checked": sum(1 for i in self.checklist if i.get("done")),
            "items": len(self.checklist),
        }


def photo_path(instance: FieldPhoto, filename: str) -> str:
    """A server-generated name: fieldvisits/<region>/<evaluation>/<uuid><ext>; nothing from the client."""
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    evaluation = instance.site.plan.evaluation
    return f"fieldvisits/{evaluation.region_id}/{evaluation.pk}/{uuid.uuid4().hex}{ext}"


class FieldPhoto(models.Model):
    """A photo taken at a site. The image has no metadata; where it was taken is kept here (nullable)."""

    site = models.ForeignKey(FieldSite, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=255)
    mime = models.CharField(max_length=40)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.DecimalField(_("akurasi (m)"), max_digits=8, decimal_places=1, null=True, blank=True)
    taken_at = models.DateTimeField(_("waktu foto"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("foto lapangan")
        verbose_name_plural = _("foto lapangan")
        ordering = ["site_id", "taken_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="fieldphoto_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="fieldphoto_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="fieldphoto_location_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Foto {self.pk} · {self.site_id}"

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def download_name(self) -> str:
        name = self.file.name or ""
        ext = name[name.rfind(".") :] if "." in name else ""
        return f"foto-lapangan-{self.site_id}-{self.pk}{ext}"
