"""Site-wide request handling: the interface language, caching for signed-in users, 503 while the database is down."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext

logger = logging.getLogger("kla.availability")


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language with the switcher (a cookie).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: officers on shared office PCs with
    English browsers still get the Indonesian interface by default. The API (`/api/`) has no switcher: a client asks
    for English with `Accept-Language: en` (error details and labels follow it); Indonesian otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        if not chosen and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if request.path.startswith("/api/") else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NoStoreForUsersMiddleware:
    """Pages seen by a signed-in user are never stored by proxies or the browser cache (shared office PCs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (a restart, a failover), answer 503 with Retry-After instead of a 500.

    A write whose transaction did not commit left nothing behind; one that committed just before the connection
    dropped is kept, so the page tells the user to check after reloading rather than promising either. API clients
    get JSON. Connections are health-checked at the start of each request (CONN_HEALTH_CHECKS), so service resumes
    by itself as soon as the database is back (measured by `make loadtest`: about 2.5 s after a restart began).
    """

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return self.response_for(request, exception)

    @classmethod
    def response_for(cls, request: HttpRequest, exception: BaseException | None) -> HttpResponse | None:
        """The 503 for a database error, else None; also used by handler500 for errors raised in middleware."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s", exception)
        message = gettext(
            "Layanan sedang dipulihkan (basis data tidak dapat dihubungi). Data yang sudah tersimpan "
            "aman; tindakan terakhir Anda mungkin belum tersimpan, periksa setelah halaman dimuat "
            "ulang. Coba lagi dalam beberapa detik."
        )
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(
                render_to_string("503.html", {"message": message}), status=503, content_type="text/html"
            )
        response["Retry-After"] = str(cls.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
