"""Asking for a RAD KLA recap (per kab/kota or per province) from a page; it is built by the export task and listed
on the Laporan page like every export. The region is read through RAD KLA's gate (404 outside the scope)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kla.core.http import AuthedRequest, error_text
from kla.rad import access
from kla.reports.rad_recaps import request_recap


@require_POST
@login_required
def rad_recap(request: AuthedRequest, code: str) -> HttpResponse:
    region = access.get_region_for_user(request.user, code)
    try:
        request_recap(user=request.user, kind=request.POST.get("kind", ""), region=region)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            gettext("Rekap RAD KLA %(name)s sedang dibuat. Unduh dari daftar di bawah setelah siap.")
            % {"name": region.name},
        )
    return redirect("reports:index")
