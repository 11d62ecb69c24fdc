"""One entry under review: its questions with answers, evidence and verdicts; a verdict on one question; the kab/kota's
resubmission of a returned entry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kla.accounts import access as account_access
from kla.core.http import AuthedRequest, error_text
from kla.evaluations.access import get_entry_for_user, get_entry_in_scope
from kla.evaluations.entry_reads import question_of, questions_of
from kla.evaluations.models import Entry
from kla.evidence.selectors import duplicates_elsewhere
from kla.verification import entry_reads, history, selectors
from kla.verification.access import require_reviewer
from kla.verification.history_html import history_html
from kla.verification.models import Verdict
from kla.verification.question_html import Frame, question_html, questions_html
from kla.verification.review_stages import REVIEW_STAGE, reviewer_role
from kla.verification.services import returns, verdicts


def _entry_context(request: AuthedRequest, entry: Entry) -> dict[str, Any]:
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
    }


def _frame(request: AuthedRequest, context: dict[str, Any], **answer: Any) -> Frame:
    return Frame(
        entry_pk=context["entry"].pk,
        can_review=context["can_review"],
        stage=context["stage"],
        stages=context["stages"],
        csrf_token=get_token(request),
        **answer,
    )


@require_GET
@login_required
def entry_review(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_entry_in_scope(request.user, pk)
    context = _entry_context(request, entry)
    questions = questions_of(entry)
    rows = entry_reads.entry_rows(entry)
    duplicates = duplicates_elsewhere(entry)
    for files in rows.files.values():
        for f in files:
            f.duplicate_regions = duplicates.get(f.pk, [])  # type: ignore[attr-defined]
    items = [(q, rows.answers.get(q.pk), rows.files.get(q.pk, []), rows.verdicts.get(q.pk, {})) for q in questions]
    by_pk = {q.pk: q for q in questions}
    known = history.Known(
        answers=rows.answer_ids,
        files=rows.file_ids,
        specs={a.pk: by_pk[a.question_id].spec for a in rows.answers.values() if a.question_id in by_pk},
    )
    context.update(
        agencies=", ".join(entry_reads.agency_names(entry)) or "—",
        items=questions_html(_frame(request, context), items),
        history=history_html(history.entry_history(entry, context["allowed_stages"], known_rows=known)),
    )
    return render(request, "verification/entry.html", context)


@require_POST
@login_required
def verdict(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    # The one-query gate: `verdict_record` reads the entry, its deadlines and the reviewer's independence afresh
    # inside its transaction, and the answer rendered here shows neither the assignments nor the deadlines.
    entry = get_entry_in_scope(request.user, pk)
    context = _entry_context(request, entry)
    question = question_of(entry, question_pk)
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
    rows = entry_reads.entry_rows(entry, question)
    frame = _frame(request, context, posted=request.POST if error else None, error=error, saved=not error)
    html = question_html(
        frame,
        question,
        rows.answers.get(question.pk),
        rows.files.get(question.pk, []),
        rows.verdicts.get(question.pk, {}),
    )
    return HttpResponse(html, status=422 if error else 200)


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
