"""The choropleth of a released cycle: imported region boundaries (`kla.regions.boundaries`) coloured as the
tile-grid map colours them (`kla.results.maps`), as a GeoJSON FeatureCollection for static/js/map.js.

The nation by province (share of kab/kota with a published predicate) and a province by kab/kota (their published
predicates). Read as an anonymous visitor whoever asks, so the file is the same for everybody and holds only what
the public results page shows: predicates and counts, never a score. The caller checks the release first.

Each feature's properties: `code`, `name`, `class` (the tile grid's colour class, `tile-share-N`, `tile-band-N` or
`tile-none`), `title` (the tile's title: the figures in words), `url` (the region's results). Foreign members of the
collection: `legend` (class and label per colour, in the tile grid's order) and `caption`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kla.evaluations.models import Cycle
from kla.indicators.selectors import band_rules
from kla.regions.boundaries import boundaries_version, boundary_rows, has_boundaries
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import maps, public_cache, tilegrid
from kla.results.provila import ProvinceRule
from kla.results.selectors import portal

FORMAT_VERSION = "1"
CONTENT_TYPE = "application/geo+json"


def level_of(province: Region | None) -> Level:
    return Level.KABKOTA if province is not None else Level.PROVINSI


def available(province: Region | None) -> bool:
    """Whether boundaries exist for the map: the provinces, or the kab/kota of `province` (one query)."""
    return has_boundaries(level_of(province), parent=province.code if province else None)


def etag(cycle: Cycle, province: Region | None) -> str:
    """A strong ETag: what the public sees of the cycle, the level's boundaries, the language (two queries)."""
    level = level_of(province)
    parts = [
        FORMAT_VERSION,
        province.code if province else "",
        get_language() or "",
        public_cache.results_version(cycle),
        boundaries_version(level),
    ]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _tile_map(cycle: Cycle, province: Region | None, names: dict[str, str]) -> maps.TileMap:
    """The tile-grid map of the cycle as the public sees it (the public page's figures, through the seal)."""
    code = province.code if province else None
    rule = ProvinceRule.from_json(cycle.framework.province_rule)
    bands = band_rules(cycle.framework_id)
    visible = portal.cycle_results(AnonymousUser(), cycle, province=code, bands=bands)
    parents = {v.evaluation.region.parent_id for v in visible}
    kabkota = portal.province_kabkota(p for p in parents if p) if rule is not None else {}
    groups = portal.province_results(visible, bands, rule, kabkota)
    if province is None:
        return maps.national_map(groups, names)
    group = next((g for g in groups if g.code == province.code), None)
    group = group or portal.ProvinceResult(province.code, province.name, [])
    return maps.province_map(group, bands, list(names.items()))


def _url(cycle: Cycle, province: Region | None, code: str) -> str:
    if province is None:
        return reverse("results:public_cycle", kwargs={"cycle_code": cycle.code}) + "?" + urlencode({"provinsi": code})
    return reverse("results:public_region", kwargs={"code": code})


def _caption(province: Region | None) -> str:
    if province is None:
        return _("Peta provinsi: persentase kabupaten/kota yang berpredikat. Angka yang sama ada pada tabel.")
    return _("Peta kabupaten/kota %(province)s: predikat yang diumumkan. Predikat yang sama ada pada tabel.") % {
        "province": province.name
    }


def feature_collection(cycle: Cycle, province: Region | None) -> str | None:
    """The GeoJSON text of the map, or None when no boundaries were imported for it. Queries: the boundaries, the
    bands, the results (3), the province's kab/kota when the framework has a PROVILA rule."""
    rows = boundary_rows(level_of(province), parent=province.code if province else None)
    if not rows:
        return None
    tile_map = _tile_map(cycle, province, {code: name for code, name, _geometry in rows})
    return geojson_text(
        rows, tile_map, lambda code: _url(cycle, province, code), level_of(province), _caption(province)
    )


def geojson_text(
    rows: list[tuple[str, str, str]],
    tile_map: maps.TileMap | None,
    url_of: Callable[[str], str],
    level: Level,
    caption: str,
) -> str:
    """Boundaries `(code, name, geometry)` coloured as `tile_map` colours them, as GeoJSON text (no query): each
    feature's class and title from its tile, its link from `url_of`; the legend in the tile grid's order. The
    public map and the dashboards' map both build theirs here."""
    tiles = {t.code: t for t in tile_map.grid.tiles} if tile_map is not None else {}
    features = []
    for code, name, geometry in rows:
        tile = tiles.get(code)
        properties: dict[str, Any] = {
            "code": code,
            "name": name,
            "class": tile.css if tile else tilegrid.NO_DATA,
            "title": tile.name if tile else name,
            "url": url_of(code),
        }
        # the stored geometry is compact GeoJSON already: spliced in, never parsed again
        features.append('{"type":"Feature","properties":' + json.dumps(properties) + ',"geometry":' + geometry + "}")
    head = {
        "type": "FeatureCollection",
        "level": level.value,
        "caption": caption,
        "legend": [{"class": i.css, "label": str(i.label)} for i in tile_map.legend] if tile_map is not None else [],
    }
    return json.dumps(head)[:-1] + ',"features":[' + ",".join(features) + "]}"
