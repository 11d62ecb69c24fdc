"""Error pages in the site's chrome (Indonesian, with a way forward), never a stack trace."""

from __future__ import annotations

import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from kla.core.storage import RETRY_AFTER_SECONDS, Unavailable, problem_of

PAGES = {
    400: (_("Permintaan tidak dapat diproses"), _("Periksa kembali isian Anda, lalu coba lagi.")),
    403: (
        _("Akses ditolak"),
        _(
            "Akun Anda tidak memiliki peran untuk halaman atau tindakan ini. Bila Anda merasa seharusnya dapat, "
            "hubungi Sekretariat Gugus Tugas KLA atau administrator di wilayah Anda."
        ),
    ),
    404: (
        _("Halaman tidak ditemukan"),
        _("Alamat yang Anda buka tidak ada, sudah dipindahkan, atau berada di luar wilayah kewenangan Anda."),
    ),
}


def _page(request: HttpRequest, status: int, exception: Any = None) -> HttpResponse:
    detail = ""
    if exception is not None and status in (403, 404):
        text = str(exception.args[0]) if getattr(exception, "args", None) else ""
        # Only our own messages (Indonesian sentences) are shown; Django's internal ones are not.
        if text and not text.startswith(("No ", "Resolver404", "{")) and "matching query" not in text:
            detail = text
    title, explanation = PAGES[status]
    context = {"status": status, "title": title, "explanation": explanation, "detail": detail}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    return _page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    return _page(request, 404, exception)


def storage_unavailable(request: HttpRequest, problem: Unavailable, *, back: str = "") -> HttpResponse:
    """507 (storage full) or 503 (storage or virus scanner failing): the file was not kept, what to do now. No
    context processors and no database: the database may sit on the same full disk. API paths get JSON."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": problem.message}, status=problem.status)
    else:
        context = {"message": problem.message, "message_en": problem.message_en, "status": problem.status, "back": back}
        response = HttpResponse(render_to_string("storage_error.html", context), status=problem.status)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # An upload Django could not spool to FILE_UPLOAD_TEMP_DIR fails while the body is parsed, usually inside
    # CsrfViewMiddleware before any view runs: only this handler sees it. Answer it like any full disk.
    exc = sys.exc_info()[1]
    problem = problem_of(exc)
    if problem is not None:
        return storage_unavailable(request, problem)
    # The database restarting: raised in a middleware (the session, the user) as often as in a view.
    from kla.core.middleware import DatabaseUnavailableMiddleware

    unavailable = DatabaseUnavailableMiddleware.response_for(request, exc)
    if unavailable is not None:
        return unavailable
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
