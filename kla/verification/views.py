"""Pages of verification: the reviewer's queue, an evaluation's review, an entry's review screen, returns and
resubmissions, and the province's overview with its proposal to the ministry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access as account_access
from kla.accounts.roles import Action, Role
from kla.core import audit
from kla.core.http import AuthedRequest, error_text
from kla.evaluations.access import get_entry_for_user, get_entry_in_scope, get_evaluation_for_user
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.evaluations.selectors import EVALUATION_ROW_FIELDS
from kla.evaluations.services import deadline_of
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import STATE_LABELS, State, Step, available
from kla.evidence.selectors import duplicates_elsewhere
from kla.indicators.models import Question
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import provila
from kla.results.selectors import stage_columns, visible_scores
from kla.verification import selectors
from kla.verification.letter_text import PLACEHOLDERS
from kla.verification.models import ProposalLetter, Verdict
from kla.verification.review_stages import REVIEW_STAGE, reviewer_role
from kla.verification.services import proposal, returns, steps, verdicts


def _require_reviewer(user: Any, region_code: str) -> None:
    if not selectors.is_reviewer_of(user, region_code):
        raise PermissionDenied("Halaman verifikasi hanya untuk reviewer provinsi dan Kementerian.")


def _reviewer_evaluation(user: Any, pk: int) -> Evaluation:
    evaluation = get_evaluation_for_user(user, pk)
    _require_reviewer(user, evaluation.region_id)
    return evaluation


# --- queue ---------------------------------------------------------------------------------------------------------


@require_GET
@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    if not account_access.has_role(request.user, *selectors.REVIEWER_ROLES):
        raise PermissionDenied("Halaman verifikasi hanya untuk reviewer provinsi dan Kementerian.")
    mine = selectors.my_states(request.user)
    wanted = request.GET.get("tahap", "")
    qs = selectors.reviewable(request.user)
    if wanted in {s.value for s in State}:
        qs = qs.filter(status=wanted)
    elif mine:
        qs = qs.filter(status__in=mine)
    page = Paginator(qs, 50).get_page(request.GET.get("halaman"))
    evaluations = list(page.object_list)
    progress = selectors.review_progress(evaluations)
    provinces = sorted(
        {
            m.region_id
            for m in account_access.memberships(request.user)
            if m.role == Role.PROVINCE_REVIEWER and m.region_id
        }
    )
    return render(
        request,
        "verification/queue.html",
        {
            "page": page,
            "rows": [(e, progress[e.pk]) for e in evaluations],
            "states": [(s.value, STATE_LABELS[s]) for s in State if s != State.DRAFT],
            "wanted": wanted,
            "mine": [STATE_LABELS[s] for s in mine],
            "provinces": provinces,
            "cycles": Cycle.objects.exclude(status=Cycle.Status.DRAFT),
        },
    )


# --- one evaluation ------------------------------------------------------------------------------------------------


def _steps_for(user: Any, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The steps from the current state that this user's roles could take (the service re-checks everything)."""
    roles = account_access.roles_over(user, evaluation.region_id)
    steps = []
    for t in available(evaluation.cycle.workflow_config, evaluation.state):
        if t.step in (Step.SUBMIT, Step.PUBLISH, Step.PROPOSE) or t.actor not in roles:
            continue
        if t.step == Step.START_FIELD:  # one button: the service picks field or final by the cycle's rule
            continue
        label = "Selesaikan verifikasi administrasi" if t.step == Step.SKIP_FIELD else t.label
        steps.append({"step": t.step.value, "label": label})
    return steps


