"""The export page: ask for a report (a table of a cycle, or a RAD KLA recap of a region), watch its progress,
download it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.core import audit
from kla.core.http import AuthedRequest, error_text
from kla.evaluations import access
from kla.evaluations.models import Entry, Evaluation
from kla.reports import forms, selectors, services
from kla.reports.downloads import file_response
from kla.reports.exporters import EXPORTERS
from kla.reports.rad_recaps import RECAPS


def _queue(request: AuthedRequest, chosen: dict[str, str]) -> None:
    """The table of a cycle, or a RAD KLA recap of a region (the same form, the kind decides)."""
    if forms.is_recap(chosen["kind"]):
        forms.request_recap_from_form(
            user=request.user, kind=chosen["kind"], region_code=chosen["region"], fmt=chosen["format"]
        )
    else:
        services.request_export(
            user=request.user, kind=chosen["kind"], cycle_code=chosen["cycle"], fmt=chosen["format"]
        )


@require_http_methods(["GET", "POST"])
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    access.require_any_role(request.user)
    cycles = selectors.exportable_cycles()
    regions = forms.recap_regions(request.user)
    chosen = {
        "kind": "rekap-evaluasi" if cycles else next(iter(RECAPS), ""),
        "cycle": cycles[0].code if cycles else "",
        "region": regions[0].code if regions else "",
        "format": "xlsx",
    }
    status = 200
    if request.method == "POST":
        chosen = {k: request.POST.get(k, "") for k in chosen}
        try:
            _queue(request, chosen)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            status = 422
        else:
            messages.success(
                request, gettext("Laporan sedang dibuat. Kemajuannya tampil di bawah; unduh setelah siap.")
            )
            return redirect("reports:index")
    exports = selectors.my_exports(request.user)
    return render(
        request,
        "reports/index.html",
        {
            "exporters": EXPORTERS.values(),
            "recaps": RECAPS.values() if regions else [],
            "cycles": cycles,
            "recap_regions": regions,
            "formats": [(f.value, f.label) for f in services.TABLE_FORMATS],
            "chosen": chosen,
            "exports": exports,
            "polling": any(e.unfinished for e in exports),
        },
        status=status,
    )


@require_POST
@login_required
def score_sheet_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the score sheet of an evaluation as PDF (from the score sheet page); the Laporan page shows it."""
    evaluation = access.get_evaluation_for_user(request.user, pk)
    try:
        services.request_score_sheet(user=request.user, evaluation=evaluation)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("results:score_sheet", cycle_code=evaluation.cycle.code, pk=evaluation.pk)
    messages.success(request, gettext("Lembar nilai (PDF) sedang dibuat. Unduh dari daftar di bawah setelah siap."))
    return redirect("reports:index")


@require_POST
@login_required
def evaluation_evidence_pack(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the evidence pack of a whole evaluation (from the evaluation and verification pages)."""
    evaluation = access.get_evaluation_for_user(request.user, pk)
    return _queue_pack(request, evaluation, None)


@require_POST
@login_required
def entry_evidence_pack(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the evidence pack of one indicator of an evaluation (from the indicator pages)."""
    entry = access.get_entry_for_user(request.user, pk)
    return _queue_pack(request, entry.evaluation, entry)


def _queue_pack(request: AuthedRequest, evaluation: Evaluation, entry: Entry | None) -> HttpResponse:
    try:
        services.request_evidence_pack(user=request.user, evaluation=evaluation, entry=entry)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        back = request.POST.get("back", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(back)  # the page the button was on, with the message
        return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    messages.success(request, gettext("Paket bukti dukung sedang dikemas. Unduh dari daftar di bawah setelah siap."))
    return redirect("reports:index")


@require_GET
@login_required
def download(request: AuthedRequest, pk: int) -> FileResponse:
    return file_response(
        request.user,
        pk,
        ip=audit.client_ip(request),
        not_ready=gettext("Laporan ini belum siap diunduh; lihat kemajuannya di halaman Laporan."),
    )
