"""Forms of the task-force pages: they parse; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy

from kla.agencies.models import Agency
from kla.agencies.selectors import agencies_available_to, agency_choices_available_to
from kla.regions.models import Region
from kla.taskforce.rules import ROLE_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _agencies(form: forms.BaseForm, name: str, region: Region) -> None:
    """The field `name` picks among the agencies available to the region's task force. A bound form validates
    against their queryset; an unbound one (only shown) lists them from plain rows: id and short name, what the
    field's own iterator would print, without building the queryset and an agency per option."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    if form.is_bound:
        field.queryset = agencies_available_to(region)
    else:
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        field.choices = [*empty, *agency_choices_available_to(region)]


def _date(label: StrOrPromise, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class DecreeForm(forms.Form):
    number = forms.CharField(label="Nomor SK", max_length=120)
    date = _date(gettext_lazy("Tanggal SK"))
    signer = forms.CharField(label="Penanda tangan", max_length=200)
    valid_from = _date("Berlaku mulai")
    valid_until = _date(gettext_lazy("Berlaku sampai (kosongkan bila tidak dibatasi)"), required=False)
    file = forms.FileField(label=gettext_lazy("Berkas SK (PDF)"), required=False)


class MemberForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("Instansi"), queryset=Agency.objects.none())
    person_name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    position = forms.CharField(label="Jabatan", max_length=200)
    role = forms.ChoiceField(
        label=gettext_lazy("Peran dalam Gugus Tugas"), choices=[(r.value, lb) for r, lb in ROLE_LABELS.items()]
    )
    duties = forms.CharField(
        label=gettext_lazy("Tugas klaster"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    start = _date("Mulai")
    end = _date("Selesai (kosongkan bila masih menjabat)", required=False)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agencies(self, "agency", region)


class MemberEndForm(forms.Form):
    end = _date(gettext_lazy("Tanggal selesai"))


class MeetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul rapat"), max_length=200)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Tanggal dan waktu"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=gettext_lazy("Tempat"), max_length=200, required=False)
    online_link = forms.URLField(
        label=gettext_lazy("Tautan rapat daring"), max_length=500, required=False, assume_scheme="https"
    )
    chair = forms.CharField(label=gettext_lazy("Pimpinan rapat"), max_length=200, required=False)
    agenda = forms.CharField(label="Agenda", required=False, max_length=5000, widget=forms.Textarea({"rows": 3}))
    invited = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Instansi yang diundang"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agencies(self, "invited", region)


class HoldForm(forms.Form):
    minutes = forms.CharField(label="Notulen", required=False, max_length=20000, widget=forms.Textarea({"rows": 6}))
    decisions = forms.CharField(label="Keputusan", required=False, max_length=10000, widget=forms.Textarea({"rows": 4}))


def attendance_from_post(data: Any) -> dict[int, str]:
    """The ticked agencies (``present``) with who came for each (``attendees_<id>``); ids that are not numbers are
    kept as an impossible id, so the service refuses them instead of silently dropping them."""
    out: dict[int, str] = {}
    for raw in data.getlist("present"):
        pk = int(raw) if str(raw).isdigit() else -1
        out[pk] = str(data.get(f"attendees_{raw}", ""))[:300]
    return out


class FollowUpForm(forms.Form):
    owner = forms.ModelChoiceField(label=gettext_lazy("Instansi penanggung jawab"), queryset=Agency.objects.none())
    description = forms.CharField(label="Tindak lanjut", max_length=2000, widget=forms.Textarea({"rows": 2}))
    due_date = _date(gettext_lazy("Batas waktu"))

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agencies(self, "owner", region)


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan penyelesaian"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    file = forms.FileField(label=gettext_lazy("Bukti (opsional)"), required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas notulen"))
