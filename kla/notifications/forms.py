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
