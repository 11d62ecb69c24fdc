"""Forms of the field-verification pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from kla.evaluations.models import Entry, Evaluation
from kla.fieldvisits.checklists import SITE_KIND_LABELS
from kla.fieldvisits.models import FieldPlan
from kla.fieldvisits.selectors import team_candidates


class PlanForm(forms.Form):
    visit_date = forms.DateField(
        label=gettext_lazy("Tanggal kunjungan"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mode = forms.ChoiceField(label=gettext_lazy("Cara verifikasi"), choices=FieldPlan.Mode.choices)
    team = forms.ModelMultipleChoiceField(
        label="Tim verifikator lapangan",
        queryset=team_candidates(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    @classmethod
    def for_plan(cls, plan: FieldPlan | None, team_ids: list[int]) -> PlanForm:
        if plan is None:
            return cls(initial={"mode": FieldPlan.Mode.ON_SITE, "version": 0})
        return cls(
            initial={
                "visit_date": plan.visit_date,
                "mode": plan.mode,
                "team": team_ids,
                "notes": plan.notes,
                "version": plan.version,
            }
        )


class SiteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama lokasi"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis lokasi"), choices=[(k.value, v) for k, v in SITE_KIND_LABELS.items()]
    )
    entry = forms.ModelChoiceField(
        label=gettext_lazy("Indikator yang diperiksa"), queryset=Entry.objects.none(), required=False
    )

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Entry.objects.filter(evaluation=evaluation)


def checks_from_post(data: QueryDict) -> dict[int, bool]:
    """Which checklist items to set: one item (`item`, an htmx toggle) or every item shown on the form (`shown`)."""
    done = {int(v) for v in data.getlist("done") if v.isdigit()}
    item = data.get("item", "")
    if item.isdigit():
        return {int(item): int(item) in done}
    return {int(v): int(v) in done for v in data.getlist("shown") if v.isdigit()}


def bool_from_post(data: QueryDict, name: str) -> bool | None:
    """A checkbox sent with a hidden marker: True/False when the form carried it, None when it did not."""
    if f"{name}_present" not in data:
        return None
    return data.get(name) in ("1", "on", "true")
