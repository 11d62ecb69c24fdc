"""Error pages in the site's chrome (Indonesian, with a way forward), never a stack trace."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

PAGES = {
    400: (_("Permintaan tidak dapat diproses"), _("Periksa kembali isian Anda, lalu coba lagi.")),
    403: (
        _("Akses ditolak"),
        _(
            "Akun Anda tidak memiliki peran untuk halaman atau tindakan ini. Bila Anda merasa seharusnya bisa, "
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


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
