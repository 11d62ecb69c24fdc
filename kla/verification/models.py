"""Reviewers' verdicts on entries and the province's proposal letters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kla.core.wording import say_stored
from kla.evaluations.models import Cycle, Entry
from kla.indicators.models import Question
from kla.regions.models import Region


class Verdict(models.Model):
    """A reviewer's decision on one question (administrative verification) or one indicator (field verification).

    The latest decision per question and stage is kept here; every earlier one is in the audit trail.
    """

    class Stage(models.TextChoices):
        PROVINCE = "province", _("Verifikasi administrasi provinsi")
        MINISTRY = "ministry", _("Verifikasi administrasi Kementerian")
        FIELD = "field", _("Verifikasi lapangan")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        CORRECTED = "corrected", _("Diterima dengan koreksi poin")
        RETURNED = "returned", _("Dikembalikan")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="verdicts")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    points = models.DecimalField(_("poin"), max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    decided_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("keputusan verifikasi")
        verbose_name_plural = _("keputusan verifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "stage", "question"],
                condition=models.Q(question__isnull=False),
                name="verdict_unique_question",
            ),
            models.UniqueConstraint(
                fields=["entry", "stage"], condition=models.Q(question__isnull=True), name="verdict_unique_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.stage} {self.question_id or '-'}: {self.decision}"


class LetterTemplate(models.Model):
    """The province's own wording of its proposal letter (placeholders: kla.verification.letter_text.PLACEHOLDERS)."""

    province = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="letter_template")
    body = models.TextField(_("isi surat"))
    city = models.CharField(_("tempat"), max_length=80)
    signer = models.CharField(_("penandatangan"), max_length=120)
    title = models.CharField(_("jabatan"), max_length=160)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("templat surat usulan")
        verbose_name_plural = _("templat surat usulan")

    def __str__(self) -> str:
        return f"Templat surat {self.province_id}"


class ProposalLetter(models.Model):
    """The letter with which a province proposes its kab/kota to the ministry; the PDF is rendered by a task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sedang dibuat")
        READY = "ready", _("Siap diunduh")
        FAILED = "failed", _("Gagal dibuat")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="proposal_letters")
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor surat"), max_length=80)
    context = models.JSONField(default=dict)  # everything the PDF shows, frozen at proposal time
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="letters/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("surat usulan")
        verbose_name_plural = _("surat usulan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.number} ({self.province_id})"

    @property
    def error_text(self) -> str:
        """Why the letter failed, in the reader's language (the task keeps marked Indonesian)."""
        return say_stored(self.error)
