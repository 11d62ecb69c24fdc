"""Pages of the self-assessment: cycles (ministry), the kab/kota dashboard (secretariat), my work and answering."""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.timezone import localdate
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kla.accounts import access as account_access
from kla.accounts.roles import Action, Role
from kla.agencies.models import Agency
from kla.core import typed_numbers
from kla.core.http import AuthedRequest, error_text, form_errors_text
from kla.evaluations import access, entry_reads, next_step_facts, next_steps, selectors, services, submission_views
from kla.evaluations.assign_choices import indicator_rows
from kla.evaluations.forms import CycleForm, OpenCycleForm, raw_answer_from_post, typed_answer_from_post
from kla.evaluations.models import Answer, Cycle, Entry
from kla.evaluations.next_steps import NextStep
from kla.evaluations.work_rows import rows as work_rows
from kla.evaluations.workflow import FIELD_RULE_LABELS
from kla.evidence import linking
from kla.evidence.selectors import duplicates_elsewhere, files_by_question
from kla.evidence.services import policy_text
from kla.indicators.models import Question
from kla.taskforce import access as taskforce_access
from kla.taskforce import selectors as taskforce
from kla.verification import verdict_states

# --- cycles (ministry) -----------------------------------------------------------------------------------------


@require_GET
@login_required
def cycle_list(request: AuthedRequest) -> HttpResponse:
    access.require_any_role(request.user)
    cycles = list(Cycle.objects.select_related("framework").prefetch_related("deadlines"))
    can_manage = account_access.can(request.user, Action.CYCLE_MANAGE, None)
    return render(
        request,
        "evaluations/cycle_list.html",
        {
            "cycles": cycles,
            "can_manage": can_manage,
            "next_step": next_steps.for_ministry_admin(selectors.cycle_work(cycles)) if can_manage else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def cycle_create(request: AuthedRequest) -> HttpResponse:
    account_access.require(request.user, Action.CYCLE_MANAGE, None, hide=False)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                code=data["code"],
                name=data["name"],
                year=data["year"],
                framework=data["framework"],
                deadlines=form.deadlines(),
                workflow=form.workflow(),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, gettext("Siklus %(name)s dibuat. Periksa jadwal, lalu buka siklus.") % {"name": cycle.name}
            )
            return redirect("evaluations:cycle_detail", code=cycle.code)
    return render(request, "evaluations/cycle_form.html", {"form": form})


@require_GET
@login_required
def cycle_detail(request: AuthedRequest, code: str) -> HttpResponse:
    cycle = access.get_cycle_for_user(request.user, code)
    can_manage = account_access.can(request.user, Action.CYCLE_MANAGE, None)
    return render(
        request,
        "evaluations/cycle_detail.html",
        {
            "cycle": cycle,
            "can_manage": can_manage,
            "open_form": OpenCycleForm() if can_manage else None,
            "evaluation_count": cycle.evaluations.count(),
            "field_rule_label": gettext(FIELD_RULE_LABELS[cycle.workflow_config.field_rule]),
            "evaluations": selectors.evaluations_for_user(request.user).filter(cycle=cycle)[:50],
        },
    )


@require_POST
@login_required
def cycle_open(request: AuthedRequest, code: str) -> HttpResponse:
    cycle = access.get_cycle_for_user(request.user, code, manage=True)
    form = OpenCycleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Siklus belum dibuka: " + form_errors_text(form))
        return redirect("evaluations:cycle_detail", code=cycle.code)
    regions = None if form.cleaned_data["scope"] == "all" else [p.code for p in form.cleaned_data["provinces"]]
    try:
        n = services.cycle_open(cycle=cycle, region_codes=regions, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            gettext("Siklus dibuka untuk %(n)s kabupaten/kota; setiap evaluasi berisi satu entri per indikator.")
            % {"n": n},
        )
    return redirect("evaluations:cycle_detail", code=cycle.code)


# --- evaluations (kab/kota) ------------------------------------------------------------------------------------


@require_GET
@login_required
def evaluation_list(request: AuthedRequest) -> HttpResponse:
    access.require_any_role(request.user)
    return render(
        request,
        "evaluations/evaluation_list.html",
        {
            "evaluations": selectors.evaluations_for_user(request.user)[:200],
        },
    )


@require_GET
@login_required
def evaluation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk)
    progress = selectors.evaluation_progress(evaluation)
    can_assign = account_access.can(request.user, Action.EVALUATION_ASSIGN, evaluation.region_id)
    labels = verdict_states.labels((i.entry.pk, i.entry.status, i.questions) for i in progress.indicators)
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "progress": progress,
            "can_assign": can_assign,
            "can_submit": can_assign and evaluation.is_editable,
            "indicator_rows": indicator_rows(progress, labels, assigns=can_assign and evaluation.is_editable),
            "deadline": entry_reads.self_assessment_deadline(evaluation.cycle, evaluation.region_id),
            **submission_views.submit_context(request, evaluation, progress, can_assign=can_assign),
            "follow_up_panel": _overdue_follow_ups(request.user, evaluation.region_id),
            "returned": next_step_facts.returned_entries(progress),
            "labels": labels,
            "next_step": _secretariat_step(request.user, progress),
        },
    )


