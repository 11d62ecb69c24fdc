"""Users, their memberships (role × region × agency) and personal API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from kla.accounts.roles import ROLE_CHOICES, ROLES, Grant, Role
from kla.agencies.models import Agency
from kla.regions.models import Region


class Language(models.TextChoices):
    """The languages a person reads the platform in (settings.LANGUAGES): their pages after signing in, and the
    notifications and emails written for them."""

    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


class User(AbstractUser):
    """A person who signs in. What they may do comes only from their active memberships."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    # The bell's count, kept by kla.notifications.services (recounted on every change) so that the header of every
    # page reads it from the user row the session already loaded: no query of its own.
    unread_notifications = models.PositiveIntegerField(_("notifikasi belum dibaca"), default=0, editable=False)
    # Saved by the language switch while signed in, applied at sign-in (the cookie), and the language of every
    # notification and email written for them (kla.notifications).
    language = models.CharField(_("bahasa"), max_length=5, choices=Language.choices, default=Language.INDONESIAN)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(revoked_at__isnull=True)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pengguna"))
    role = models.CharField(_("peran"), max_length=24, choices=ROLE_CHOICES)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("instansi"),
    )
    granted_at = models.DateTimeField(_("diberikan pada"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diberikan oleh"),
    )
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["user_id", "role", "region_id"]
        indexes = [models.Index(fields=["region", "role"])]
        constraints = [
            # One active membership per user × role × region × agency; NULL region/agency compare equal.
            models.UniqueConstraint(
                models.F("user"),
                models.F("role"),
                Coalesce("region", models.Value("")),
                Coalesce("agency", models.Value(0)),
                condition=models.Q(revoked_at__isnull=True),
                name="membership_unique_active",
            )
        ]

    def __str__(self) -> str:
        parts = [self.role_label]
        if self.region is not None:
            parts.append(self.region.name)
        if self.agency is not None:
            parts.append(self.agency.short_name)
        return " · ".join(parts)

    @property
    def role_label(self) -> str:
        """The role's name in the reader's language (`roles.ROLES` holds both)."""
        spec = ROLES[Role(self.role)]
        return spec.label_en if (get_language() or "").startswith("en") else spec.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def as_grant(self) -> Grant:
        return Grant(
            role=Role(self.role),
            region_code=self.region_id,
            agency_region_code=self.agency.region_id if self.agency is not None else None,
        )


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna"))
    name = models.CharField(_("nama token"), max_length=80)
    prefix = models.CharField(_("awalan"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class TotpDevice(models.Model):
    """The authenticator app of a user (one per user): the shared TOTP secret and the last time step used.

    A device is usable once confirmed (the user typed a correct code at enrolment). `last_step` makes every code
    single-use: a step at or before it is refused. A ministry administrator resets a lost device by deleting it.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("pengguna"))
    secret = models.CharField(_("rahasia"), max_length=64)
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    last_step = models.BigIntegerField(_("langkah waktu terakhir"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("aplikasi autentikator")
        verbose_name_plural = _("aplikasi autentikator")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """One of a user's one-time recovery codes (`kla.accounts.recovery`): only its keyed hash is stored.

    A code is spent by setting `used_at` (the row stays, so the account page can count what is left). A new set
    deletes the old rows; so does a ministry administrator's reset of the authenticator app.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("pengguna"))
    digest = models.CharField(_("sidik kode"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recoverycode_unique_user_digest")]

    def __str__(self) -> str:
        return f"kode pemulihan {self.user_id} ({'dipakai' if self.used_at else gettext('belum dipakai')})"


class LoginFailure(models.Model):
    """One failed sign-in attempt (a wrong password or a wrong verification code), kept for the throttling window.

    Rows older than the window are deleted whenever a new failure is written; nothing here is permanent.
    """

    username = models.CharField(_("nama pengguna"), max_length=150)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("kegagalan masuk")
        verbose_name_plural = _("kegagalan masuk")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["ip", "at"], name="loginfailure_ip_at"),
            models.Index(fields=["at"], name="loginfailure_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip} {self.at:%Y-%m-%d %H:%M:%S}"
