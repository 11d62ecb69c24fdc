"""The agency registry pages: a region's list (active and deactivated), add, edit, deactivate, import.

Thin: the gates are `kla.accounts.agency_access`, the writes `kla.agencies.services`, the reads `selectors`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access
from kla.accounts.agency_access import can_manage_agencies, get_agency_for_user, get_region_for_agencies
from kla.accounts.roles import Action
from kla.agencies import handover, selectors, services, spreadsheet
from kla.agencies.forms import AgencyForm, DeactivateForm, ImportForm
from kla.agencies.rows_html import active_rows
from kla.core.http import AuthedRequest, error_text
from kla.regions.levels import Level
from kla.regions.models import Region


def _posted(request: AuthedRequest) -> tuple[QueryDict | None, MultiValueDict[str, UploadedFile[bytes]] | None]:
    """The form data of a POST (even an empty one, so it is validated), None on a GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _form_errors(form: AgencyForm | DeactivateForm | ImportForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _list_context(request: AuthedRequest, region: Region, form: AgencyForm | None = None) -> dict[str, object]:
    can_manage = can_manage_agencies(request.user, region.code)
    agencies = selectors.agencies_of(region)
    active = [a for a in agencies if a.is_active]
    return {
        "region": region,
        "active": active,
        "active_rows": active_rows(active, can_manage=can_manage),
        "inactive": [a for a in agencies if not a.is_active],
        "can_manage": can_manage,
        "form": form or (AgencyForm(region=region) if can_manage else None),
    }


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Where a user lands from the menu: straight to the single region they work for, or the regions in scope."""
    scope = access.region_scope_q(request.user, Action.AGENCY_VIEW, "code")
    regions = Region.objects.filter(level__in=[Level.PROVINSI, Level.KABKOTA]).order_by("code")
    q = request.GET.get("q", "").strip()[:60]
    if scope is not None:
        regions = regions.filter(scope)
    if q:
        regions = regions.filter(name__icontains=q) | regions.filter(code__startswith=q)
    shown = list(regions[:60]) if scope is not None or len(q) >= 3 else []
    if scope is not None and not q and len(shown) == 1:
        return redirect("agencies:region", code=shown[0].code)
    return render(request, "agencies/index.html", {"regions": shown, "q": q, "nationwide": scope is None})


@require_GET
@login_required
def region_agencies(request: AuthedRequest, code: str) -> HttpResponse:
    region = get_region_for_agencies(request.user, code)
    return render(request, "agencies/region.html", _list_context(request, region))


@require_POST
@login_required
def agency_add(request: AuthedRequest, code: str) -> HttpResponse:
    region = get_region_for_agencies(request.user, code, manage=True)
    form = AgencyForm(request.POST, region=region)
    if form.is_valid():
        try:
            agency = services.agency_create(region=region, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{agency.name} ditambahkan.")
            if not request.htmx:
                return redirect("agencies:region", code=region.code)
            form = AgencyForm(region=region)
    template = "agencies/region.html#registry" if request.htmx else "agencies/region.html"
    return render(request, template, _list_context(request, region, form), status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def agency_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, manage=True)
    initial = {"kind": agency.kind, "name": agency.name, "short_name": agency.short_name}
    form = AgencyForm(_posted(request)[0], region=agency.region, current_kind=agency.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(agency=agency, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, gettext("Perubahan instansi disimpan."))
            return redirect("agencies:region", code=agency.region_id)
    return render(request, "agencies/edit.html", {"agency": agency, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def agency_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, manage=True)
    form = DeactivateForm(_posted(request)[0], agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_deactivate(agency=agency, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, gettext("%(name)s dinonaktifkan; riwayatnya tetap tersimpan.") % {"name": agency.name}
            )
            return redirect("agencies:region", code=agency.region_id)
    work = handover.open_work(agency) if agency.is_active else {}
    context = {"agency": agency, "form": form, "work": handover.describe(work)}
    return render(request, "agencies/deactivate.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def agency_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, manage=True)
    try:
        services.agency_reactivate(agency=agency, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"{agency.name} diaktifkan kembali.")
    return redirect("agencies:region", code=agency.region_id)


@require_http_methods(["GET", "POST"])
@login_required
def agencies_import(request: AuthedRequest, code: str) -> HttpResponse:
    region = get_region_for_agencies(request.user, code, manage=True)
    form = ImportForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheet.read_rows(form.cleaned_data["file"])
            created = services.agencies_import(region=region, rows=rows, by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request,
                gettext("%(count)s instansi diimpor ke %(name)s.") % {"count": len(created), "name": region.name},
            )
            return redirect("agencies:region", code=region.code)
    return render(request, "agencies/import.html", {"region": region, "form": form}, status=422 if form.errors else 200)


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def import_template(request: AuthedRequest) -> HttpResponse:
    return _csv(spreadsheet.template_csv(), "templat-instansi.csv")


@require_GET
@login_required
def kinds_list(request: AuthedRequest) -> HttpResponse:
    return _csv(spreadsheet.kinds_csv(), "jenis-instansi.csv")
