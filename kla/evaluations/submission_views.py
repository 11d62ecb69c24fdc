"""The secretariat's submission on its dashboard: sending the self-assessment (confirming an EM score below the gate)
and withdrawing a submission no review has started. Thin: the rules are `services.submission`, `services.withdrawal`
and `gate`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from kla.accounts import access as account_access
from kla.accounts.roles import Action
from kla.core.formatting import format_number
from kla.core.http import AuthedRequest, error_text
from kla.evaluations import access, services
from kla.evaluations.forms import SubmitForm
from kla.evaluations.gate import passes_gate
from kla.evaluations.models import Evaluation
from kla.evaluations.selectors import EvaluationProgress
from kla.evaluations.services import withdrawal
from kla.evaluations.services.submission import submission_missing
from kla.evaluations.workflow import STATE_LABELS, State


def _below_gate_label(em_score: Decimal, gate: Decimal) -> str:
    """`gate.below_gate_label` in the reader's language (its Indonesian word for word)."""
    lang = get_language() or "id"
    return gettext(
        "Saya memahami bahwa nilai EM %(score)s tidak melebihi ambang batas %(gate)s, sehingga evaluasi ini tidak "
        'lanjut ke verifikasi dan akan ditutup dengan status "%(state)s", dan saya tetap mengirimnya.'
    ) % {
        "score": format_number(em_score, 2, lang=lang),
        "gate": format_number(gate, lang=lang),
        "state": gettext(STATE_LABELS[State.BELOW_GATE]),
    }


def submit_context(
    request: AuthedRequest, evaluation: Evaluation, progress: EvaluationProgress, *, can_assign: bool
) -> dict[str, Any]:
    """What the dashboard shows around the submission: the form, the EM against the gate (the confirmation's label
    when it does not pass), every missing item it would be refused for, and whether it may be withdrawn."""
    gate = evaluation.cycle.framework.gate_min_exclusive
    can_send = account_access.can(request.user, Action.EVALUATION_SUBMIT, evaluation.region_id)
    below = not passes_gate(progress.total_points, gate)
    return {
        "submit_form": SubmitForm(),
        "below_gate_label": _below_gate_label(progress.total_points, gate) if below else None,
        "can_withdraw": can_send and withdrawal.can_withdraw(evaluation),
        # the registered checks included (required evidence not attached)
        "missing": submission_missing(evaluation, progress) if can_assign and evaluation.is_editable else [],
    }


@require_POST
@login_required
def evaluation_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk, action=Action.EVALUATION_SUBMIT)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        services.evaluation_submit(
            evaluation=evaluation,
            by=request.user,
            acknowledge_missing=bool(form.cleaned_data.get("acknowledge_missing")),
            confirm_below_gate=request.POST.get("confirm_below_gate") == "1",
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        evaluation.refresh_from_db()
        messages.success(
            request,
            gettext("Evaluasi mandiri dikirim dengan nilai EM %(em_score)s.")
            % {"em_score": format_number(evaluation.em_score, 2)},
        )
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


@require_POST
@login_required
def evaluation_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk, action=Action.EVALUATION_SUBMIT)
    try:
        withdrawal.evaluation_withdraw(evaluation=evaluation, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, gettext("Kiriman ditarik. Evaluasi mandiri dapat diisi lagi; kirim kembali sebelum batas waktu.")
        )
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
