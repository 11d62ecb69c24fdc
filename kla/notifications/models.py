"""In-app notifications, each user's delivery choice per kind, and the outgoing emails (queued, sent, retried)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("Indikator ditugaskan kepada instansi Anda")
    RETURNED = "returned", _("Indikator dikembalikan untuk diperbaiki")
    RESUBMITTED = "resubmitted", _("Indikator yang Anda kembalikan dikirim ulang")
    SUBMITTED = "submitted", _("Evaluasi mandiri dikirim ke provinsi")
    STAGE = "stage", _("Tahap dibuka, ditutup, atau diperpanjang")
    DEADLINE = "deadline", _("Batas waktu mendekat")
    FOLLOW_UP = "follow_up", _("Tindak lanjut rapat Gugus Tugas")
    FIELD_VISIT = "field_visit", _("Verifikasi lapangan direncanakan")
    EXPORT = "export", _("Laporan siap diunduh")
    PUBLICATION = "publication", _("Permintaan pengumuman hasil")
    PUBLISHED = "published", _("Hasil diumumkan")
    ESCALATED = "escalated", _("Pekerjaan melewati batas layanan (eskalasi)")
    NUDGED = "nudged", _("Pengingat pekerjaan tertahan dari provinsi atau Kementerian")


# What concerns work the reader must finish or oversee: these cannot be turned off (they may still come as a digest).
# An escalation is the safety net of late work, so it cannot be switched off either, nor a reminder of one's late work.
MANDATORY = frozenset({Kind.RETURNED, Kind.DEADLINE, Kind.ESCALATED, Kind.NUDGED})


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Segera (notifikasi dan email)")
    DIGEST = "digest", _("Ringkasan harian (notifikasi, email sekali sehari)")
    OFF = "off", _("Tidak usah")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=255)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("waktu"), db_index=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    # True when the user takes this kind as a daily digest; `digested_at` is set once a digest email carried it.
    digest_due = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)
    dedup_key = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(fields=["digest_due", "digested_at"], name="notification_digest"),
        ]
        constraints = [models.UniqueConstraint(fields=["user", "dedup_key"], name="notification_dedup_per_user")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.delivery}"


class OutgoingEmail(models.Model):
    """One email to one person. Written in the transaction of what caused it; sent by a task after the commit; a
    refusal of the mail server leaves it queued with its error and the time of the next attempt (`send_reminders`
    retries it)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal setelah beberapa percobaan")
        DROPPED = "dropped", _("Dibatalkan: objeknya sudah tidak ada")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class ReminderSent(models.Model):
    """One reminder occasion already handled (a deadline at 7/3/1 days for a stage and region, a follow-up, a
    day's digest): `send_reminders` skips what is here, so a second run sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
