"""Exports: a table, document or evidence pack one user asked for, built by a background task with visible progress."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.core.wording import say_stored

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


class Export(models.Model):
    """One requested export. Its rows were chosen through the requester's scope and the seal when the task ran, so
    only the requester may download it, and only while their roles are still those it was built for (`grants`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu giliran")
        RUNNING = "running", _("Sedang dibuat")
        READY = "ready", _("Siap diunduh")
        FAILED = "failed", _("Gagal dibuat")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        CSV = "csv", _("CSV (.csv)")
        PDF = "pdf", _("PDF (.pdf)")
        ZIP = "zip", _("ZIP (.zip)")

    kind = models.CharField(_("laporan"), max_length=40)  # a code of kla.reports.exporters.EXPORTERS
    cycle_code = models.SlugField(_("siklus"), max_length=40)
    # documents of one evaluation (the score sheet as PDF); empty for the tables of a whole cycle
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # an evidence pack of one indicator of that evaluation; empty for the whole evaluation
    entry = models.ForeignKey("evaluations.Entry", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    grants = models.JSONField(default=list)  # the requester's roles and regions when asked ("role@region")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)  # what a ready file lacks (files missing from storage)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ekspor laporan")
        verbose_name_plural = _("ekspor laporan")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="export_by_requester")]

    def __str__(self) -> str:
        return f"{self.kind} {self.cycle_code} ({self.format})"

    @property
    def error_text(self) -> str:
        """Why the export failed, in the reader's language (the task keeps marked Indonesian)."""
        return say_stored(self.error)

    @property
    def note_text(self) -> str:
        """What a ready file lacks, in the reader's language."""
        return say_stored(self.note)

    def expires_at(self) -> dt.datetime | None:
        """When the file stops being handed out and is deleted (`KLA_EXPORT_KEEP_DAYS` after it was made)."""
        if self.finished_at is None:
            return None
        return self.finished_at + dt.timedelta(days=settings.KLA_EXPORT_KEEP_DAYS)

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def unit(self) -> StrPromise:
        """What `rows_done` counts."""
        return _("berkas") if self.format == self.Format.ZIP else _("baris")

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.READY else 0
        return min(100, self.rows_done * 100 // self.rows_total)


UNFINISHED = (Export.Status.PENDING, Export.Status.RUNNING)  # still waiting for, or inside, the task
