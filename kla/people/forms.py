"""Forms of the people pages: the import upload and the handover with deactivation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kla.accounts.models import Membership, User


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas daftar pengguna"),
        help_text=_("Templat XLSX yang sudah diisi, atau CSV (pemisah ';' atau ',') dengan judul kolom yang sama."),
        error_messages={"required": _("Pilih berkas daftar pengguna yang akan diimpor.")},
    )


class HandoverForm(forms.Form):
    successor = forms.ChoiceField(
        label=_("Pengganti"),
        required=False,
        help_text=_("Pengguna yang melanjutkan pekerjaannya. Kosongkan bila tidak ada pengganti."),
    )
    memberships = forms.MultipleChoiceField(
        label=_("Peran yang diserahkan ke pengganti"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Peran yang dicentang diberikan kepada pengganti; semua peran pengguna yang pergi dicabut."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: pindah tugas ke instansi lain sejak 1 Desember 2026."),
        error_messages={"required": _("Tuliskan alasan penonaktifan.")},
    )

    def __init__(self, *args: Any, successors: list[User], memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._successors = {str(u.pk): u for u in successors}
        self._memberships = {str(m.pk): m for m in memberships}
        successor = self.fields["successor"]
        assert isinstance(successor, forms.ChoiceField)
        successor.choices = [("", _("— tanpa pengganti —"))] + [
            (str(u.pk), f"{u.full_name or u.username} ({u.username})") for u in successors
        ]
        chosen = self.fields["memberships"]
        assert isinstance(chosen, forms.MultipleChoiceField)
        chosen.choices = [(str(m.pk), str(m)) for m in memberships]
        if not self.is_bound:
            self.initial.setdefault("memberships", list(self._memberships))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["successor"] = self._successors.get(data.get("successor") or "")
        data["memberships"] = [self._memberships[pk] for pk in data.get("memberships") or []]
        return data
