"""Request types for view signatures (what the middleware guarantees to be present).

The user type is the project's AUTH_USER_MODEL as django-stubs resolves it (``_User``), so the plumbing names no
domain app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import _User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """A request behind @login_required: `user` is a real, signed-in user."""

    user: _User


def form_errors_text(form: Any) -> str:
    """Every error of a bound form on one line, for a flash message after a redirect."""
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


def error_text(exc: ValidationError | PermissionDenied) -> str:
    """A refused service call's messages on one line, for a flash message or an inline error."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