def _secretariat_step(user: account_access.Visitor, progress: selectors.EvaluationProgress) -> NextStep | None:
    """The secretariat's next step on its dashboard (other readers act on their own pages)."""
    if Role.SECRETARIAT not in account_access.roles_over(user, progress.evaluation.region_id):
        return None
    return next_steps.for_secretariat(next_step_facts.dashboard_facts(progress))


def _overdue_follow_ups(user: account_access.Visitor, region_code: str) -> taskforce.DuePanel | None:
    """The region's overdue task-force follow-ups for a reader of its task force (an operator: their agency's)."""
    if not taskforce_access.can_view(user, region_code):
        return None
    owners = taskforce_access.operator_agency_ids(user, region_code)
    return taskforce.overdue_for_region(region_code, today=taskforce.today(), owners=owners)


@require_POST
@login_required
def entry_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_for_user(request.user, pk)
    account_access.require(request.user, Action.EVALUATION_ASSIGN, entry.evaluation.region_id)
    ids = [int(v) for v in request.POST.getlist("agencies") if v.isdigit()]
    agencies = list(Agency.objects.filter(pk__in=ids, region_id=entry.evaluation.region_id))
    try:
        services.assignment_set(entry=entry, agencies=agencies, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        names = ", ".join(a.short_name for a in agencies) or gettext("tidak ada instansi")
        messages.success(
            request,
            gettext("Indikator %(number)s ditugaskan kepada: %(names)s.")
            % {"number": entry.indicator.number, "names": names},
        )
    return redirect("evaluations:evaluation_detail", pk=entry.evaluation_id)


@require_POST
@login_required
def evaluation_auto_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk, action=Action.EVALUATION_ASSIGN)
    n = services.assignments_auto(evaluation=evaluation, by=request.user)
    messages.success(
        request,
        gettext("%(n)s indikator ditugaskan otomatis sesuai instansi penanggung jawab pada instrumen.") % {"n": n},
    )
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


