"""The GeoJSON of the dashboards' maps (`kla.dashboards.choropleth`): the same gates as the dashboard pages (a
province outside the viewer's scope answers 404, the national map is the ministry's), the dashboard's own tile map
from the same cache (so through the same seal), private to the viewer with an ETag and a 304 for a current copy.
An empty collection when no boundaries were imported for the map (the page then draws the tile grid and never
asks)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET

from kla.core.http import AuthedRequest
from kla.dashboards import access, choropleth, kept
from kla.dashboards.selectors import common
from kla.dashboards.selectors.national import national_dashboard
from kla.dashboards.selectors.province import province_dashboard
from kla.evaluations.models import Cycle
from kla.regions.models import Region
from kla.results import maps


def _send(
    request: AuthedRequest, key: str, cycle: Cycle, province: Region | None, tile_map: Callable[[], maps.TileMap | None]
) -> HttpResponseBase:
    tag = choropleth.etag(key, province)
    response = get_conditional_response(request, etag=tag)
    if response is None:
        boundaries = choropleth.rows(province)
        body = choropleth.feature_collection(boundaries, tile_map() if boundaries else None, cycle, province)
        response = HttpResponse(body, content_type=choropleth.CONTENT_TYPE)
    response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
@login_required
def national_map(request: AuthedRequest) -> HttpResponseBase:
    """The provinces coloured as the national dashboard's tile map colours them."""
    access.require_national(request.user)
    cycle = common.pick_cycle(common.cycles(), request.GET.get("cycle"))
    key = kept.key("national", request.user, cycle)
    return _send(request, key, cycle, None, lambda: national_dashboard(request.user, cycle).tile_map)


@require_GET
@login_required
def province_map(request: AuthedRequest, code: str) -> HttpResponseBase:
    """A province's kab/kota coloured as the province dashboard's tile map colours them."""
    region = access.get_province(request.user, code)
    cycle = common.pick_cycle(common.cycles(), request.GET.get("cycle"))
    year = timezone.localdate().year
    key = kept.province_key(request.user, cycle, region.code, year).key

    def tile_map() -> maps.TileMap | None:
        return kept.kept(key + ":map", lambda: province_dashboard(request.user, region, cycle, year=year).tile_map)

    return _send(request, key, cycle, region, tile_map)
