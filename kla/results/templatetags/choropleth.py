"""`{% load choropleth %}`: whether a cycle's map can be drawn from imported boundaries, and its GeoJSON address."""

from __future__ import annotations

from django import template
from django.urls import reverse

from kla.evaluations.models import Cycle
from kla.regions.models import Region
from kla.results import choropleth

register = template.Library()


@register.simple_tag
def choropleth_url(cycle: Cycle, province: Region | None = None) -> str:
    """The GeoJSON of the nation's map (or `province`'s), or "" when no boundaries were imported for it (one
    query); the page then draws the tile grid."""
    if not choropleth.available(province):
        return ""
    if province is None:
        return reverse("results:map_geojson", kwargs={"cycle_code": cycle.code})
    return reverse("results:map_province_geojson", kwargs={"cycle_code": cycle.code, "code": province.code})
