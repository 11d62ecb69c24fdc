"""Pages of field verification: the list, a visit plan, a site (used on a phone in the field), photo download, and
the VL points page with "finish field verification"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.core import audit
from kla.core.errors import storage_unavailable
from kla.core.formatting import format_number
from kla.core.http import AuthedRequest, error_text, form_errors_text
from kla.core.storage import RETRY_AFTER_SECONDS, Unavailable
from kla.core.wording import say
from kla.evaluations.models import Evaluation
from kla.fieldvisits import access, checklists, selectors, services
from kla.fieldvisits.forms import PlanForm, SiteForm, bool_from_post, checks_from_post
from kla.fieldvisits.models import FieldPlan, FieldSite
from kla.verification.services.verdicts import field_points_record


def _editable(request: AuthedRequest, evaluation: Evaluation) -> bool:
    """Whether to show forms: the user is a field verifier and the evaluation is in field verification."""
    return (
        access.can_write(request.user, evaluation.region_id)
        and evaluation.status == Evaluation.Status.FIELD_VERIFICATION
    )


def _htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- list and plan -------------------------------------------------------------------------------------------------


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    access.require_any_national(request.user)
    return render(request, "fieldvisits/index.html", {"evaluations": selectors.evaluations_in_field(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def plan(request: AuthedRequest, evaluation_pk: int) -> HttpResponse:
    """The visit plan (date, mode, team, notes), its sites and the suggested sites; POST saves the plan."""
    evaluation = access.get_field_evaluation_for_user(request.user, evaluation_pk, write=request.method == "POST")
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.plan_save(
                    evaluation=evaluation,
                    visit_date=data["visit_date"],
                    mode=data["mode"],
                    team=data["team"],
                    notes=data["notes"],
                    expected_version=data["version"],
                    by=request.user,
                )
            except services.PlanConflict as conflict:
                # Keep what was typed, but on the stored version: saving again is a deliberate overwrite.
                posted = request.POST.copy()
                posted["version"] = str(conflict.stored.version if conflict.stored is not None else 0)
                form = PlanForm(posted)
                form.is_valid()
                form.add_error(None, error_text(conflict))
                status = 409
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
                status = 422
            else:
                messages.success(
                    request,
                    gettext("Rencana verifikasi lapangan tersimpan (versi %(version)s).") % {"version": saved.version},
                )
                return redirect("fieldvisits:plan", evaluation_pk=evaluation.pk)
        else:
            status = 422
    page = selectors.plan_page(evaluation)
    if request.method != "POST":
        form = PlanForm.for_plan(page.plan, [u.pk for u in page.team])
    return render(
        request,
        "fieldvisits/plan.html",
        {
            "evaluation": evaluation,
            "page": page,
            "form": form,
            "site_form": SiteForm(evaluation=evaluation),
            "can_edit": _editable(request, evaluation),
            "conflict": status == 409,
            "kinds": [(k.value, label) for k, label in checklists.SITE_KIND_LABELS.items()],
        },
        status=status,
    )


@require_POST
@login_required
def site_add(request: AuthedRequest, evaluation_pk: int) -> HttpResponse:
    evaluation = access.get_field_evaluation_for_user(request.user, evaluation_pk, write=True)
    back = reverse("fieldvisits:plan", args=[evaluation.pk])
    field_plan = FieldPlan.objects.filter(evaluation=evaluation).first()
    form = SiteForm(request.POST, evaluation=evaluation)
    if field_plan is None:
        messages.error(request, "Simpan rencana kunjungan (tanggal dan cara verifikasi) dulu, lalu tambahkan lokasi.")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "Lokasi belum ditambahkan: " + form_errors_text(form))
        return redirect(back + "#lokasi-baru")
    data = form.cleaned_data
    try:
        site = services.site_add(
            plan=field_plan, name=data["name"], kind=data["kind"], entry=data["entry"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, "Lokasi belum ditambahkan: " + error_text(exc))
        return redirect(back + "#lokasi-baru")
    messages.success(
        request,
        gettext("Lokasi %(name)s ditambahkan dengan daftar periksa bawaan %(get_kind_display)s.")
        % {"name": site.name, "get_kind_display": site.get_kind_display()},
    )
    return redirect("fieldvisits:site", pk=site.pk)


# --- a site (on the phone) -----------------------------------------------------------------------------------------


def _site_context(request: AuthedRequest, site: FieldSite, **extra: Any) -> dict[str, Any]:
    return {
        "site": site,
        "evaluation": site.plan.evaluation,
        "progress": checklists.progress(site.checklist),
        "photos": selectors.site_photos(site),
        "can_edit": _editable(request, site.plan.evaluation),
        "policy_text": say(services.image_policy().describe()),
        **extra,
    }


@require_GET
@login_required
def site(request: AuthedRequest, pk: int) -> HttpResponse:
    field_site = access.get_site_for_user(request.user, pk)
    return render(request, "fieldvisits/site_detail.html", _site_context(request, field_site))


@require_POST
@login_required
def site_checklist(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tick or untick one item (htmx, per checkbox) or save the whole list (without JavaScript)."""
    field_site = access.get_site_for_user(request.user, pk, write=True)
    error = ""
    try:
        field_site = services.site_update(
            site=field_site,
            checks=checks_from_post(request.POST),
            add_item=request.POST.get("add_item", "") if "item" not in request.POST else "",
            by=request.user,
        )
    except ValidationError as exc:
        error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, f"Ceklis belum tersimpan: {error}")
        else:
            messages.success(request, gettext("Ceklis tersimpan."))
        return redirect(reverse("fieldvisits:site", args=[field_site.pk]) + "#ceklis")
    context = {
        "site": field_site,
        "progress": checklists.progress(field_site.checklist),
        "can_edit": _editable(request, field_site.plan.evaluation),
        "checklist_error": error,
        "checklist_saved": not error,
    }
    return _htmx(render(request, "fieldvisits/site_detail.html#checklist", context, status=422 if error else 200))


