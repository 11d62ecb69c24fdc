"""What the task-force pages share: the day asked for, refusals as messages, htmx responses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from kla.core.errors import storage_unavailable
from kla.core.http import AuthedRequest, error_text, form_errors_text
from kla.core.storage import Unavailable


def day_asked(request: AuthedRequest) -> tuple[dt.date, str]:
    """The ``?on=YYYY-MM-DD`` day (today when absent) and a message when it could not be read."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return timezone.localdate(), gettext(
            "Tanggal tidak dapat dibaca; gunakan format TTTT-BB-HH. Ditampilkan hari ini."
        )


def htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ("HX-Request",))
    return response


def run(request: AuthedRequest, back: str, form: Any, action: Callable[[], object], done: str) -> HttpResponse:
    """Validate `form`, call the service, and come back to `back` with a message saying what happened."""
    if not form.is_valid():
        messages.error(request, f"Belum disimpan: {form_errors_text(form)}")
        return redirect(back)
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"Belum disimpan: {error_text(exc)}")
    except Unavailable as problem:
        return storage_unavailable(request, problem, back=back)
    else:
        messages.success(request, done)
    return redirect(back)
