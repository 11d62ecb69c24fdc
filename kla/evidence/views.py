"""Evidence upload, download (permission-checked, as an attachment), delete and restore."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.timezone import localdate
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.core import audit
from kla.core.errors import storage_unavailable
from kla.core.http import AuthedRequest, error_text, form_errors_text
from kla.core.storage import RETRY_AFTER_SECONDS, Unavailable
from kla.evaluations.access import get_entry_for_user
from kla.evaluations.models import Entry
from kla.evidence import linking, services
from kla.evidence.access import get_evidence_for_user
from kla.evidence.downloads import file_response
from kla.evidence.forms import EvidenceForm
from kla.evidence.models import Evidence
from kla.indicators.models import Question


def _evidence_block(
    request: AuthedRequest, entry: Entry, question: Question, *, status: int = 200, **extra: Any
) -> HttpResponse:
    files = list(Evidence.objects.filter(entry=entry, question=question).exclude(status=Evidence.Status.REPLACED))
    offered = linking.offered(
        region_code=entry.evaluation.region_id, questions=[question], files={question.pk: files}, on=localdate()
    )
    context = {
        "entry": entry,
        "question": question,
        "files": files,
        "offered": offered.get(question.pk, []),
        "can_edit": True,
        "policy_text": services.policy_text(),
        **extra,
    }
    response = render(request, "evidence/_evidence.html", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
@login_required
def evidence_upload(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk, write=True)
    question = Question.objects.filter(pk=question_pk, indicator_id=entry.indicator_id).first()
    if question is None:
        return HttpResponse(gettext("Pertanyaan tidak ditemukan pada indikator ini."), status=404)
    form = EvidenceForm(request.POST, request.FILES)
    back = reverse("evaluations:entry_detail", args=[entry.pk]) + f"#q-{question.pk}"
    error = ""
    result = None
    if form.is_valid():
        data = form.cleaned_data
        replaces = None
        if data.get("replaces"):
            replaces = get_evidence_for_user(request.user, data["replaces"], write=True)
            if replaces.entry_id != entry.pk or replaces.question_id != question.pk:
                replaces = None
        try:
            result = services.evidence_upload(
                entry=entry,
                question=question,
                upload=data["file"],
                evidence_type=data["evidence_type"],
                meta={
                    k: data.get(k)
                    for k in ("doc_number", "doc_date", "issuer", "period_start", "period_end", "description")
                },
                by=request.user,
                replaces=replaces,
            )
        except ValidationError as exc:
            error = error_text(exc)
        except Unavailable as problem:
            # Nothing was stored (no row, no file); 507 when the disk is full, 503 when it or the scanner is failing.
            if not request.htmx:
                return storage_unavailable(request, problem, back=back)
            response = _evidence_block(
                request, entry, question, status=problem.status, error=problem.message, posted=request.POST
            )
            response["KLA-Partial"] = "1"  # static/js/kla.js swaps it in although it is a 5xx
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
    else:
        error = form_errors_text(form)
    if not request.htmx:
        if error:
            messages.error(request, f"Berkas tidak disimpan: {error}")
        else:
            messages.success(request, gettext("Bukti dukung tersimpan."))
        return redirect(back)
    # a refused upload keeps what was typed (type, number, dates, description); the file must be chosen again
    posted = request.POST if error else None
    return _evidence_block(
        request, entry, question, status=422 if error else 200, error=error, result=result, posted=posted
    )


@require_POST
@login_required
def evidence_link(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    """Attach a file the region's records already hold (the task force's decree, a meeting's minutes) to a question:
    the same stored object, no second upload."""
    entry = get_entry_for_user(request.user, pk, write=True)
    question = Question.objects.filter(pk=question_pk, indicator_id=entry.indicator_id).first()
    if question is None:
        return HttpResponse(gettext("Pertanyaan tidak ditemukan pada indikator ini."), status=404)
    source_id = request.POST.get("source_id", "")
    error, linked = "", None
    try:
        if not source_id.isdigit():
            raise ValidationError(gettext("Pilih berkas yang akan dilampirkan."))
        linked = linking.evidence_link(
            entry=entry,
            question=question,
            source=request.POST.get("source", ""),
            source_id=int(source_id),
            by=request.user,
        )
    except ValidationError as exc:
        error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, f"Berkas tidak dilampirkan: {error}")
        else:
            messages.success(
                request,
                gettext("%(value)s dilampirkan sebagai bukti dukung.")
                % {"value": linked.original_name if linked else ""},
            )
        return redirect(reverse("evaluations:entry_detail", args=[entry.pk]) + f"#q-{question.pk}")
    return _evidence_block(request, entry, question, status=422 if error else 200, error=error, linked=linked)


@require_GET
@login_required
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    """The stored file, as an attachment except photos and PDFs viewed inline; every download is audited."""
    return file_response(request.user, pk, ip=audit.client_ip(request), inline=request.GET.get("inline") == "1")


def _change(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, pk, write=True)
    try:
        if action == "delete":
            services.evidence_delete(evidence=evidence, by=request.user)
        elif action == "restore":
            services.evidence_restore(evidence=evidence, by=request.user)
        else:
            services.evidence_confirm(evidence=evidence, decision=request.POST.get("decision", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    if request.htmx:
        return _evidence_block(request, evidence.entry, evidence.question)
    return redirect(reverse("evaluations:entry_detail", args=[evidence.entry_id]) + f"#q-{evidence.question_id}")


@require_POST
@login_required
def evidence_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """Re-confirm a file carried from the previous cycle: still valid, or withdrawn."""
    return _change(request, pk, "confirm")


@require_POST
@login_required
def evidence_carry_forward(request: AuthedRequest, pk: int) -> HttpResponse:
    """Bring last cycle's evidence into this evaluation (secretariat), for the agencies to re-confirm."""
    from kla.accounts.roles import Action
    from kla.evaluations.access import get_evaluation_for_user

    evaluation = get_evaluation_for_user(request.user, pk, action=Action.EVALUATION_ASSIGN)
    try:
        n = services.evidence_carry_forward(evaluation=evaluation, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            gettext(
                "%(n)s bukti dukung dari siklus sebelumnya dibawa; setiap instansi perlu mengonfirmasinya "
                "(masih berlaku, diganti, atau ditarik)."
            )
            % {"n": n},
        )
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


@require_POST
@login_required
def evidence_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "delete")


@require_POST
@login_required
def evidence_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "restore")
