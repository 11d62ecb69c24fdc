"""What the RAD KLA pages share: refusals onto the form (so what was typed stays), the year asked for, htmx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from kla.core.http import AuthedRequest, error_text
from kla.rad.models import Plan

UNPROCESSABLE = 422


def refuse(form: Any, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal shown on the form it came from (field errors on their field, the rest on top)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


def year_asked(request: AuthedRequest, plan: Plan) -> int:
    """``?tahun=`` when it lies in the plan's period; else this year (clamped into the period)."""
    raw = request.GET.get("tahun", "")
    if raw.isdigit() and plan.start_year <= int(raw) <= plan.end_year:
        return int(raw)
    return min(max(timezone.localdate().year, plan.start_year), plan.end_year)


def htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ("HX-Request",))
    return response


def status_of(*forms: Any) -> int:
    """422 when a bound form carries errors (htmx swaps it; a browser shows it), else 200."""
    return UNPROCESSABLE if any(f is not None and f.is_bound and f.errors for f in forms) else 200
