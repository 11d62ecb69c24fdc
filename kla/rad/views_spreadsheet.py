"""The RAD KLA spreadsheet pages: download the plan or realisation template, upload it (all or nothing, every bad
row named with its column). Thin: the gates of `kla.rad.access`, the work in `kla.rad.spreadsheet*`.

Kept apart from `kla/rad/views/` for now (its own URLs, `kla/rad/urls_spreadsheet.py`); to be merged with them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kla.core.http import AuthedRequest
from kla.rad import access, spreadsheet, spreadsheet_import
from kla.rad.models import Plan, Version

KINDS = {"rencana": _("rencana"), "realisasi": _("realisasi")}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas templat yang sudah diisi (.xlsx)"))


class PlanUploadForm(UploadForm):
    replace = forms.BooleanField(
        label=_("Ganti isi draf"),
        required=False,
        help_text=_(
            "Centang bila draf sudah berisi program: seluruh program, kegiatan, keluaran, target, dan anggaran draf "
            "diganti dengan isi lembar kerja. Kegiatan dengan nama dan letak yang sama tetap terhubung dengan "
            "realisasinya. Versi yang sudah ditetapkan tidak berubah."
        ),
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheet.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _realiser_plan(request: AuthedRequest, pk: int) -> Plan:
    """A plan the user reads and whose realisation they record for some activity (403 otherwise)."""
    plan = access.get_plan_for_user(request.user, pk)
    own = access.realise_agency_ids(request.user, plan.region_id)
    if own is not None and not own:
        raise PermissionDenied(access.REALISE_REFUSED)
    return plan


@require_GET
@login_required
def plan_template(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    return _xlsx(spreadsheet.plan_template(plan), f"templat-rad-kla-{plan.region_id}-{plan.start_year}.xlsx")


@require_GET
@login_required
def realisation_template(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _realiser_plan(request, pk)
    try:
        content = spreadsheet_import.realisation_template(plan, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rad_spreadsheet:realisation_import", pk=plan.pk)
    return _xlsx(content, f"templat-realisasi-rad-kla-{plan.region_id}-{plan.start_year}.xlsx")


def _draft_size(plan: Plan) -> int | None:
    """How many programmes and activities the plan's draft holds (None: no draft)."""
    draft = Version.objects.filter(plan=plan, status=Version.Status.DRAFT).first()
    return None if draft is None else draft.nodes.count()


def _page(request: AuthedRequest, plan: Plan, kind: str) -> HttpResponse:
    form_class = PlanUploadForm if kind == "rencana" else UploadForm
    form = form_class(request.POST, request.FILES) if request.method == "POST" else form_class()
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if kind == "rencana":
                replace = bool(form.cleaned_data.get("replace"))
                count = spreadsheet.import_plan(plan=plan, upload=upload, by=request.user, replace=replace)
                done = gettext("%(count)s baris rencana diimpor ke draf %(plan)s.") % {"count": count, "plan": plan}
            else:
                count = spreadsheet_import.import_realisation(plan=plan, upload=upload, by=request.user)
                done = gettext("Realisasi %(count)s triwulan kegiatan dicatat.") % {"count": count}
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, done)
            return redirect(request.path)
    recap_regions = [plan.region] + ([plan.region.parent] if plan.region.parent is not None else [])
    context = {
        "plan": plan,
        "kind": kind,
        "kind_label": KINDS[kind],
        "form": form,
        "problems": problems,
        "recap_regions": [r for r in recap_regions if access.can_view(request.user, r.code)],
        "draft_size": _draft_size(plan) if kind == "rencana" else None,
    }
    failed = bool(problems) or bool(form.errors)
    return render(request, "rad/spreadsheet.html", context, status=422 if failed else 200)


@require_http_methods(["GET", "POST"])
@login_required
def plan_import(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, access.get_plan_for_user(request.user, pk, write=True), "rencana")


@require_http_methods(["GET", "POST"])
@login_required
def realisation_import(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _realiser_plan(request, pk), "realisasi")
