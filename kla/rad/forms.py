"""Forms of the RAD KLA pages: they parse what was typed; the services decide (amounts stay text, read in the page's
language by `kla.rad.rules.read_amount`, so a refusal keeps exactly what was typed in the form)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext, gettext_lazy

from kla.agencies.models import Agency
from kla.agencies.selectors import agencies_available_to
from kla.core import typed_numbers
from kla.indicators.models import Framework, Indicator
from kla.rad.models import Output
from kla.rad.rules import BASIS_LABELS, SOURCE_LABELS
from kla.regions.models import Region

AMOUNT_HELP = gettext_lazy(
    "Tulis seperti 1.250.000.000 atau 1.250.000.000,50; boleh diawali Rp. Kosongkan bila tidak ada."
)
SOURCES = [(s.value, label) for s, label in SOURCE_LABELS.items()]


def typed(value: Decimal | None) -> str:
    """A stored figure as a person would type it again in the page's language (1.250.000.000,5; English
    1,250,000,000.5), empty for none."""
    return typed_numbers.typed(value)


def _amount(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=40, widget=forms.TextInput({"inputmode": "decimal"}))


class PlanForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy('Judul (kosongkan untuk "RAD KLA <wilayah>")'), required=False, max_length=200
    )
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Instrumen yang diikuti"),
        queryset=Framework.objects.order_by("-year"),
        empty_label=gettext_lazy("— pilih instrumen —"),
    )
    start_year = forms.IntegerField(label=gettext_lazy("Tahun awal"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=gettext_lazy("Tahun akhir"), min_value=2000, max_value=2100)


class AdoptForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis dasar hukum"), choices=[(k.value, v) for k, v in BASIS_LABELS.items()]
    )
    number = forms.CharField(label="Nomor peraturan", max_length=120, required=False)
    date = forms.DateField(
        label=gettext_lazy("Tanggal peraturan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(label=gettext_lazy("Berkas peraturan (PDF, opsional)"), required=False)


def _agency_field(region: Region, required: bool, empty: str) -> forms.ModelChoiceField[Agency]:
    field: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=gettext("Instansi penanggung jawab"),
        queryset=agencies_available_to(region),
        required=required,
        empty_label=empty,
    )
    return field


class ProgrammeForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Indikator"),
        queryset=Indicator.objects.none(),
        empty_label=gettext_lazy("— pilih indikator —"),
    )
    name = forms.CharField(label=gettext_lazy("Nama program"), max_length=400)
    code = forms.CharField(label="Kode nomenklatur (opsional, contoh 1.02.02)", max_length=40, required=False)

    def __init__(self, *args: Any, framework_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (  # type: ignore[attr-defined]
            Indicator.objects.filter(framework_id=framework_id).select_related("cluster").order_by("position")
        )


class ChildForm(forms.Form):
    """An activity under a programme, or a sub-activity under an activity."""

    name = forms.CharField(label=gettext_lazy("Nama"), max_length=400)
    code = forms.CharField(label="Kode nomenklatur (opsional)", max_length=40, required=False)

    def __init__(self, *args: Any, region: Region, agency_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = gettext("— pilih instansi —") if agency_required else gettext("— sama dengan kegiatan induknya —")
        self.fields["agency"] = _agency_field(region, agency_required, empty)


class NodeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=400)
    code = forms.CharField(label="Kode nomenklatur (opsional)", max_length=40, required=False)

    def __init__(self, *args: Any, region: Region, with_agency: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_agency:
            self.fields["agency"] = _agency_field(region, False, gettext("— tidak diubah —"))


class OutputForm(forms.Form):
    """An output indicator with its unit and a target per year of the plan (fields ``target_<year>``)."""

    name = forms.CharField(label=gettext_lazy("Indikator keluaran"), max_length=300)
    unit = forms.CharField(label="Satuan", max_length=60)

    def __init__(self, data: Any = None, *, years: tuple[int, ...], output: Output | None = None) -> None:
        targets = {t.year: t.value for t in output.targets.all()} if output is not None else {}
        initial = {"name": output.name, "unit": output.unit} if output is not None else {}
        initial |= {f"target_{y}": typed(targets.get(y)) for y in years}
        super().__init__(data, initial=initial)
        self.years = years
        for year in years:
            self.fields[f"target_{year}"] = _amount(f"Target {year}")

    def targets(self) -> dict[int, str]:
        return {y: self.cleaned_data.get(f"target_{y}") or "" for y in self.years}


class BudgetForm(forms.Form):
    """A leaf's planned amount per year and source (fields ``b_<year>_<source>``); blank or 0 removes it."""

    def __init__(self, data: Any = None, *, years: tuple[int, ...], budget: dict[int, dict[str, Decimal]]) -> None:
        initial = {f"b_{y}_{s}": typed(budget.get(y, {}).get(s)) for y in years for s, _label in SOURCES}
        super().__init__(data, initial=initial)
        self.years = years
        for year in years:
            for source, label in SOURCES:
                self.fields[f"b_{year}_{source}"] = _amount(f"{label} {year}")

    def cells(self) -> dict[tuple[int, str], str]:
        return {(y, s): self.cleaned_data.get(f"b_{y}_{s}") or "" for y in self.years for s, _label in SOURCES}

    def grid(self) -> list[tuple[int, list[forms.BoundField]]]:
        """Rows per year, a field per source (for the table)."""
        return [(y, [self[f"b_{y}_{s}"] for s, _label in SOURCES]) for y in self.years]


class RealisationForm(forms.Form):
    """A quarter's spending per source (``spent_<source>``), output achieved (``achieved_<output key>``), notes."""

    notes = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    explanation = forms.CharField(
        label=gettext_lazy("Penjelasan bila realisasi melebihi rencana"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args: Any, outputs: list[Output], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outputs = outputs
        for source, label in SOURCES:
            self.fields[f"spent_{source}"] = _amount(gettext("Realisasi %(label)s") % {"label": label})
        for output in outputs:
            self.fields[f"achieved_{output.key}"] = _amount(f"Capaian {output.name} ({output.unit})")

    def spent(self) -> dict[str, str]:
        return {s: v for s, _label in SOURCES if (v := (self.cleaned_data.get(f"spent_{s}") or "").strip())}

    def achieved(self) -> dict[UUID | str, str]:
        out: dict[UUID | str, str] = {}
        for output in self.outputs:
            value = (self.cleaned_data.get(f"achieved_{output.key}") or "").strip()
            if value:
                out[str(output.key)] = value
        return out

    def spent_fields(self) -> list[forms.BoundField]:
        return [self[f"spent_{s}"] for s, _label in SOURCES]

    def achieved_fields(self) -> list[forms.BoundField]:
        return [self[f"achieved_{o.key}"] for o in self.outputs]


class RegionBudgetForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Tahun"), min_value=2000, max_value=2100)
    total = forms.CharField(
        label="Total APBD", max_length=40, help_text=AMOUNT_HELP.replace(" Kosongkan bila tidak ada.", "")
    )
