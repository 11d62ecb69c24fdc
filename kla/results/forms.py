"""Forms of the results pages: publication request, target predicate, the public portal's filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kla.core.formatting import format_number
from kla.indicators.scoring import BandRule
from kla.regions.models import Region

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PublishRequestForm(forms.Form):
    release_at = forms.DateTimeField(
        label=_("Waktu pengumuman (WIB)"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_(
            "Hasil tampil bagi kabupaten/kota, provinsi, dan publik mulai waktu ini, setelah administrator lain "
            "mengonfirmasi."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["release_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class TargetForm(forms.Form):
    band_code = forms.ChoiceField(label=_("Predikat target"))
    year = forms.IntegerField(label=_("Tahun target"), required=False, min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)

    def __init__(self, bands: Sequence[BandRule], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["band_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(b.code, f"{b.name} (minimal {format_number(b.min_score)})") for b in bands]


class PublicFilterForm(forms.Form):
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    q = forms.CharField(label=_("Cari kabupaten/kota (nama atau kode)"), required=False, max_length=60)

    def __init__(self, provinces: Sequence[Region], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provinsi"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Semua provinsi")), *((p.code, p.name) for p in provinces)]

    def province(self) -> str:
        return str(self.cleaned_data.get("provinsi") or "") if self.is_valid() else ""

    def query(self) -> str:
        text = str(self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""
        return text if len(text) >= 3 else ""
