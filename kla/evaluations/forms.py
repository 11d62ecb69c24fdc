"""Forms of the self-assessment. Answer forms are built per question from the instrument's answer type."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kla.core.formatting import NumberInputError, parse_number
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


def typed_answer_from_post(question: Question, data: Any) -> dict[str, Any]:
    """What the person typed, as typed (shown again in the form when it cannot be read)."""
    names = {
        "option": ("option",),
        "yes_no": ("yes",),
        "number": ("number",),
        "percentage": ("numerator", "denominator"),
        "date": ("date",),
    }.get(question.answer_type, ("text",))
    return {name: str(data.get(name, "")).strip() for name in names if str(data.get(name, "")).strip()}


def raw_answer_from_post(question: Question, data: Any) -> dict[str, Any]:
    """The raw JSON value of an answer from a question form's POST data (validated later by the scoring engine).

    Numbers are read the Indonesian way (`1.500` is fifteen hundred, `1,5` one and a half) and passed on as plain
    decimals; a number that cannot be read, or could be read two ways, raises ValidationError with a hint."""
    kind = question.answer_type

    def get(name: str) -> str:
        return str(data.get(name, "")).strip()

    if kind == "option":
        return {"option": get("option")} if get("option") else {}
    if kind == "yes_no":
        value = get("yes")
        return {"yes": value == "1"} if value in ("0", "1") else {}
    if kind == "number":
        return {"number": _read_number(get("number"), "Jumlah")} if get("number") else {}
    if kind == "percentage":
        num, den = get("numerator"), get("denominator")
        if not (num or den):
            return {}
        return {
            "numerator": _read_number(num, question.spec.get("numerator_label") or "Pembilang") if num else "",
            "denominator": _read_number(den, question.spec.get("denominator_label") or "Penyebut") if den else "",
        }
    if kind == "date":
        return {"date": get("date")} if get("date") else {}
    return {"text": get("text")} if get("text") else {}


def _read_number(text: str, label: str) -> str:
    try:
        return str(parse_number(text))
    except NumberInputError as exc:
        raise ValidationError(f"{label}: {exc.message}", code=exc.code) from None
