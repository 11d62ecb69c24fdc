"""The ministry's page for re-scoring a cycle's stored answers in the background and watching its progress. Thin:
the work is in `rescore_runs`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from kla.core.http import AuthedRequest, error_text
from kla.evaluations import access, rescore_runs


@require_http_methods(["GET", "POST"])
@login_required
def cycle_rescore(request: AuthedRequest, code: str) -> HttpResponse:
    cycle = access.get_cycle_for_user(request.user, code, manage=True)
    if request.method == "POST":
        try:
            rescore_runs.request_run(user=request.user, cycle=cycle)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, gettext("Penilaian ulang dimulai. Kemajuannya tampil di bawah dan diperbarui otomatis.")
            )
        return redirect("evaluations:cycle_rescore", code=cycle.code)
    runs = rescore_runs.latest(cycle)
    return render(
        request,
        "evaluations/cycle_rescore.html",
        {
            "cycle": cycle,
            "runs": runs,
            "latest": runs[0] if runs else None,
            "polling": any(r.status in rescore_runs.UNFINISHED for r in runs),
        },
    )