@require_POST
@login_required
def evaluation_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk, action=Action.EVALUATION_ASSIGN)
    agency = Agency.objects.filter(pk=request.POST.get("agency") or 0, region_id=evaluation.region_id).first()
    if agency is None:
        messages.error(request, "Pilih instansi yang akan diingatkan.")
        return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    try:
        n = services.reminder_send(
            evaluation=evaluation,
            agency=agency,
            note=request.POST.get("note", ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            gettext("Pengingat dikirim ke %(n)s operator %(short_name)s.") % {"n": n, "short_name": agency.short_name},
        )
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


# --- my work and answering (operators) -------------------------------------------------------------------------


@require_GET
@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    access.require_any_role(request.user)
    today, managed = taskforce.today(), taskforce.managed_regions(request.user)
    entries = selectors.my_work(request.user)
    labels = verdict_states.labels((e.pk, e.status, e.n_questions) for e in entries)  # type: ignore[attr-defined]
    rows = [(e, selectors.deadline_in_force(e), labels[e.pk]) for e in entries]
    return render(
        request,
        "evaluations/my_work.html",
        {
            "entries": entries,
            "rows": rows,
            "work_rows": work_rows(entries, labels),  # what the table prints, as plain dicts
            "next_step": next_steps.for_operator(next_step_facts.operator_work(entries))
            if account_access.agency_ids(request.user)
            else None,
            "evaluations": selectors.evaluations_for_user(request.user)[:20],
            # the task force's follow-ups: an operator's agency's open ones, the secretariat's region's overdue ones
            "own_follow_ups": taskforce.open_for_operator(request.user, today=today),
            "region_follow_ups": taskforce.overdue_for_regions(managed, today=today) if managed else None,
        },
    )


def _item(question: Question, answer: Answer | None, **extra: Any) -> dict[str, Any]:
    """One question on the entry page: what to show in the fields is the posted value after a refusal, else the
    saved answer."""
    shown = extra.get("posted") or _as_typed(answer.value if answer is not None else {})
    return {"question": question, "answer": answer, "value": shown, **extra}


NUMBER_FIELDS = ("number", "numerator", "denominator")


def _as_typed(value: dict[str, Any]) -> dict[str, Any]:
    """A saved answer as a person would type it again: numbers in the page's language (1200 → "1.200", 1.5 → "1,5";
    English "1,200", "1.5"), so that saving the form unchanged reads the same numbers back."""
    out = dict(value)
    for name in NUMBER_FIELDS:
        if out.get(name) not in (None, ""):
            # a value that is no number is kept as stored: the scoring engine explains what is wrong with it
            with contextlib.suppress(InvalidOperation, ValueError):
                out[name] = typed_numbers.typed(Decimal(str(out[name])))
    return out


def _entry_page(
    request: AuthedRequest, entry: Entry, *, override: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    assigned = {a.agency_id for a in entry.assignments.all()}
    returned = entry.status == Entry.Status.RETURNED
    open_now = returned or (entry.is_editable and entry.evaluation.is_editable)
    can_edit = open_now and access.can_answer(request.user, entry, assigned)
    can_resubmit = returned and account_access.can(request.user, Action.EVALUATION_SUBMIT, entry.evaluation.region_id)
    files = files_by_question(entry)
    elsewhere = duplicates_elsewhere(entry) if account_access.is_reviewer(request.user) else {}
    pairs = entry_reads.entry_questions(entry)
    offered = (
        linking.offered(
            region_code=entry.evaluation.region_id, questions=[q for q, _ in pairs], files=files, on=localdate()
        )
        if can_edit
        else {}
    )
    items = [_item(q, a, files=files.get(q.pk, []), offered=offered.get(q.pk, [])) for q, a in pairs]
    if override is not None:
        items = [override if i["question"].pk == override["question"].pk else i for i in items]
    return render(
        request,
        "evaluations/entry_detail.html",
        {
            "entry": entry,
            "items": items,
            "can_edit": can_edit,
            "can_resubmit": can_resubmit,
            "status_label": verdict_states.labels([(entry.pk, entry.status, len(pairs))])[entry.pk],
            "entry_points": sum((i["answer"].points for i in items if i["answer"]), 0),
            "em_total": selectors.em_total(entry.evaluation),
            "deadline": entry_reads.self_assessment_deadline(entry.evaluation.cycle, entry.evaluation.region_id),
            "policy_text": policy_text(),
            "elsewhere": elsewhere,
        },
        status=status,
    )


@require_GET
@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _entry_page(request, access.get_entry_for_user(request.user, pk))


@require_POST
@login_required
def answer_save(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    """Autosave of one question (htmx swaps the question back in); without JavaScript, post-redirect-get."""
    entry = access.get_entry_for_save(request.user, pk)  # the service checks assignment and deadline
    question = entry_reads.question_of(entry, question_pk)
    if question is None:
        return HttpResponse(gettext("Pertanyaan tidak ditemukan pada indikator ini."), status=404)
    typed = typed_answer_from_post(question, request.POST)  # shown again as typed when refused
    version = request.POST.get("version", "")
    justification = request.POST.get("justification", "")
    status = 200
    totals: tuple[Decimal, Decimal] | None = None  # the live scores as the save's own transaction read them
    try:
        result = services.answer_save(
            entry=entry,
            question=question,
            raw_value=raw_answer_from_post(question, request.POST),
            justification=justification,
            expected_version=int(version) if version.isdigit() else None,
            by=request.user,
        )
    except services.AnswerConflict as conflict:
        item = _item(question, conflict.stored, conflict=conflict, posted=typed, posted_justification=justification)
        status = 409
    except ValidationError as exc:
        stored = entry.answers.filter(question=question).first()
        item = _item(question, stored, error=error_text(exc), posted=typed, posted_justification=justification)
        status = 422
    else:
        item = _item(question, result.answer, saved=True)
        totals = (result.em_total, result.entry_points)
    if not request.htmx:
        if status == 200:
            messages.success(request, gettext("Jawaban %(code)s tersimpan.") % {"code": question.code})
            return redirect(f"{entry_url(entry)}#q-{question.pk}")
        # the whole page again, from the full entry read (the save read only what a save needs)
        return _entry_page(request, access.get_entry_for_user(request.user, pk), override=item, status=status)
    em_total, entry_points = totals or selectors.live_totals(entry)
    context = {
        "entry": entry,
        "item": item,
        "can_edit": True,
        "oob": True,
        "em_total": em_total,
        "entry_points": entry_points,
    }
    response = render(request, "evaluations/entry_detail.html#question", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def entry_url(entry: Entry) -> str:
    return reverse("evaluations:entry_detail", args=[entry.pk])