@require_POST
@login_required
def site_notes(request: AuthedRequest, pk: int) -> HttpResponse:
    field_site = access.get_site_for_user(request.user, pk, write=True)
    try:
        services.site_update(
            site=field_site,
            notes=request.POST.get("notes"),
            visited=bool_from_post(request.POST, "visited"),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, f"Catatan belum tersimpan: {error_text(exc)}")
    else:
        messages.success(request, gettext("Catatan lokasi tersimpan."))
    return redirect(reverse("fieldvisits:site", args=[field_site.pk]) + "#catatan")


@require_POST
@login_required
def photo_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """A photo with the location the phone reported (hidden fields filled by fieldvisit.js; empty without it)."""
    field_site = access.get_site_for_user(request.user, pk, write=True)
    upload = request.FILES.get("file")
    error = ""
    photo = None
    try:
        photo = services.photo_add(
            site=field_site,
            upload=upload,
            latitude=request.POST.get("latitude"),
            longitude=request.POST.get("longitude"),
            accuracy_m=request.POST.get("accuracy_m"),
            caption=request.POST.get("caption", ""),
            by=request.user,
        )
    except ValidationError as exc:
        error = error_text(exc)
    except Unavailable as problem:
        # Nothing was stored (no row, no file); 507 when the disk is full, 503 when it or the scanner is failing.
        if not request.htmx:
            return storage_unavailable(request, problem, back=reverse("fieldvisits:site", args=[field_site.pk]))
        context = _site_context(request, field_site, photo_error=problem.message, photo_saved=None)
        response = _htmx(render(request, "fieldvisits/site_detail.html#photos", context, status=problem.status))
        response["KLA-Partial"] = "1"  # static/js/kla.js swaps it in although it is a 5xx
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if not request.htmx:
        if error:
            messages.error(request, f"Foto tidak disimpan: {error}")
        elif photo is not None:
            where = gettext("dengan lokasi") if photo.has_location else gettext("tanpa lokasi")
            messages.success(
                request,
                gettext("Foto tersimpan (%(where)s); metadata di dalam berkas foto dihapus.") % {"where": where},
            )
        return redirect(reverse("fieldvisits:site", args=[field_site.pk]) + "#foto")
    context = _site_context(request, field_site, photo_error=error, photo_saved=photo)
    return _htmx(render(request, "fieldvisits/site_detail.html#photos", context, status=422 if error else 200))


