from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas"), error_messages={"required": _("Pilih berkas yang akan diunggah.")})
    evidence_type = forms.ChoiceField(
        label=_("Jenis bukti"), choices=[(k, v[0]) for k, v in EVIDENCE_TYPE_LABELS.items()]
    )
    doc_number = forms.CharField(label=_("Nomor dokumen"), max_length=120, required=False)
    doc_date = forms.DateField(
        label=_("Tanggal dokumen"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issuer = forms.CharField(label=_("Penerbit"), max_length=200, required=False)
    period_start = forms.DateField(
        label=_("Periode dari"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Periode sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Keterangan"), max_length=500, required=False)
    replaces = forms.IntegerField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Akhir periode tidak boleh sebelum awal periode."))
        return data
