"""Evidence files (bukti dukung) attached to a question of an entry, with their metadata and history."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.core.marking import loads
from kla.core.wording import say_stored
from kla.evaluations.models import Entry
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.indicators.models import Question
from kla.regions.models import Region


def storage_path(instance: Evidence, filename: str) -> str:
    """A server-generated name: evidence/<region>/<cycle>/<uuid><ext>; the client's name is only metadata."""
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    entry = instance.entry
    return f"evidence/{entry.evaluation.region_id}/{entry.evaluation.cycle_id}/{uuid.uuid4().hex}{ext}"


class Evidence(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        REPLACED = "replaced", _("Diganti")
        DELETED = "deleted", _("Dihapus")

    class Confirmation(models.TextChoices):
        PENDING = "pending", _("Perlu dikonfirmasi")
        VALID = "valid", _("Masih berlaku")
        WITHDRAWN = "withdrawn", _("Ditarik")
        REPLACED = "replaced", _("Diganti")

    class Scan(models.TextChoices):
        CLEAN = "clean", _("Bersih")
        NOT_SCANNED = "not_scanned", _("Belum dipindai")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    evidence_type = models.CharField(
        _("jenis bukti"), max_length=16, choices=[(k, v[0]) for k, v in EVIDENCE_TYPE_LABELS.items()]
    )
    doc_number = models.CharField(_("nomor dokumen"), max_length=120, blank=True)
    doc_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    issuer = models.CharField(_("penerbit"), max_length=200, blank=True)
    period_start = models.DateField(_("periode dari"), null=True, blank=True)
    period_end = models.DateField(_("periode sampai"), null=True, blank=True)
    description = models.CharField(_("keterangan"), max_length=500, blank=True)
    file = models.FileField(upload_to=storage_path, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=160)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=120)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    original_sha256 = models.CharField(max_length=64, db_index=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    captured_at = models.DateTimeField(_("waktu pengambilan foto"), null=True, blank=True)
    metadata_removed = models.BooleanField(default=False)
    scan_status = models.CharField(_("pemindaian"), max_length=12, choices=Scan.choices)
    scan_detail = models.CharField(max_length=200, blank=True)
    # What the inspection noted but did not refuse (a PDF with active content, a name that does not match the
    # content), one Indonesian sentence each, shown to verifiers wherever the file is listed.
    warnings = models.JSONField(_("peringatan pemeriksaan"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    # Carried forward from a previous cycle: the same stored file, to be re-confirmed by the agency.
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to")
    confirmation = models.CharField(_("konfirmasi"), max_length=10, choices=Confirmation.choices, blank=True)
    # Attached by reference from a record the platform already holds (a task force's decree or minutes, an
    # activity's photo): the same stored object, never uploaded twice (`kla.evidence.sources`, `linking`).
    source = models.CharField(_("sumber berkas"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_label = models.CharField(_("asal berkas"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["entry_id", "question_id", "uploaded_at"]
        indexes = [models.Index(fields=["entry", "status"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def warnings_text(self) -> list[str]:
        """What the inspection noted, in the reader's language (kept as `kla.core.marking.dumps` wrote it)."""
        return [say_stored(str(w)) for w in self.warnings or []]

    def audit_view(self) -> dict[str, Any]:
        return {
            "name": self.original_name,
            "type": self.evidence_type,
            "sha256": self.sha256,
            "size": self.size,
            "status": self.status,
            "scan": self.scan_status,
            **({"warnings": [str(loads(str(w))) for w in self.warnings]} if self.warnings else {}),
            **({"source": self.source, "source_id": self.source_id} if self.source else {}),
        }


class FileHolding(models.Model):
    """How many active evidence rows of one kab/kota hold a file (by original SHA-256), across all its evaluations.

    Kept by the evidence services in the transaction that changes the rows (`kla.evidence.holdings`), so that the
    verifiers' duplicate check reads one row per file of the entry, however many evaluations attach the same file.
    A row whose count drops to zero is kept (the next upload of the file in that kab/kota updates it again).
    """

    original_sha256 = models.CharField(max_length=64)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    active = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["original_sha256", "region"], name="evidence_fileholding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.original_sha256[:12]} {self.region_id}: {self.active}"


class SharedFile(models.Model):
    """How many kab/kota hold at least one active copy of a file: the FileHolding rows of it with a count above zero."""

    original_sha256 = models.CharField(max_length=64, unique=True)
    regions = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.original_sha256[:12]}: {self.regions} kab/kota"
