"""The GeoJSON of the choropleth maps (`kla.results.choropleth`): open to everybody once a cycle's results are
released, the same for everybody, so with an ETag, a 304 for a current copy, and kept for a few minutes.

404 before the release (as the cycle's page), for a code that is not a province, and when no boundaries were
imported for the map (the page then draws the tile grid instead)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from kla.evaluations.models import Cycle
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import choropleth, opendata
from kla.results.selectors import portal

_MISSING = "-"  # kept in the cache for a map without boundaries, so a miss is not rebuilt on every request


def _send(request: HttpRequest, cycle: Cycle, province: Region | None) -> HttpResponseBase:
    tag = choropleth.etag(cycle, province)
    response = get_conditional_response(request, etag=tag)
    if response is None:
        key = f"kla.results.choropleth:{tag}"
        body = cache.get(key)
        if body is None:
            body = choropleth.feature_collection(cycle, province) or _MISSING
            cache.set(key, body, opendata.MAX_AGE_SECONDS)
        if body == _MISSING:
            raise Http404(gettext("Batas wilayah untuk peta ini belum diimpor."))
        response = HttpResponse(body, content_type=choropleth.CONTENT_TYPE)
    response["ETag"] = tag
    patch_cache_control(response, public=True, max_age=opendata.MAX_AGE_SECONDS)
    return response


@require_GET
def national(request: HttpRequest, cycle_code: str) -> HttpResponseBase:
    """The provinces coloured by the share of their kab/kota with a published predicate."""
    return _send(request, portal.published_cycle_get(cycle_code), None)


@require_GET
def province(request: HttpRequest, cycle_code: str, code: str) -> HttpResponseBase:
    """A province's kab/kota coloured by their published predicate."""
    cycle = portal.published_cycle_get(cycle_code)
    region = Region.objects.filter(code=code, level=Level.PROVINSI.value).first()
    if region is None:
        raise Http404(gettext("Provinsi tidak ditemukan."))
    return _send(request, cycle, region)
