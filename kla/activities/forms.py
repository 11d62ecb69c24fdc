"""The activity form: typed values to `services.ActivityInput`; the service decides, the form shows its refusals by
field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from kla.activities import rules
from kla.activities.models import Activity
from kla.activities.services import ActivityInput
from kla.agencies.models import Agency
from kla.core import typed_numbers
from kla.core.formatting import format_rupiah
from kla.indicators.models import Indicator
from kla.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIELD_OF = {"plan": "rad", "rad_activity_key": "rad", "counts": None}


class OpenChoiceField(forms.ChoiceField):
    """A select whose value the service judges (a place outside the kab/kota gets the service's own message)."""

    def valid_value(self, value: Any) -> bool:
        return True


class ActivityForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Nama kegiatan"), max_length=200)
    start_date = forms.DateField(label=gettext_lazy("Tanggal mulai"), widget=DATE)
    end_date = forms.DateField(label=gettext_lazy("Tanggal selesai"), widget=DATE)
    agency = forms.TypedChoiceField(label=gettext_lazy("Instansi pelaksana"), coerce=int)
    location = OpenChoiceField(label=gettext_lazy("Lokasi (kecamatan atau desa/kelurahan)"), required=False)
    indicators = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Indikator yang didukung"), coerce=int, required=False
    )
    rad = OpenChoiceField(label=gettext_lazy("Kegiatan RAD KLA yang direalisasikan"), required=False)
    budget_used = forms.CharField(
        label=gettext_lazy("Anggaran terpakai (Rp)"),
        required=False,
        help_text=gettext_lazy("Contoh: 1.250.000.000 atau 1.250.000,50."),
    )
    description = forms.CharField(label="Uraian", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        agencies: list[Agency],
        indicators: list[Indicator],
        locations: list[Region],
        rad: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in rules.COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(label=gettext(rules.COUNT_LABELS[name]), required=False, initial=0)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]  # type: ignore[attr-defined]
        places = [(r.code, f"{r.name} ({r.level_label})") for r in locations]
        self.fields["location"].choices = [("", gettext("— tidak diisi —")), *places]  # type: ignore[attr-defined]
        self.fields["indicators"].choices = [(i.pk, str(i)) for i in indicators]  # type: ignore[attr-defined]
        self.fields["rad"].choices = [("", gettext("— tidak ditautkan —")), *rad]  # type: ignore[attr-defined]

    def to_input(self) -> ActivityInput:
        data = self.cleaned_data
        plan_id, key = None, None
        if data.get("rad"):
            plan, _sep, key = str(data["rad"]).partition(":")
            plan_id = int(plan) if plan.isdigit() else None
        return ActivityInput(
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            agency_id=data["agency"],
            location_code=data.get("location") or "",
            indicator_ids=data.get("indicators") or [],
            plan_id=plan_id,
            rad_activity_key=key,
            counts={name: data.get(name) for name in rules.COUNT_FIELDS},
            budget_used=data.get("budget_used") or None,
            description=data.get("description") or "",
        )

    def show(self, exc: ValidationError) -> None:
        """The service's refusals beside their fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.message_dict.items():
            target = FIELD_OF.get(name, name)
            self.add_error(target if target in self.fields else None, errors)


def initial_of(activity: Activity) -> dict[str, Any]:
    rad = f"{activity.plan_id}:{activity.rad_activity_key}" if activity.plan_id and activity.rad_activity_key else ""
    budget = "" if activity.budget_used is None else format_rupiah(activity.budget_used, lang=typed_numbers.style())
    return {
        "title": activity.title,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "agency": activity.agency_id,
        "location": activity.location_id or "",
        "indicators": [i.pk for i in activity.indicators.all()],
        "rad": rad,
        "budget_used": budget,
        "description": activity.description,
        **activity.counts(),
    }


class FileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Foto atau dokumen"))
