"""The public region browser: provinsi → kab/kota (→ kecamatan → desa when loaded)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from kla.accounts import access
from kla.core.http import HtmxRequest
from kla.regions import selectors


@require_GET
def index(request: HtmxRequest) -> HttpResponse:
    access.can_view_reference_data(request.user)
    q = request.GET.get("q", "").strip()[:60]
    context = {
        "provinces": selectors.provinces_with_counts(),
        "q": q,
        "results": list(selectors.region_list(q=q)[:50]) if len(q) >= 3 else None,
    }
    template = "regions/index.html#search_results" if request.htmx and q else "regions/index.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    access.can_view_reference_data(request.user)
    region = selectors.region_get(code)
    return render(
        request,
        "regions/detail.html",
        {
            "region": region,
            "ancestors": selectors.ancestors(region),
            "children": selectors.children_with_counts(region),
        },
    )
