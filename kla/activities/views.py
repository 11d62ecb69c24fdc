"""Pages of activities (kegiatan): the region's list, the form, an activity with its files, downloads (audited) and
the evidence picker of the entry page. Thin: gates in `access`, reads in `selectors`, writes in `services`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access as accounts_access
from kla.activities import access, rules, selectors, services
from kla.activities.forms import ActivityForm, FileForm, initial_of
from kla.activities.models import Activity
from kla.activities.table_rows import activity_rows
from kla.core import audit
from kla.core.errors import storage_unavailable
from kla.core.http import AuthedRequest, error_text
from kla.core.storage import Unavailable
from kla.evaluations.access import get_entry_for_user
from kla.evidence.downloads import stored_attachment
from kla.indicators.models import Question
from kla.rad.selectors import region_realisation_files
from kla.regions.levels import Level
from kla.regions.models import Region

GONE = gettext_lazy(
    "Berkas kegiatan ini tidak ada lagi di penyimpanan. Laporkan ke administrator, lalu unggah ulang salinannya."
)
PAGE = 25
REALISATION_FILES = 20  # the newest evidence files of RAD KLA realisation offered beside the activities' files


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Straight to the user's kab/kota; a province or the ministry chooses one of theirs."""
    held = accounts_access.memberships(request.user)
    own = [m.region_id for m in held if m.region_id and m.region_id.count(".") == 1]
    if own:
        return redirect("activities:region", code=own[0])
    provinces = [m.region_id for m in held if m.region_id]
    national = any(m.region_id is None for m in held)
    if not held:
        raise Http404(access.NOT_FOUND)
    regions = Region.objects.filter(level=Level.KABKOTA.value)
    if not national:
        regions = regions.filter(parent_id__in=provinces)
    return render(request, "activities/index.html", {"regions": regions.order_by("code")})


def _filters(request: AuthedRequest) -> selectors.Filters:
    g = request.GET
    return selectors.Filters(
        agency_id=_int(g.get("instansi", "")),
        indicator_id=_int(g.get("indikator", "")),
        date_from=_date(g.get("dari", "")),
        date_to=_date(g.get("sampai", "")),
        search=g.get("q", "").strip()[:100],
    )


@require_GET
@login_required
def region(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code)
    listed = selectors.activities(area, _filters(request), indicators=False)
    page = Paginator(listed, PAGE).get_page(request.GET.get("halaman"))
    shown = list(page.object_list)
    context = {
        "region": area,
        "page": page,
        # the rows built once in Python (table_rows.py), the indicators' numbers as plain rows
        "body": activity_rows(shown, selectors.indicator_numbers([a.pk for a in shown])),
        # the filters' options in one call each ({% options %}: no template loop per option), from plain rows
        "agency_options": selectors.agency_options(area),
        "indicator_options": selectors.indicator_options(),
        "asked": request.GET,
        "can_record": access.can_record(request.user, area.code),
    }
    response = render(request, "activities/region.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _form(area: Region, data: Any = None, initial: dict[str, Any] | None = None) -> ActivityForm:
    return ActivityForm(
        data,
        initial=initial,
        agencies=selectors.agency_choices(area),
        indicators=selectors.indicator_choices(),
        locations=selectors.location_choices(area),
        rad=selectors.rad_choices(area),
    )


def _save(request: AuthedRequest, form: ActivityForm, write: Any) -> Activity | None:
    if not form.is_valid():
        return None
    try:
        saved: Activity = write(form.to_input())
    except ValidationError as exc:
        form.show(exc)
        return None
    return saved


@require_http_methods(["GET", "POST"])
@login_required
def create(request: AuthedRequest, code: str) -> HttpResponse:
    area = access.get_region_for_user(request.user, code, write=True)
    form = _form(area, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = _save(request, form, lambda data: services.activity_create(region=area, data=data, by=request.user))
        if saved is not None:
            messages.success(request, gettext("Kegiatan tersimpan. Tambahkan foto dan dokumennya di bawah."))
            return redirect("activities:detail", pk=saved.pk)
    status = 422 if form.is_bound else 200
    return render(request, "activities/form.html", {"region": area, "form": form, "activity": None}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk, write=True)
    area = activity.region
    data = request.POST if request.method == "POST" else None
    form = _form(area, data, initial=None if data else initial_of(activity))
    if request.method == "POST":
        saved = _save(request, form, lambda d: services.activity_update(activity=activity, data=d, by=request.user))
        if saved is not None:
            messages.success(request, gettext("Perubahan kegiatan tersimpan."))
            return redirect("activities:detail", pk=saved.pk)
    status = 422 if form.is_bound else 200
    context = {"region": area, "form": form, "activity": activity}
    return render(request, "activities/form.html", context, status=status)


@require_GET
@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk)
    context = {
        "activity": activity,
        "region": activity.region,
        "files": selectors.files_of(activity),
        "indicators": selectors.indicators_of(activity),
        "rad_name": selectors.rad_activity_name(activity),
        "reached": rules.reached(activity.counts()),
        "counts": [(gettext(rules.COUNT_LABELS[n]), v) for n, v in activity.counts().items()],
        "can_record": access.can_record(request.user, activity.region_id, activity.agency_id),
        "file_form": FileForm(),
    }
    return render(request, "activities/detail.html", context)


@require_POST
@login_required
def file_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, pk, write=True)
    back = reverse("activities:detail", args=[activity.pk])
    try:
        added = services.file_add(activity=activity, upload=request.FILES.get("file"), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"Berkas tidak disimpan: {error_text(exc)}")
    except Unavailable as problem:
        return storage_unavailable(request, problem, back=back)
    else:
        messages.success(request, gettext("%(name)s tersimpan.") % {"name": added.name})
    return redirect(back)


@require_POST
@login_required
def file_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_file_for_user(request.user, pk, write=True)
    try:
        services.file_remove(file=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, f"Berkas tidak dihapus: {error_text(exc)}")
    else:
        messages.success(request, gettext("%(name)s dihapus dari kegiatan ini.") % {"name": found.name})
    return redirect("activities:detail", pk=found.activity_id)


@require_GET
@login_required
def file_download(request: AuthedRequest, pk: int) -> FileResponse:
    """A photo or document of an activity, as an attachment that cannot run; every download is audited (a file gone
    from storage is a 404 that says so, and is not audited as taken)."""
    found = access.get_file_for_user(request.user, pk)
    return stored_attachment(
        found, by=request.user, action="kla.activity.file.downloaded", gone=str(GONE), ip=audit.client_ip(request)
    )


@require_GET
@login_required
def pick(request: AuthedRequest, entry_pk: int, question_pk: int) -> HttpResponse:
    """The region's activity files for one question of an entry (htmx partial, or a page without htmx), and the
    newest evidence files of its RAD KLA realisation, each with a form that attaches it by reference
    (`evidence:link`, sources ``activities`` and ``rad_realisation``)."""
    entry = get_entry_for_user(request.user, entry_pk, write=True)
    question = Question.objects.filter(Q(pk=question_pk) & Q(indicator_id=entry.indicator_id)).first()
    if question is None:
        raise Http404(gettext("Pertanyaan tidak ditemukan pada indikator ini."))
    area = entry.evaluation.region
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.region_files(area, search), 10).get_page(request.GET.get("halaman"))
    realised = list(region_realisation_files(area, search)[:REALISATION_FILES])
    context = {"entry": entry, "question": question, "page": page, "q": search, "region": area, "realised": realised}
    template = "activities/_pick.html" if request.htmx else "activities/pick.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
