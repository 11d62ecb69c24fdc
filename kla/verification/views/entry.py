"""One entry under review: its questions with answers, evidence and verdicts; a verdict on one question; the kab/kota's
resubmission of a returned entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.accounts import access as account_access
from kla.accounts.models import User
from kla.core.http import AuthedRequest, error_text
from kla.evaluations.access import get_entry_for_user, get_entry_in_scope
from kla.evaluations.models import Entry
from kla.evidence.selectors import duplicates_elsewhere
from kla.indicators.models import Question
from kla.verification import history, selectors
from kla.verification.access import require_reviewer
from kla.verification.models import Verdict
from kla.verification.review_stages import REVIEW_STAGE, reviewer_role
from kla.verification.services import returns, verdicts


def _entry_context(
    request: AuthedRequest, pk: int, gate: Callable[[User, int], Entry] = get_entry_for_user
) -> dict[str, Any]:
    entry = gate(request.user, pk)
    evaluation = entry.evaluation
    require_reviewer(request.user, evaluation.region_id)
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
    context.update(items=items, history=history.entry_history(entry, context["allowed_stages"]))
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
        raise Http404(gettext("Pertanyaan tidak ditemukan pada indikator ini."))
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
        messages.success(request, gettext("Indikator dikirim ulang ke verifikator."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("evaluations:entry_detail", pk=pk)
