"""The history of one entry, for everyone who works on it: its reviewers and the kab/kota (the secretariat, and the
operators of the agencies it is assigned to)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kla.core.http import AuthedRequest
from kla.verification import history, selectors
from kla.verification.history_html import history_html
from kla.verification.models import Verdict


@require_GET
@login_required
def entry_history(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = history.get_entry_for_history(request.user, pk)
    allowed = selectors.visible_verdict_stages(request.user, entry.evaluation)
    return render(
        request,
        "verification/entry_history.html",
        {
            "entry": entry,
            "history": history_html(history.entry_history(entry, allowed)),
            "sealed": len(allowed) < len(Verdict.Stage),
        },
    )