@require_GET
@login_required
def evaluation_review(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _reviewer_evaluation(request.user, pk)
    visible = visible_scores(request.user, [evaluation])[0]
    stage = REVIEW_STAGE.get(evaluation.state)
    return render(
        request,
        "verification/evaluation.html",
        {
            "evaluation": evaluation,
            "entries": selectors.entry_reviews(evaluation),
            "progress": selectors.review_progress([evaluation])[evaluation.pk],
            "stage": stage,
            "can_review": stage is not None
            and reviewer_role(evaluation.cycle.workflow_config, stage)
            in account_access.roles_over(request.user, evaluation.region_id),
            "steps": _steps_for(request.user, evaluation),
            "visible": visible,
            "columns": stage_columns([visible]),
            "default_deadline": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "province_code": evaluation.region.parent_id,
        },
    )


@require_POST
@login_required
def step(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _reviewer_evaluation(request.user, pk)
    try:
        chosen = Step(request.POST.get("step", ""))
        evaluation = steps.advance(evaluation=evaluation, step=chosen, by=request.user)
        messages.success(request, f"Tahap sekarang: {evaluation.state_label}.")
    except ValueError:
        messages.error(request, "Langkah tidak dikenal.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("verification:evaluation", pk=pk)


def _chosen_entries(request: AuthedRequest, evaluation: Evaluation) -> list[Any]:
    ids = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
    return list(evaluation.entries.filter(pk__in=ids))


@require_POST
@login_required
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _reviewer_evaluation(request.user, pk)
    try:
        n = verdicts.entries_accept(
            evaluation=evaluation,
            entries=_chosen_entries(request, evaluation),
            comment=request.POST.get("comment", ""),
            by=request.user,
        )
        messages.success(request, f"{n} pertanyaan diterima.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("verification:evaluation", pk=pk)


def _parse_deadline(raw: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@require_POST
@login_required
def return_entries(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = _reviewer_evaluation(request.user, pk)
    deadline = _parse_deadline(request.POST.get("deadline", ""))
    if deadline is None:
        messages.error(request, "Isi batas perbaikan dengan tanggal dan jam yang sah.")
        return redirect("verification:evaluation", pk=pk)
    try:
        n = returns.entries_return(
            evaluation=evaluation,
            entries=_chosen_entries(request, evaluation),
            reason=request.POST.get("reason", ""),
            deadline=deadline,
            by=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        messages.success(request, f"{n} indikator dikembalikan ke kab/kota; Sekretariat Gugus Tugas diberi tahu.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("verification:evaluation", pk=pk)


# --- one entry -----------------------------------------------------------------------------------------------------


def _entry_context(
    request: AuthedRequest, pk: int, gate: Callable[[Any, int], Entry] = get_entry_for_user
) -> dict[str, Any]:
    entry = gate(request.user, pk)
    evaluation = entry.evaluation
    _require_reviewer(request.user, evaluation.region_id)
    stage = REVIEW_STAGE.get(evaluation.state)
    can_review = (
        stage is not None
        and stage != Verdict.Stage.FIELD
        and reviewer_role(evaluation.cycle.workflow_config, stage)
        in account_access.roles_over(request.user, evaluation.region_id)
    )
    allowed = selectors.visible_verdict_stages(request.user, evaluation)
    return {
        "entry": entry,
        "evaluation": evaluation,
        "stage": stage,
        "can_review": can_review,
        "allowed_stages": allowed,
        "stages": [(s.value, s.label) for s in Verdict.Stage if s != Verdict.Stage.FIELD and s in allowed],
        "decisions": Verdict.Decision.choices,
    }


@require_GET
@login_required
def entry_review(request: AuthedRequest, pk: int) -> HttpResponse:
    context = _entry_context(request, pk)
    entry = context["entry"]
    items = selectors.question_reviews(entry)
    duplicates = duplicates_elsewhere(entry)
    for item in items:
        for f in item.files:
            f.duplicate_regions = duplicates.get(f.pk, [])  # type: ignore[attr-defined]
    context.update(items=items, activity=selectors.activity(entry, context["allowed_stages"]))
    return render(request, "verification/entry.html", context)


@require_POST
@login_required
def verdict(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    # The one-query gate: `verdict_record` reads the entry, its deadlines and the reviewer's independence afresh
    # inside its transaction, and the answer rendered here shows neither the assignments nor the deadlines.
    context = _entry_context(request, pk, gate=get_entry_in_scope)
    entry = context["entry"]
    question = Question.objects.filter(pk=question_pk, indicator_id=entry.indicator_id).first()
    if question is None:
        raise Http404("Pertanyaan tidak ditemukan pada indikator ini.")
    error = ""
    try:
        verdicts.verdict_record(
            entry=entry,
            question=question,
            decision=request.POST.get("decision", ""),
            points=request.POST.get("points"),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except ValidationError as exc:
        error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("verification:entry", args=[pk]) + f"#q-{question.pk}")
    item = selectors.question_reviews(entry, question)[0]
    context.update(item=item, error=error, posted=request.POST if error else None, saved=not error)
    return render(request, "verification/entry.html#question", context, status=422 if error else 200)


@require_POST
@login_required
def resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk)
    try:
        returns.entry_resubmit(entry=entry, by=request.user)
        messages.success(request, "Indikator dikirim ulang ke reviewer.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("evaluations:entry_detail", pk=pk)


# --- province ------------------------------------------------------------------------------------------------------


def _province_for(user: Any, code: str) -> Region:
    region = Region.objects.filter(code=code, level=Level.PROVINSI).first()
    if region is None:
        raise Http404("Provinsi tidak ditemukan.")
    account_access.require(user, Action.EVALUATION_VIEW, code)
    _require_reviewer(user, code)
    return region


def _cycle(code: str) -> Cycle:
    cycle = Cycle.objects.select_related("framework").prefetch_related("deadlines").filter(code=code).first()
    if cycle is None:
        raise Http404("Siklus evaluasi tidak ditemukan.")
    return cycle


@require_GET
@login_required
def province(request: AuthedRequest, cycle_code: str, code: str) -> HttpResponse:
    region = _province_for(request.user, code)
    cycle = _cycle(cycle_code)
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle, region__parent=region)
        .select_related("cycle", "region")
        .only(*EVALUATION_ROW_FIELDS)
        .order_by("region__name")
    )
    bands = band_rules(cycle.framework_id)
    visible = visible_scores(request.user, evaluations, breakdowns=False, bands={cycle.framework_id: bands})
    progress = selectors.review_progress(evaluations)
    rule = provila.ProvinceRule.from_json(cycle.framework.province_rule)
    status = None
    basis = ""
    if rule is not None:
        standings = []
        for v in visible:
            score = v.scores.get(ScoreStage.FINAL)
            if score is None and not v.published:
                score = v.scores.get(ScoreStage.PROVINCE_VA, v.scores.get(ScoreStage.EM))
                basis = "perkiraan"
            standings.append(provila.KabKotaStanding(v.evaluation.region_id, v.evaluation.region.name, score))
        status = provila.province_status(rule, standings, bands)
    is_province_reviewer = Role.PROVINCE_REVIEWER in account_access.roles_over(request.user, code)
    deadline = deadline_of(cycle, Stage.PROVINCE_REVIEW)
    columns = stage_columns(visible)
    return render(
        request,
        "verification/province.html",
        {
            "region": region,
            "cycle": cycle,
            "rows": [(v, progress[v.evaluation.pk], [v.get(s) for s, _ in columns]) for v in visible],
            "columns": columns,
            "provila": status,
            "rule": rule,
            "basis": basis,
            "can_propose": is_province_reviewer,
            "letters": selectors.letters_for(cycle.pk, code),
            "wording": selectors.letter_defaults(region),
            "deadline": deadline,
            "placeholders": PLACEHOLDERS,
        },
    )


@require_POST
@login_required
def propose(request: AuthedRequest, cycle_code: str, code: str) -> HttpResponse:
    region = _province_for(request.user, code)
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
    region = _province_for(request.user, code)
    _cycle(cycle_code)
    wording = selectors.letter_defaults(region)
    if request.method == "POST":
        wording = {k: request.POST.get(k, "") for k in ("body", "city", "signer", "title")}
        try:
            proposal.letter_template_save(province=region, by=request.user, **wording)
            messages.success(request, "Templat surat usulan disimpan.")
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
    found = ProposalLetter.objects.select_related("province").filter(pk=pk).first()
    if found is None:
        raise Http404("Surat tidak ditemukan.")
    _province_for(request.user, found.province_id)
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
