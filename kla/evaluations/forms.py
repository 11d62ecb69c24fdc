"""Forms of the self-assessment. Answer forms are built per question from the instrument's answer type."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kla.evaluations.stages import STAGE_LABELS, STAGE_ORDER, Stage
from kla.evaluations.workflow import FIELD_RULE_LABELS, FieldRule, WorkflowConfig
from kla.indicators.models import Framework, Question
from kla.regions.levels import Level
from kla.regions.models import Region


class CycleForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode siklus"), max_length=40, help_text=_("Huruf kecil dan tanda hubung, mis. evaluasi-kla-2026.")
    )
    name = forms.CharField(label=_("Nama"), max_length=120, help_text=_("Mis. Evaluasi KLA 2026."))
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(label=_("Instrumen"), queryset=Framework.objects.filter(level=Level.KABKOTA))
    province_review = forms.BooleanField(
        label=_("Provinsi melakukan verifikasi administrasi lebih dulu"),
        required=False,
        initial=True,
        help_text=_("Sejak siklus 2023, provinsi memverifikasi dan mengusulkan kab/kota ke Kementerian."),
    )
    field_rule = forms.ChoiceField(
        label=_("Verifikasi lapangan untuk"),
        choices=[(rule.value, label) for rule, label in FIELD_RULE_LABELS.items()],
        initial=FieldRule.LEVEL_CHANGE.value,
    )

    def workflow(self) -> WorkflowConfig:
        return WorkflowConfig(
            province_review=bool(self.cleaned_data.get("province_review")),
            field_rule=FieldRule(self.cleaned_data["field_rule"]),
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        for i, stage in enumerate(STAGE_ORDER):
            self.fields[f"{stage.value}_start"] = forms.DateField(
                label=f"{STAGE_LABELS[stage]}: mulai",
                initial=today + dt.timedelta(days=60 * i),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"{stage.value}_end"] = forms.DateField(
                label=f"{STAGE_LABELS[stage]}: batas waktu",
                initial=today + dt.timedelta(days=60 * i + 59),
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("Batas waktu berlaku sampai pukul 23.59 WIB pada tanggal ini."),
            )

    def deadlines(self) -> dict[Stage, tuple[dt.datetime, dt.datetime]]:
        tz = timezone.get_current_timezone()
        out: dict[Stage, tuple[dt.datetime, dt.datetime]] = {}
        for stage in STAGE_ORDER:
            start: dt.date = self.cleaned_data[f"{stage.value}_start"]
            end: dt.date = self.cleaned_data[f"{stage.value}_end"]
            out[stage] = (
                dt.datetime.combine(start, dt.time.min, tzinfo=tz),
                dt.datetime.combine(end, dt.time(23, 59, 59), tzinfo=tz),
            )
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for stage in STAGE_ORDER:
            start, end = data.get(f"{stage.value}_start"), data.get(f"{stage.value}_end")
            if start and end and end < start:
                self.add_error(f"{stage.value}_end", _("Batas waktu tidak boleh sebelum tanggal mulai."))
        return data


class OpenCycleForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Peserta"),
        choices=[("all", _("Seluruh 514 kabupaten/kota")), ("provinces", _("Provinsi terpilih"))],
        widget=forms.RadioSelect,
        initial="all",
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinsi"),
        required=False,
        queryset=Region.objects.filter(level=Level.PROVINSI).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "provinces" and not data.get("provinces"):
            self.add_error("provinces", _("Pilih paling sedikit satu provinsi."))
        return data


class SubmitForm(forms.Form):
    acknowledge_missing = forms.BooleanField(
        label=_("Saya mengirim evaluasi ini dengan kekurangan yang tercantum di atas."), required=False
    )


def raw_answer_from_post(question: Question, data: Any) -> dict[str, Any]:
    """The raw JSON value of an answer from a question form's POST data (validated later by the scoring engine)."""
    kind = question.answer_type

    def get(name: str) -> str:
        return str(data.get(name, "")).strip()

    if kind == "option":
        return {"option": get("option")} if get("option") else {}
    if kind == "yes_no":
        value = get("yes")
        return {"yes": value == "1"} if value in ("0", "1") else {}
    if kind == "number":
        return {"number": get("number").replace(",", ".")} if get("number") else {}
    if kind == "percentage":
        num, den = get("numerator").replace(",", "."), get("denominator").replace(",", ".")
        return {"numerator": num, "denominator": den} if (num or den) else {}
    if kind == "date":
        return {"date": get("date")} if get("date") else {}
    return {"text": get("text")} if get("text") else {}
