"""Error pages in the site's chrome (Indonesian, with a way forward), never a stack trace."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def _page(request: HttpRequest, status: int, exception: Any = None) -> HttpResponse:
    detail = ""
    if exception is not None and status in (403, 404):
        text = str(exception.args[0]) if getattr(exception, "args", None) else ""
        # Only our own messages (Indonesian sentences) are shown; Django's internal ones are not.
        if text and not text.startswith(("No ", "Resolver404", "{")) and "matching query" not in text:
            detail = text
    return render(request, f"{status}.html", {"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    return _page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    return _page(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
