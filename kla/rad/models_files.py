"""Evidence files of a quarter's realisation (photos, documents), stored through `kla.evidence.intake` with what the
intake found, so that each can be attached to a self-assessment question as evidence by reference
(`kla.rad.offers`, provider ``rad_realisation``). Imported by `kla.rad.models` (Django finds the model there).

A file is removed softly (`removed_at`): evidence already pointing at its stored object keeps it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.evidence.sources import StoredFile, stored_file_of
from kla.regions.models import Region

USER = settings.AUTH_USER_MODEL


def realisation_file_path(instance: RealisationFile, filename: str) -> str:
    """A server-generated name: rad/<region>/realisasi/<uuid><ext>; nothing from the client."""
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"rad/{instance.region_id}/realisasi/{uuid.uuid4().hex}{ext}"


class RealisationFile(models.Model):
    """A photo or document proving a quarter's realisation of one activity."""

    realisation = models.ForeignKey("rad.Realisation", on_delete=models.PROTECT, related_name="files")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("kegiatan dan triwulan"), max_length=200)
    file = models.FileField(upload_to=realisation_file_path, max_length=255)
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
        verbose_name = _("bukti realisasi")
        verbose_name_plural = _("bukti realisasi")
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
        return {"id": self.pk, "realisation": self.realisation_id, "name": self.name, "sha256": self.sha256}
