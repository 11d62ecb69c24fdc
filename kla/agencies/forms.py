"""Forms of the agency pages: add (from the catalogue or free), edit, deactivate (with a successor), import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from kla.agencies.catalogue import BY_CODE, grouped_for
from kla.agencies.models import Agency
from kla.regions.models import Region


def _kind_choices(region: Region, current: str = "") -> list[Any]:
    """The catalogue for the region's level, grouped (perangkat daerah, vertikal, non-pemerintah) as optgroups; an
    agency's current kind stays offered even when it belongs to another level."""
    groups = [(label, [(k.code, k.name) for k in kinds]) for label, kinds in grouped_for(region.level_enum)]
    offered = {code for _, kinds in groups for code, _ in kinds}
    kept = [(current, BY_CODE[current].name)] if current in BY_CODE and current not in offered else []
    return [("", gettext("— pilih dari katalog —")), *kept, *groups]


class AgencyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis instansi"),
        help_text=_('Pilih dari katalog; pilih "Lembaga lainnya" bila tidak ada yang cocok.'),
    )
    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=200,
        required=False,
        help_text=_("Kosongkan untuk memakai nama katalog dengan nama wilayah, mis. 'Dinas Kesehatan Kota Palembang'."),
    )
    short_name = forms.CharField(
        label=_("Singkatan"),
        max_length=60,
        required=False,
        help_text=_('Kosongkan untuk memakai singkatan katalog, mis. "Dinas Kesehatan".'),
    )

    def __init__(self, *args: Any, region: Region, current_kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _kind_choices(region, current_kind)


class DeactivateForm(forms.Form):
    reassign_to = forms.ModelChoiceField(
        label=_("Alihkan tugasnya kepada"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("— tanpa pengalihan —"),
        help_text=_("Wajib bila instansi ini masih memegang indikator yang sedang diisi."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('Mis. "digabung ke Dinas Sosial P3A (Perda 5/2026)".'),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reassign_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Agency.objects.filter(region_id=agency.region_id, is_active=True)
            .exclude(pk=agency.pk)
            .order_by("short_name")
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas daftar instansi"),
        help_text=_("XLSX atau CSV (UTF-8, pemisah ';' atau ','), dengan kolom jenis, nama, singkatan."),
    )
