"""The province's overview of its kab/kota with its proposal to the ministry, the letter's wording and the letter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access as account_access
from kla.accounts.roles import Role
from kla.core import audit
from kla.core.http import AuthedRequest, error_text
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.services import deadline_of
from kla.evaluations.stages import Stage
from kla.results import provila
from kla.results.selectors.portal import province_kabkota
from kla.results.selectors.scores import stage_columns, visible_scores
from kla.verification import province_reads, review_counts, selectors
from kla.verification.access import get_letter_for_reviewer, get_province_for_reviewer
from kla.verification.letter_text import PLACEHOLDERS
from kla.verification.models import ProposalLetter
from kla.verification.province_rows import province_rows
from kla.verification.services import proposal


def _cycle(code: str) -> Cycle:
    cycle = province_reads.cycle(code)
    if cycle is None:
        raise Http404(gettext("Siklus evaluasi tidak ditemukan."))
    return cycle


@require_GET
@login_required
def province(request: AuthedRequest, cycle_code: str, code: str) -> HttpResponse:
    region = get_province_for_reviewer(request.user, code)
    cycle = _cycle(cycle_code)
    evaluations = province_reads.evaluations(cycle, region.code)
    bands = review_counts.bands_of(cycle.framework)
    visible = visible_scores(request.user, evaluations, breakdowns=False, bands={cycle.framework_id: bands})
    progress = selectors.review_progress(evaluations)
    rule = provila.ProvinceRule.from_json(cycle.framework.province_rule)
    kabkota = province_kabkota([region.code]).get(region.code, []) if rule is not None else []
    status, basis = selectors.provila_estimate(rule, visible, bands, kabkota)
    columns = stage_columns(visible)
    rows = [(v, progress[v.evaluation.pk], [v.get(s) for s, _ in columns]) for v in visible]
    can_propose = Role.PROVINCE_REVIEWER in account_access.roles_over(request.user, code)
    return render(
        request,
        "verification/province.html",
        {
            "region": region,
            "cycle": cycle,
            "rows": rows,
            "rows_html": province_rows(rows, cycle.framework.gate_min_exclusive, can_propose),
            "columns": columns,
            "provila": status,
            "rule": rule,
            "rule_description_en": (cycle.framework.province_rule or {}).get("description_en") or "",
            "basis": basis,
            "can_propose": can_propose,
            "letters": selectors.letters_for(cycle.pk, code),
            "wording": selectors.letter_defaults(region),
            "deadline": deadline_of(cycle, Stage.PROVINCE_REVIEW),
            "placeholders": PLACEHOLDERS,
        },
    )


@require_POST
@login_required
def propose(request: AuthedRequest, cycle_code: str, code: str) -> HttpResponse:
    region = get_province_for_reviewer(request.user, code)
    cycle = _cycle(cycle_code)
    ids = [int(v) for v in request.POST.getlist("evaluations") if v.isdigit()]
    try:
        letter = proposal.propose(
            cycle=cycle,
            province=region,
            evaluations=Evaluation.objects.filter(pk__in=ids),
            number=request.POST.get("number", ""),
            by=request.user,
        )
        messages.success(
            request, f"{len(letter.context['rows'])} kabupaten/kota diusulkan. Surat usulan sedang dibuat."
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("verification:province", cycle_code=cycle_code, code=code)


@require_http_methods(["GET", "POST"])
@login_required
def letter_template(request: AuthedRequest, cycle_code: str, code: str) -> HttpResponse:
    region = get_province_for_reviewer(request.user, code)
    _cycle(cycle_code)
    wording = selectors.letter_defaults(region)
    if request.method == "POST":
        wording = {k: request.POST.get(k, "") for k in ("body", "city", "signer", "title")}
        try:
            proposal.letter_template_save(province=region, by=request.user, **wording)
            messages.success(request, gettext("Templat surat usulan disimpan."))
            return redirect("verification:province", cycle_code=cycle_code, code=code)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return render(
        request,
        "verification/letter_template.html",
        {"region": region, "cycle_code": cycle_code, "wording": wording, "placeholders": PLACEHOLDERS},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def letter(request: AuthedRequest, pk: int) -> HttpResponseBase:
    found = get_letter_for_reviewer(request.user, pk)
    if found.status != ProposalLetter.Status.READY:
        return render(request, "verification/letter_status.html", {"letter": found})
    if request.htmx:  # the status page polls; once ready, the browser navigates here to download
        redirect_to = HttpResponse(status=204)
        redirect_to["HX-Redirect"] = request.path
        return redirect_to
    audit.record(action="kla.proposal.downloaded", by=request.user, obj=found, region_code=found.province_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"surat-usulan-{found.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
