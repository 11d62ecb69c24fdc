"""The preferences form: one choice per kind; the mandatory kinds offer no "off"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from kla.notifications.models import MANDATORY, Delivery, Kind


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, initial_choices: dict[Kind, Delivery], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            help_text = _("Wajib: tidak dapat dimatikan.") if kind in MANDATORY else ""
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=initial_choices[kind].value,
                widget=forms.RadioSelect,
                help_text=help_text,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in MANDATORY:
            if data.get(kind.value) == Delivery.OFF:
                self.add_error(
                    kind.value,
                    _('"%(kind)s" wajib diterima karena menyangkut pekerjaan Anda; pilih segera atau ringkasan harian.')
                    % {"kind": kind.label},
                )
        return data

    def choices(self) -> dict[Kind, Delivery]:
        return {Kind(k): Delivery(v) for k, v in self.cleaned_data.items()}


KIND_SLUGS = {"dikembalikan": "returned", "dikirim": "submitted", "diusulkan": "proposed"}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


class StuckFilterForm(forms.Form):
    """The board's filters: kind, a region within the viewer's scope (checked by the view: 404 outside it) and a
    minimum age in whole days, typed the Indonesian way."""

    jenis = forms.ChoiceField(label=_("Jenis"), required=False)
    wilayah = forms.CharField(label=_("Wilayah"), required=False, max_length=16)
    umur = forms.CharField(label=_("Umur minimum (hari)"), required=False, max_length=6)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jenis = self.fields["jenis"]
        assert isinstance(jenis, forms.ChoiceField)
        jenis.choices = [
            ("", _("Semua jenis")),
            ("dikembalikan", _("Dikembalikan, belum diperbaiki")),
            ("dikirim", _("Dikirim, belum diverifikasi provinsi")),
            ("diusulkan", _("Diusulkan, belum diverifikasi Kementerian")),
        ]
        self.regions = regions

    def clean_umur(self) -> int:
        from kla.core.formatting import NumberInputError
        from kla.core.typed_numbers import read_number

        text = (self.cleaned_data.get("umur") or "").strip()
        if not text:
            return 0
        try:
            value = read_number(text)
        except NumberInputError as exc:
            raise forms.ValidationError(exc.message) from None
        if value != value.to_integral_value() or not 0 <= value <= 3650:
            raise forms.ValidationError(_("Tulis umur minimum sebagai jumlah hari yang bulat, 0 sampai 3.650."))
        return int(value)
