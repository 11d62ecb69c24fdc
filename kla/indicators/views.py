"""The public instrument browser: frameworks → clusters → indicators → questions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kla.accounts import access
from kla.indicators import selectors


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    access.can_view_reference_data(request.user)
    return render(request, "indicators/index.html", {"frameworks": selectors.framework_list()})


@require_GET
def framework(request: HttpRequest, code: str) -> HttpResponse:
    access.can_view_reference_data(request.user)
    fw = selectors.framework_get(code)
    clusters = list(fw.clusters.all())
    chart = {
        "labels": [c.display_name for c in clusters],
        "values": [float(sum(i.max_points for i in c.indicators.all())) for c in clusters],
    }
    return render(request, "indicators/framework.html", {"framework": fw, "clusters": clusters, "chart": chart})


@require_GET
def indicator(request: HttpRequest, code: str, indicator_code: str) -> HttpResponse:
    access.can_view_reference_data(request.user)
    ind = selectors.indicator_get(code, indicator_code)
    return render(request, "indicators/indicator.html", {"indicator": ind, "framework": ind.framework})
