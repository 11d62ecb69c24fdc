"""The reviewer's queue and one evaluation's review: its entries, the workflow steps, accepting and returning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.accounts import access as account_access
from kla.accounts.models import User
from kla.accounts.roles import Role
from kla.core.http import AuthedRequest, error_text
from kla.evaluations.gate import passes_gate
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.workflow import STATE_LABELS, State, Step, available
from kla.results.selectors.scores import stage_columns, visible_scores
from kla.verification import next_step_facts, queue_reads, selectors, verdict_states
from kla.verification.access import get_evaluation_for_reviewer, require_any_reviewer
from kla.verification.queue_progress import queue_progress
from kla.verification.queue_rows import queue_rows, rows_html
from kla.verification.review_stages import REVIEW_STAGE, reviewer_role
from kla.verification.services import returns, steps, verdicts


@require_GET
@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    require_any_reviewer(request.user)
    mine = selectors.my_states(request.user)
    wanted = request.GET.get("tahap", "")
    states = [wanted] if wanted in {s.value for s in State} else [s.value for s in mine]
    # one compiled query: the page's rows with each cycle's workflow (who acts next) and the count of all
    found = queue_reads.queue_page(request.user, states, request.GET.get("halaman"))
    evaluations = found.evaluations
    progress = selectors.review_progress(evaluations)
    shown = queue_progress(evaluations, progress)
    provinces = sorted(
        {
            (m.region_id, m.region.name)
            for m in account_access.memberships(request.user)
            if m.role == Role.PROVINCE_REVIEWER and m.region is not None
        }
    )
    configs = {e.cycle_id: e.cycle.workflow_config for e in evaluations}
    rows = queue_rows(evaluations, shown)  # what the table prints, as plain dicts
    return render(
        request,
        "verification/queue.html",
        {
            "page": found.page,
            "rows": [(e, shown[e.pk]) for e in evaluations],
            "queue_rows": rows,
            "rows_html": rows_html(rows),
            "states": [(s.value, gettext(STATE_LABELS[s])) for s in State if s != State.DRAFT],
            "wanted": wanted,
            "mine": [gettext(STATE_LABELS[s]) for s in mine],
            "provinces": provinces,
            "cycles": queue_reads.open_cycles() if provinces else [],
            "next_step": next_step_facts.first_action(
                request.user, ((e, progress[e.pk]) for e in evaluations), configs
            ),
        },
    )


def _steps_for(user: User, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The steps from the current state that this user's roles could take (the service re-checks everything)."""
    roles = account_access.roles_over(user, evaluation.region_id)
    below = not passes_gate(evaluation.em_score, evaluation.cycle.framework.gate_min_exclusive)
    found = []
    for t in available(evaluation.cycle.workflow_config, evaluation.state):
        if t.step in (Step.SUBMIT, Step.PUBLISH, Step.PROPOSE) or t.actor not in roles:
            continue
        if (t.needs_gate and below) or (t.below_gate and not below):  # below the gate: only closing is offered
            continue
        if t.step == Step.START_FIELD:  # one button: the service picks field or final by the cycle's rule
            continue
        label = gettext("Selesaikan verifikasi administrasi") if t.step == Step.SKIP_FIELD else gettext(t.label)
        found.append({"step": t.step.value, "label": label})
    return found


@require_GET
@login_required
def evaluation_review(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_reviewer(request.user, pk)
    visible = visible_scores(request.user, [evaluation])[0]
    stage = REVIEW_STAGE.get(evaluation.state)
    entries = selectors.entry_reviews(evaluation)
    progress = selectors.review_progress([evaluation])[evaluation.pk]
    gate = evaluation.cycle.framework.gate_min_exclusive
    facts = next_step_facts.review_facts(
        evaluation, progress, evaluation.cycle.workflow_config, gate, [r.entry for r in entries]
    )
    return render(
        request,
        "verification/evaluation.html",
        {
            "evaluation": evaluation,
            "entries": entries,
            "progress": progress,
            "labels": verdict_states.labels((r.entry.pk, r.entry.status, r.questions) for r in entries),
            "next_step": next_step_facts.reviewer_step(request.user, facts, evaluation.region_id),
            "stage": stage,
            "can_review": stage is not None
            and reviewer_role(evaluation.cycle.workflow_config, stage)
            in account_access.roles_over(request.user, evaluation.region_id),
            "steps": _steps_for(request.user, evaluation),
            "gate": evaluation.cycle.framework.gate_min_exclusive,
            "below_gate": evaluation.em_score is not None
            and not passes_gate(evaluation.em_score, evaluation.cycle.framework.gate_min_exclusive),
            "visible": visible,
            "columns": stage_columns([visible]),
            "default_deadline": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "province_code": evaluation.region.parent_id,
        },
    )


@require_POST
@login_required
def step(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_reviewer(request.user, pk)
    try:
        chosen = Step(request.POST.get("step", ""))
        evaluation = steps.advance(evaluation=evaluation, step=chosen, by=request.user)
        messages.success(request, gettext("Tahap sekarang: %(state_label)s.") % {"state_label": evaluation.state_label})
    except ValueError:
        messages.error(request, "Langkah tidak dikenal.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("verification:evaluation", pk=pk)


def _chosen_entries(request: AuthedRequest, evaluation: Evaluation) -> list[Entry]:
    ids = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
    return list(evaluation.entries.filter(pk__in=ids))


@require_POST
@login_required
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_reviewer(request.user, pk)
    try:
        n = verdicts.entries_accept(
            evaluation=evaluation,
            entries=_chosen_entries(request, evaluation),
            comment=request.POST.get("comment", ""),
            by=request.user,
        )
        messages.success(request, gettext("%(n)s pertanyaan diterima.") % {"n": n})
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
    evaluation = get_evaluation_for_reviewer(request.user, pk)
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
        messages.success(
            request,
            gettext("%(n)s indikator dikembalikan ke kabupaten/kota; Sekretariat Gugus Tugas diberi tahu.") % {"n": n},
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("verification:evaluation", pk=pk)
