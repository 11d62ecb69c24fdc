"""Dashboards by level: thin views over `kla.dashboards.selectors`; the cycle filter swaps the figures by htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kla.core.http import AuthedRequest
from kla.dashboards import access
from kla.dashboards.selectors import common
from kla.dashboards.selectors.kabkota import kabkota_dashboard
from kla.dashboards.selectors.national import national_dashboard
from kla.dashboards.selectors.province import province_dashboard
from kla.regions.levels import Level
from kla.regions.models import Region


def _template(request: AuthedRequest, name: str) -> str:
    return f"dashboards/{name}.html#figures" if request.htmx else f"dashboards/{name}.html"


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The menu's "Dasbor": the widest dashboard the user may read."""
    home = access.home_of(request.user)
    if home is None:
        raise PermissionDenied(_("Peran Anda tidak memiliki dasbor."))
    if home == "":
        return redirect("dashboards:national")
    if "." in home:
        return redirect("dashboards:kabkota", code=home)
    return redirect("dashboards:province", code=home)


@require_GET
@login_required
def kabkota(request: AuthedRequest, code: str) -> HttpResponse:
    region = access.get_kabkota(request.user, code)
    choices = common.cycles()
    cycle = common.pick_cycle(choices, request.GET.get("cycle"))
    board = kabkota_dashboard(request.user, region, cycle)
    return render(request, _template(request, "kabkota"), {"board": board, "cycles": choices})


@require_GET
@login_required
def province(request: AuthedRequest, code: str) -> HttpResponse:
    region = access.get_province(request.user, code)
    choices = common.cycles()
    cycle = common.pick_cycle(choices, request.GET.get("cycle"))
    board = province_dashboard(request.user, region, cycle)
    return render(request, _template(request, "province"), {"board": board, "cycles": choices})


@require_GET
@login_required
def national(request: AuthedRequest) -> HttpResponse:
    access.require_national(request.user)
    choices = common.cycles()
    cycle = common.pick_cycle(choices, request.GET.get("cycle"))
    province_code = request.GET.get("provinsi") or ""
    if province_code and not Region.objects.filter(code=province_code, level=Level.PROVINSI).exists():
        raise Http404(_("Provinsi tidak ditemukan."))
    board = national_dashboard(request.user, cycle, request.GET.get("page"), province=province_code)
    return render(
        request, _template(request, "national"), {"board": board, "cycles": choices, "province_code": province_code}
    )