@require_GET
@login_required
def photo(request: AuthedRequest, pk: int) -> FileResponse:
    """The stored photo: as an attachment, or with `?inline=1` shown in the page (the thumbnails of the site page;
    the photo was re-encoded on upload and keeps the sandbox). Every download is audited."""
    field_photo = access.get_photo_for_user(request.user, pk)
    audit.record(
        action="kla.fieldphoto.downloaded",
        by=request.user,
        obj=field_photo,
        object_label=f"{field_photo.site.name} · {field_photo.site.plan.evaluation.region.name}",
        region_code=field_photo.site.plan.evaluation.region_id,
        ip=audit.client_ip(request),
    )
    response = FileResponse(
        field_photo.file.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=field_photo.download_name,
        content_type=field_photo.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def photo_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    field_photo = access.get_photo_for_user(request.user, pk, write=True)
    field_site = field_photo.site
    error = ""
    try:
        services.photo_delete(photo=field_photo, by=request.user)
    except ValidationError as exc:
        error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, f"Foto tidak dihapus: {error}")
        else:
            messages.success(request, gettext("Foto dihapus."))
        return redirect(reverse("fieldvisits:site", args=[field_site.pk]) + "#foto")
    context = _site_context(request, field_site, photo_error=error)
    return _htmx(render(request, "fieldvisits/site_detail.html#photos", context, status=422 if error else 200))


# --- VL points -----------------------------------------------------------------------------------------------------


@require_GET
@login_required
def points(request: AuthedRequest, evaluation_pk: int) -> HttpResponse:
    evaluation = access.get_field_evaluation_for_user(request.user, evaluation_pk)
    return render(
        request,
        "fieldvisits/points.html",
        {
            "evaluation": evaluation,
            "table": selectors.points_table(request.user, evaluation),
            "can_edit": _editable(request, evaluation),
            "has_plan": FieldPlan.objects.filter(evaluation=evaluation).exists(),
        },
    )


@require_POST
@login_required
def points_save(request: AuthedRequest, entry_pk: int) -> HttpResponse:
    """The VL points of one indicator with the mandatory reason (`field_points_record`)."""
    entry = access.get_field_entry_for_user(request.user, entry_pk, write=True)
    evaluation = entry.evaluation
    raw_points = request.POST.get("points", "")
    reason = request.POST.get("reason", "")
    error = ""
    try:
        field_points_record(entry=entry, points=raw_points, reason=reason, by=request.user)
    except ValidationError as exc:
        error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, f"Poin VL indikator {entry.indicator.number} belum tersimpan: {error}")
        else:
            messages.success(
                request, gettext("Poin VL indikator %(number)s tersimpan.") % {"number": entry.indicator.number}
            )
        return redirect(reverse("fieldvisits:points", args=[evaluation.pk]) + f"#vl-{entry.pk}")
    table = selectors.points_table(request.user, evaluation)
    row = next(r for r in table.rows if r.entry.pk == entry.pk)
    context = {
        "evaluation": evaluation,
        "table": table,
        "row": row,
        "can_edit": _editable(request, evaluation),
        "oob": True,
        "row_error": error,
        "row_saved": not error,
        "posted_points": raw_points if error else None,
        "posted_reason": reason if error else None,
    }
    return _htmx(render(request, "fieldvisits/points.html#row", context, status=422 if error else 200))


@require_POST
@login_required
def finish(request: AuthedRequest, evaluation_pk: int) -> HttpResponse:
    """Close field verification: the VL score is computed and the evaluation moves to final verification."""
    evaluation = access.get_field_evaluation_for_user(request.user, evaluation_pk, write=True)
    try:
        services.field_finish(evaluation=evaluation, by=request.user)
    except ValidationError as exc:
        messages.error(request, f"Verifikasi lapangan belum dapat diselesaikan: {error_text(exc)}")
    else:
        table = selectors.points_table(request.user, evaluation)
        messages.success(
            request,
            gettext("Verifikasi lapangan selesai dengan nilai VL %(vl_total)s; evaluasi lanjut ke verifikasi akhir.")
            % {"vl_total": format_number(table.vl_total, 2)},
        )
    return redirect("fieldvisits:points", evaluation_pk=evaluation.pk)
