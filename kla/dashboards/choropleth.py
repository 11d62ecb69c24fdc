"""The dashboards' choropleth: imported boundaries (`kla.regions.boundaries`) coloured with the dashboard's own
tile-grid map (its classes, titles, legend and caption, already through the seal for the viewer), as GeoJSON for
static/js/map.js. Nothing is scored again here: the tile map is the dashboard's, read from the same cache.

Each feature's properties: `code`, `name`, `class`, `title`, `url` (the region's dashboard for the cycle)."""

from __future__ import annotations

import hashlib

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language

from kla.evaluations.models import Cycle
from kla.regions.boundaries import boundaries_version, boundary_rows
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import maps
from kla.results.choropleth import geojson_text

CONTENT_TYPE = "application/geo+json"
FORMAT_VERSION = "1"


def level_of(province: Region | None) -> Level:
    return Level.KABKOTA if province is not None else Level.PROVINSI


def url(cycle: Cycle, province: Region | None) -> str:
    """The GeoJSON of the dashboard's map for `cycle`."""
    if province is None:
        path = reverse("dashboards:national_map")
    else:
        path = reverse("dashboards:province_map", kwargs={"code": province.code})
    return path + "?" + urlencode({"cycle": cycle.code})


def etag(figures_key: str, province: Region | None) -> str:
    """A strong ETag from the dashboard's cache key (its data and the viewer's grants), the boundaries and the
    language (one query besides the key's)."""
    parts = [FORMAT_VERSION, figures_key, get_language() or "", boundaries_version(level_of(province))]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _link(cycle: Cycle, province: Region | None, code: str) -> str:
    name = "dashboards:province" if province is None else "dashboards:kabkota"
    return reverse(name, kwargs={"code": code}) + "?" + urlencode({"cycle": cycle.code})


def rows(province: Region | None) -> list[tuple[str, str, str]]:
    """(code, name, geometry JSON) of the map's regions: none without imported boundaries (one query)."""
    return boundary_rows(level_of(province), parent=province.code if province else None)


def feature_collection(
    boundaries: list[tuple[str, str, str]], tile_map: maps.TileMap | None, cycle: Cycle, province: Region | None
) -> str:
    """The GeoJSON text of the dashboard's map: `boundaries` coloured by `tile_map` (no query). Without boundaries,
    an empty collection (the page then draws the tile grid and never asks)."""
    caption = str(tile_map.caption) if tile_map is not None else ""
    return geojson_text(boundaries, tile_map, lambda code: _link(cycle, province, code), level_of(province), caption)
