"""The Gugus Tugas KLA of a region (kabupaten/kota or provinsi): its decrees (SK), dated members, coordination
meetings (rakor) with attendance, minutes and decisions, and the follow-ups agreed there.

Files (the decree, minutes, a follow-up's evidence) are `Document` rows that came in through `kla.evidence.intake`,
stored once under the region's path.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.agencies.models import Agency
from kla.evidence.sources import StoredFile, stored_file_of
from kla.regions.models import Region
from kla.taskforce.rules import ROLE_LABELS, Span, TaskForceRole, is_overdue


def document_path(instance: Document, filename: str) -> str:
    """A server-generated name: taskforce/<region>/<uuid><ext>; nothing from the client."""
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"taskforce/{instance.region_id}/{uuid.uuid4().hex}{ext}"


class Document(models.Model):
    """A file of the task force: a decree, a meeting's minutes, or the evidence that a follow-up was done."""

    class Kind(models.TextChoices):
        DECREE = "decree", _("SK Gugus Tugas")
        MINUTES = "minutes", _("Notulen rapat")
        FOLLOW_UP = "follow_up", _("Bukti tindak lanjut")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis berkas"), max_length=10, choices=Kind.choices)
    meeting = models.ForeignKey("Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    follow_up = models.ForeignKey("FollowUp", null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=255)
    name = models.CharField(_("nama berkas"), max_length=255)
    mime = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    # what the intake found, kept so that the file can be attached as evidence by reference (kla.evidence.sources)
    file_kind = models.CharField(max_length=10, default="pdf")
    original_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    metadata_removed = models.BooleanField(default=False)
    scanned_clean = models.BooleanField(default=True)
    scan_detail = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("berkas Gugus Tugas")
        verbose_name_plural = _("berkas Gugus Tugas")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def stored_file(self) -> StoredFile:
        return stored_file_of(self)


class Decree(models.Model):
    """The decree (SK) establishing the task force; a later decree replaces an earlier one."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="taskforce_decrees")
    number = models.CharField(_("nomor SK"), max_length=120)
    date = models.DateField(_("tanggal SK"))
    signer = models.CharField(_("penanda tangan"), max_length=200)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    in_force = models.BooleanField(_("berlaku"), default=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces", verbose_name=_("diganti oleh")
    )
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="decree")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("SK Gugus Tugas")
        verbose_name_plural = _("SK Gugus Tugas")
        ordering = ["region_id", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=models.Q(in_force=True), name="decree_one_in_force_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def audit_view(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "signer": self.signer,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "in_force": self.in_force,
            "replaced_by": self.replaced_by_id,
            "document": self.document_id,
        }


class Member(models.Model):
    """One person serving on the task force for an agency, in one role, from `start` to `end` (inclusive)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="taskforce_members")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="taskforce_members")
    person_name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200)
    role = models.CharField(
        _("peran dalam Gugus Tugas"), max_length=30, choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    duties = models.TextField(_("tugas klaster"), blank=True)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("anggota Gugus Tugas")
        verbose_name_plural = _("anggota Gugus Tugas")
        ordering = ["region_id", "start", "id"]
        indexes = [models.Index(fields=["region", "start"])]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()})"

    def span(self) -> Span:
        return Span(self.person_name, TaskForceRole(self.role), self.start, self.end, self.pk)

    def audit_view(self) -> dict[str, Any]:
        return {
            "agency": self.agency_id,
            "person_name": self.person_name,
            "position": self.position,
            "role": self.role,
            "duties": self.duties,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
        }


class Meeting(models.Model):
    """A coordination meeting (rakor): planned, then recorded as held with attendance, minutes and decisions."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        HELD = "held", _("Terlaksana")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="taskforce_meetings")
    title = models.CharField(_("judul rapat"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("tanggal dan waktu"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    online_link = models.URLField(_("tautan daring"), max_length=500, blank=True)
    chair = models.CharField(_("pimpinan rapat"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    invited = models.ManyToManyField(Agency, related_name="+", blank=True, verbose_name=_("instansi diundang"))
    minutes = models.TextField(_("notulen"), blank=True)
    decisions = models.TextField(_("keputusan"), blank=True)
    held_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rapat koordinasi")
        verbose_name_plural = _("rapat koordinasi")
        ordering = ["region_id", "-starts_at", "-id"]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    def audit_view(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "status": self.status,
            "starts_at": self.starts_at.isoformat(),
            "place": self.place,
            "online_link": self.online_link,
            "chair": self.chair,
            "agenda": self.agenda,
            "decisions": self.decisions,
        }


class Attendance(models.Model):
    """One agency at one meeting, with who came for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attendees = models.CharField(_("yang hadir"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["meeting_id", "agency__short_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="attendance_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.meeting_id}"


class FollowUp(models.Model):
    """A task agreed at a meeting: an owner agency, a due date, done or not, with a completion note and evidence."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum selesai")
        DONE = "done", _("Selesai")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="taskforce_follow_ups")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="follow_ups")
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="taskforce_follow_ups")
    description = models.TextField(_("tindak lanjut"))
    due_date = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completion_note = models.TextField(_("catatan penyelesaian"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["region", "status", "due_date"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def overdue_on(self, today: dt.date) -> bool:
        return is_overdue(due=self.due_date, done=self.is_done, today=today)

    def audit_view(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting_id,
            "owner": self.owner_id,
            "description": self.description,
            "due_date": self.due_date.isoformat(),
            "status": self.status,
            "completion_note": self.completion_note,
        }
