"""The benchmark's URL configuration: the project's own (`config.urls`) plus one floor page, never served otherwise.

`bench.national` selects it with `override_settings(ROOT_URLCONF="bench.urls")` inside its own process only, so the
floor goes through exactly the same middleware, session, authentication and context processors as the pages it is
compared with, without adding a route to the project.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

FLOOR_PATH = "/bench/floor/"


@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    """The cheapest real page: the base template (layout, navigation for this user's roles), no domain query."""
    return render(request, "base.html", {})


urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor, name="bench_floor"), *project_urlpatterns]

__all__ = ["FLOOR_PATH", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]
