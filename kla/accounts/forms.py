"""Forms for signing in, user management and API tokens. Choices are limited to what the current user may grant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from kla.accounts import access, security
from kla.accounts.models import User
from kla.accounts.roles import NATIONAL_ROLES, ROLES, Role, grantable_roles
from kla.agencies.models import Agency
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.regions.selectors import subtree_q


def _regions_in_scope(user: User) -> list[Region]:
    """Provinces and kab/kota the user may grant roles in (one query)."""
    qs = Region.objects.filter(level__in=[Level.PROVINSI, Level.KABKOTA]).order_by("code")
    scope = subtree_q(access.managing_region_codes(user), "code")
    return list(qs if scope is None else qs.filter(scope))


class GrantFields(forms.Form):
    role = forms.ChoiceField(label=_("Peran"))
    region = forms.ChoiceField(
        label=_("Wilayah"), required=False, help_text=_("Kosongkan untuk peran nasional (Kementerian).")
    )
    agency = forms.ChoiceField(
        label=_("Instansi (OPD)"),
        required=False,
        help_text=_("Wajib untuk Operator Instansi; instansi harus berada di wilayah terpilih."),
    )

    def __init__(self, *args: Any, manager: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manager = manager
        roles = grantable_roles(access.grants(manager))
        english = (get_language() or "").startswith("en")
        self._choice("role").choices = [("", gettext("— pilih peran —"))] + [
            (r.value, ROLES[r].label_en if english else ROLES[r].label) for r in roles
        ]
        regions = _regions_in_scope(manager)
        self._regions = {r.code: r for r in regions}
        national = [("", "— nasional —")] if NATIONAL_ROLES.intersection(roles) else []
        self._choice("region").choices = national + [(r.code, f"{r.code} {r.name}") for r in regions]
        if not national:
            self.fields["region"].required = True
            self.fields["region"].help_text = _("Wilayah tempat peran ini berlaku, di dalam wilayah kewenangan Anda.")
        agencies = list(
            Agency.objects.filter(region__in=[r for r in regions if r.level == Level.KABKOTA], is_active=True)
            .select_related("region")
            .order_by("region_id", "short_name")
        )
        self._agencies = {str(a.pk): a for a in agencies}
        self._choice("agency").choices = [("", gettext("— tanpa instansi —"))] + [
            (str(a.pk), f"{a.region.name} · {a.short_name}") for a in agencies
        ]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role"):
            data["role"] = Role(data["role"])
        data["region"] = self._regions.get(data.get("region") or "")
        data["agency"] = self._agencies.get(data.get("agency") or "")
        return data


class UserCreateForm(GrantFields):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[a-zA-Z0-9._-]{3,150}$",
        error_messages={"invalid": _("Gunakan 3–150 huruf, angka, titik, garis bawah atau tanda hubung.")},
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Email"), help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini."))
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)

    field_order = ["username", "full_name", "email", "position", "role", "region", "agency"]


class GrantForm(GrantFields):
    pass


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan pencabutan peran.")},
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"), max_length=80, help_text=_('Untuk apa token ini dipakai, mis. "Sinkronisasi data SIPD".')
    )


class LoginForm(AuthenticationForm):
    """Django's sign-in form with throttling: while the username or the client address is locked, the attempt is
    refused without checking the password; every wrong password is counted (`kla.accounts.security`)."""

    # Django's own Indonesian text interpolates the field's label into "nama pengguna %(username)s" and so repeats it.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar dan kecil dibedakan), lalu coba lagi."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        ip = security.client_ip(self.request)
        if username and self.cleaned_data.get("password"):
            lock = security.lock_for(username, ip)
            if lock is not None:
                raise ValidationError(lock.message, code="locked")
        try:
            return super().clean()
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                lock = security.record_failure(username=username, ip=ip, step="password")
                if lock is not None:
                    raise ValidationError([exc, ValidationError(lock.message, code="locked")]) from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=12,
        help_text=_("6 angka dari aplikasi autentikator Anda; kode berganti setiap 30 detik."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
        error_messages={"required": _("Masukkan kode verifikasi 6 angka.")},
    )


class SignInCodeForm(CodeForm):
    """The code step of signing in: the app's 6 digits, or one of the user's recovery codes (letters and digits, so
    the field keeps the full keyboard on a phone)."""

    code = forms.CharField(
        label=_("Kode verifikasi atau kode pemulihan"),
        max_length=24,
        help_text=_(
            "6 angka dari aplikasi autentikator Anda (berganti setiap 30 detik). Ponsel tidak ada? Ketik salah satu "
            "kode pemulihan Anda, misalnya 7KQM-XR2C-HN4T; setiap kode pemulihan hanya dapat dipakai sekali."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 16}),
        error_messages={"required": _("Masukkan kode verifikasi 6 angka atau salah satu kode pemulihan Anda.")},
    )
