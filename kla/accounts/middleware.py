"""Request checks after authentication: session timeouts, then the second sign-in step for privileged roles.

Both run after Django's AuthenticationMiddleware and MessageMiddleware. Answers depend on who asks:

* a page: a redirect (to the login page with a message, or to the second step, remembering the page);
* an htmx request: `HX-Redirect`, so the whole page goes there instead of a fragment being swapped in;
* the API (`/api/`) on a browser session: 401 with ``{"detail": "..."}``, never an HTML page;
* the API with `Authorization: Bearer …`: untouched. A personal token is its own credential (created only from a
  fully signed-in session, revocable, audited); it has no session to time out and no second step.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from kla.accounts import security

API_PREFIX = "/api/"
# Reachable before the second step: signing out, the second step itself, the health checks, the language switch.
SECOND_STEP_OPEN = frozenset(
    {"accounts:logout", "accounts:login_code", "accounts:totp_enrol", "site:healthz", "site:readyz", "set_language"}
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _has_bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").strip().lower().startswith("bearer ")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page_path(request: HttpRequest) -> str | None:
    """The page to come back to: this one for a plain GET, the page an htmx request came from, else none."""
    if _is_htmx(request):
        htmx = getattr(request, "htmx", None)
        return getattr(htmx, "current_url_abs_path", None) if htmx is not None else None
    return request.get_full_path() if request.method == "GET" else None


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    next_path = _page_path(request)
    if next_path:
        url = f"{url}?{urlencode({'next': next_path})}"
    return HttpResponseClientRedirect(url) if _is_htmx(request) else HttpResponseRedirect(url)


class SessionTimeoutMiddleware:
    """Ends a session idle or open for too long (limits per role, see `security.limits_for`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not (_is_api(request) and _has_bearer(request)):
            expiry = security.session_check(request.session, user)
            if expiry is not None:
                security.record_expiry(request, user, expiry)
                logout(request)
                if _is_api(request):
                    return JsonResponse({"detail": expiry.message}, status=401)
                messages.warning(request, expiry.message)
                return _redirect(request, reverse(settings.LOGIN_URL))
        return self.get_response(request)


class SecondStepMiddleware:
    """Keeps every page closed to a privileged user whose session has not passed the second step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else None

    def _open(self, request: HttpRequest) -> bool:
        if self.static_prefix and request.path.startswith(self.static_prefix):
            return True
        try:
            return resolve(request.path_info).view_name in SECOND_STEP_OPEN
        except Resolver404:
            return False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not security.second_step_passed(request.session)
            and not (_is_api(request) and _has_bearer(request))
            and security.needs_second_step(user)
            and not self._open(request)
        ):
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": gettext(
                            "Sesi ini belum menyelesaikan verifikasi dua langkah. Masukkan kode verifikasi di situs, "
                            "atau pakai token API (Authorization: Bearer <token>)."
                        )
                    },
                    status=401,
                )
            return _redirect(request, reverse("accounts:login_code"))
        return self.get_response(request)
