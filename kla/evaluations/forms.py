"""Forms of the self-assessment. Answer forms are built per question from the instrument's answer type."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kla.core.formatting import NumberInputError
from kla.core.typed_numbers import read_number
from kla.core.wording import say
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.stages import STAGE_LABELS, STAGE_ORDER, Stage, calendar_problems
from kla.evaluations.workflow import FIELD_RULE_LABELS, FieldRule, WorkflowConfig
from kla.indicators.models import Framework, Question
from kla.regions.levels import Level
from kla.regions.models import Region

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> reads and sends whatever the page's language


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline date as an instant: 23.59.59 of that day in the platform's zone."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


class CycleForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode siklus"), max_length=40, help_text=_("Huruf kecil dan tanda hubung, mis. evaluasi-kla-2026.")
    )
    name = forms.CharField(label=_("Nama"), max_length=120, help_text=_("Mis. Evaluasi KLA 2026."))
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(label=_("Instrumen"), queryset=Framework.objects.filter(level=Level.KABKOTA))
    province_review = forms.BooleanField(
        label=_("Provinsi melakukan verifikasi administrasi lebih dahulu"),
        required=False,
        initial=True,
        help_text=_("Sejak siklus 2023, provinsi memverifikasi dan mengusulkan kabupaten/kota ke Kementerian."),
    )
    field_rule = forms.ChoiceField(
        label=_("Verifikasi lapangan untuk"),
        choices=[(rule.value, _(label)) for rule, label in FIELD_RULE_LABELS.items()],
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
                label=gettext("%(stage)s: mulai") % {"stage": gettext(STAGE_LABELS[stage])},
                initial=today + dt.timedelta(days=60 * i),
                widget=date_input(),
            )
            self.fields[f"{stage.value}_end"] = forms.DateField(
                label=gettext("%(stage)s: batas waktu") % {"stage": gettext(STAGE_LABELS[stage])},
                initial=today + dt.timedelta(days=60 * i + 59),
                widget=date_input(),
                help_text=_("Batas waktu berlaku sampai pukul 23.59 WIB pada tanggal ini."),
            )

    def deadlines(self) -> dict[Stage, tuple[dt.datetime, dt.datetime]]:
        tz = timezone.get_current_timezone()
        out: dict[Stage, tuple[dt.datetime, dt.datetime]] = {}
        for stage in STAGE_ORDER:
            start: dt.date = self.cleaned_data[f"{stage.value}_start"]
            end: dt.date = self.cleaned_data[f"{stage.value}_end"]
            out[stage] = (dt.datetime.combine(start, dt.time.min, tzinfo=tz), end_of_day(end))
        return out

    def clean(self) -> dict[str, Any]:
        """The calendar keeps the stages' order (`stages.calendar_problems`); each problem is shown at its date."""
        data = super().clean() or {}
        calendar = {
            stage: (data[f"{stage.value}_start"], data[f"{stage.value}_end"])
            for stage in STAGE_ORDER
            if data.get(f"{stage.value}_start") and data.get(f"{stage.value}_end")
        }
        for problem in calendar_problems(calendar):
            self.add_error(f"{problem.stage.value}_{problem.bound}", say(problem.message))
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


class RegionChoice(forms.ModelMultipleChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name} ({obj.code})"


class ExtensionForm(forms.Form):
    """The ministry extends one stage's deadline for the whole cycle or for chosen provinces and kabupaten/kota."""

    stage = forms.ChoiceField(label=_("Tahap"))
    ends_on = forms.DateField(
        label=_("Batas waktu baru"),
        widget=date_input(),
        help_text=_("Berlaku sampai pukul 23.59 WIB pada tanggal ini."),
    )
    scope = forms.ChoiceField(
        label=_("Berlaku untuk"),
        choices=[("all", _("Seluruh kabupaten/kota peserta siklus")), ("regions", _("Wilayah terpilih"))],
        widget=forms.RadioSelect,
        initial="all",
    )
    regions = RegionChoice(
        label=_("Wilayah"),
        required=False,
        queryset=Region.objects.none(),
        help_text=_("Memilih provinsi berarti seluruh kabupaten/kota peserta di provinsi itu."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dikirim kepada Sekretariat Gugus Tugas yang bersangkutan melalui email."),
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {d.stage: d for d in cycle.deadlines.all()}
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [(s.value, gettext(STAGE_LABELS[s])) for s in STAGE_ORDER if s.value in labels]
        participants = Evaluation.objects.filter(cycle=cycle).values("region_id")
        provinces = Evaluation.objects.filter(cycle=cycle).values("region__parent_id")
        regions = self.fields["regions"]
        assert isinstance(regions, forms.ModelMultipleChoiceField)
        regions.queryset = Region.objects.filter(
            models.Q(code__in=participants) | models.Q(code__in=provinces)
        ).order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "regions" and not data.get("regions"):
            self.add_error("regions", _("Pilih paling sedikit satu provinsi atau kabupaten/kota."))
        return data

    def region_codes(self) -> list[str] | None:
        if self.cleaned_data["scope"] == "all":
            return None
        return [region.code for region in self.cleaned_data["regions"]]

    def ends_at(self) -> dt.datetime:
        return end_of_day(self.cleaned_data["ends_on"])


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

    Numbers are read in the page's language (`kla.core.typed_numbers`: Indonesian `1.500` is fifteen hundred and
    `1,5` one and a half; English `1,500` and `1.5`) and passed on as plain decimals; a number that cannot be read,
    or could be read two ways, raises ValidationError with a hint."""
    kind = question.answer_type

    def get(name: str) -> str:
        return str(data.get(name, "")).strip()

    if kind == "option":
        return {"option": get("option")} if get("option") else {}
    if kind == "yes_no":
        value = get("yes")
        return {"yes": value == "1"} if value in ("0", "1") else {}
    if kind == "number":
        return {"number": _read_number(get("number"), gettext("Jumlah"))} if get("number") else {}
    if kind == "percentage":
        num, den = get("numerator"), get("denominator")
        if not (num or den):
            return {}
        spec = question.spec
        return {
            "numerator": _read_number(num, spec.get("numerator_label") or gettext("Pembilang")) if num else "",
            "denominator": _read_number(den, spec.get("denominator_label") or gettext("Penyebut")) if den else "",
        }
    if kind == "date":
        return {"date": get("date")} if get("date") else {}
    return {"text": get("text")} if get("text") else {}


def _read_number(text: str, label: str) -> str:
    try:
        return str(read_number(text))
    except NumberInputError as exc:
        raise ValidationError(f"{label}: {exc.message}", code=exc.code) from None
