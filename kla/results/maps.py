"""The tile-grid maps of a published cycle, from the results a viewer sees (`portal.province_results`): the nation
by province (share of kab/kota with a published predicate) and a province by kab/kota (their predicates).

The figures come only from `VisibleScores.predicate`, which the seal leaves empty for whatever the viewer may not
see: a map shows nothing the table beside it does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kla.indicators.scoring import BandRule
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import tilegrid
from kla.results.selectors.portal import ProvinceResult


@dataclass(frozen=True)
class LegendItem:
    css: str
    label: str


@dataclass(frozen=True)
class TileMap:
    kind: str  # "national": tiles link to a province's results; "province": to a kab/kota's page
    grid: tilegrid.Grid
    legend: list[LegendItem]
    caption: str


def share_legend() -> list[LegendItem]:
    return [
        LegendItem("tile-share-4", _("lebih dari 75% sampai 100%")),
        LegendItem("tile-share-3", _("lebih dari 50% sampai 75%")),
        LegendItem("tile-share-2", _("lebih dari 25% sampai 50%")),
        LegendItem("tile-share-1", _("lebih dari 0% sampai 25%")),
        LegendItem("tile-share-0", _("belum ada yang berpredikat")),
        LegendItem(tilegrid.NO_DATA, _("tidak ada kabupaten/kota dievaluasi pada siklus ini")),
    ]


def province_names() -> dict[str, str]:
    """Every province's name by code (one query)."""
    return dict(Region.objects.filter(level=Level.PROVINSI).values_list("code", "name"))


def national_map(groups: Sequence[ProvinceResult], names: Mapping[str, str]) -> TileMap:
    """The 38 provinces, coloured by the share of their kab/kota with a published predicate (no query)."""
    classes, figures = {}, {}
    none = _("tidak ada kabupaten/kota dievaluasi pada siklus ini")
    titles = {code: f"{name}: {none}" for code, name in names.items()}
    for g in groups:
        total = g.total
        classes[g.code] = tilegrid.share_class(g.with_predicate, total)
        figures[g.code] = tilegrid.percent_text(tilegrid.share_percent(g.with_predicate, total))
        counts = _("%(n)s dari %(total)s kabupaten/kota berpredikat") % {"n": g.with_predicate, "total": total}
        titles[g.code] = f"{names.get(g.code, g.name)}: {counts} ({figures[g.code]})"
    caption = _("Peta petak provinsi: persentase kabupaten/kota yang berpredikat. Angka yang sama ada pada tabel.")
    return TileMap("national", tilegrid.province_grid(titles, classes, figures), share_legend(), caption)


def province_map(group: ProvinceResult, bands: Sequence[BandRule], kabkota: Sequence[tuple[str, str]] = ()) -> TileMap:
    """A province's kab/kota in code order, coloured by their published predicate; those of the province without
    an evaluation in the cycle (`kabkota`: all of them, when known) as grey tiles (no query)."""
    codes = [b.code for b in sorted(bands, key=lambda b: b.min_score)]
    items: dict[str, tuple[str, str, str, str]] = {}
    for v in group.rows:
        region, predicate = v.evaluation.region, v.predicate
        css = tilegrid.band_class(predicate.code if predicate else None, codes)
        figure = predicate.name[:1] if predicate else ""
        items[region.code] = (region.code, f"{region.name}: {v.result_label}", css, figure)
    for code, name in kabkota:
        items.setdefault(code, (code, f"{name}: {_('tidak dievaluasi pada siklus ini')}", tilegrid.NO_DATA, ""))
    shown = {v.predicate.code for v in group.rows if v.predicate is not None}
    ordered = sorted((b for b in bands if b.code in shown), key=lambda b: b.min_score, reverse=True)
    # only the predicates on the map: a band name on the page always means some kab/kota holds it
    legend = [LegendItem(tilegrid.band_class(b.code, codes), f"{b.name} ({b.name[:1]})") for b in ordered]
    legend.append(LegendItem(tilegrid.NO_DATA, _("belum berpredikat atau belum selesai dievaluasi")))
    caption = _("Peta petak kabupaten/kota %(province)s menurut kode: predikat yang diumumkan.") % {
        "province": group.name
    }
    return TileMap("province", tilegrid.simple_grid(list(items.values())), legend, caption)


def tile_map_for(
    groups: Sequence[ProvinceResult],
    bands: Sequence[BandRule],
    province: Region | None,
    kabkota: Mapping[str, Sequence[tuple[str, str]]],
) -> TileMap | None:
    """The public cycle page's map: the nation's by province (one query for the names), or the chosen province's
    by kab/kota (no query; None when the province has no kab/kota in the cycle)."""
    if province is None:
        return national_map(groups, province_names())
    group = next((g for g in groups if g.code == province.code), None)
    return province_map(group, bands, kabkota.get(province.code, ())) if group is not None else None
