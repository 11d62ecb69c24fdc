"""The tile-grid maps (layout rules, the national and the province map on the public cycle page) and the public
region page with its released predicate history."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import tilegrid
from kla.results.models import PredicateRecord
from kla.results.tests.test_views import DEMO, determine, palembang, publish

CYCLE_URL = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})


# --- layout rules (pure) ---------------------------------------------------------------------------------------


def test_every_province_has_its_own_square_and_label() -> None:
    cells = [(c, r) for c, r, _label in tilegrid.PROVINCE_GRID.values()]
    labels = [label for _c, _r, label in tilegrid.PROVINCE_GRID.values()]
    assert len(tilegrid.PROVINCE_GRID) == 38
    assert len(set(cells)) == 38 and len(set(labels)) == 38


@pytest.mark.django_db
def test_the_grid_is_keyed_by_the_kemendagri_province_codes() -> None:
    codes = set(Region.objects.filter(level=Level.PROVINSI).values_list("code", flat=True))
    assert set(tilegrid.PROVINCE_GRID) == codes


def test_west_lies_left_of_east_and_north_above_south() -> None:
    col = {code: c for code, (c, _r, _l) in tilegrid.PROVINCE_GRID.items()}
    row = {code: r for code, (_c, r, _l) in tilegrid.PROVINCE_GRID.items()}
    assert col["11"] < col["31"] < col["51"] < col["73"] < col["81"] < col["91"]  # Aceh … Papua
    assert row["11"] < row["16"] < row["18"] < row["32"] < row["34"]  # Aceh, Sumsel, Lampung, Jabar, DIY
    assert row["65"] < row["64"] < row["63"]  # Kalimantan Utara, Timur, Selatan


@pytest.mark.parametrize(
    ("with_predicate", "total", "css"),
    [
        (0, 0, "tile-none"),
        (0, 5, "tile-share-0"),
        (1, 17, "tile-share-1"),
        (5, 20, "tile-share-1"),  # 25 %
        (6, 20, "tile-share-2"),  # 30 %
        (10, 20, "tile-share-2"),  # 50 %
        (15, 20, "tile-share-3"),  # 75 %
        (16, 17, "tile-share-4"),
        (17, 17, "tile-share-4"),
    ],
)
def test_share_classes(with_predicate: int, total: int, css: str) -> None:
    assert tilegrid.share_class(with_predicate, total) == css


def test_share_percent_rounds_down_and_never_reads_100_too_early() -> None:
    assert tilegrid.share_percent(16, 17) == 94
    assert tilegrid.share_percent(17, 17) == 100
    assert tilegrid.share_percent(1, 17) == 5
    assert tilegrid.share_percent(0, 0) is None
    assert tilegrid.percent_text(None) == "" and tilegrid.percent_text(5) == "5%"


def test_band_classes_by_rank() -> None:
    bands = ["pratama", "madya", "nindya", "utama", "kla"]
    assert tilegrid.band_class("pratama", bands) == "tile-band-1"
    assert tilegrid.band_class("kla", bands) == "tile-band-5"
    assert tilegrid.band_class(None, bands) == tilegrid.band_class("lain", bands) == "tile-none"


def test_simple_grid_orders_by_code_and_wraps() -> None:
    items = [(f"16.{n:02d}", f"Kab {n}", "tile-none", "") for n in (13, 1, 71, 2, 3, 4, 5, 6)]
    grid = tilegrid.simple_grid(items, columns=6)
    assert [t.code for t in grid.tiles][:3] == ["16.01", "16.02", "16.03"]
    assert [t.label for t in grid.tiles][-2:] == ["13", "71"]
    second_row = grid.tiles[6]
    assert (second_row.x, second_row.y) == (0, tilegrid.TILE + tilegrid.GAP)
    assert grid.width == 6 * tilegrid.TILE + 5 * tilegrid.GAP and grid.height == 2 * tilegrid.TILE + tilegrid.GAP
    assert tilegrid.simple_grid([]).tiles == []


# --- the maps on the public cycle page -------------------------------------------------------------------------


def _svg(html: str) -> str:
    match = re.search(r"<svg.*?</svg>", html, flags=re.S)
    assert match, "the page has a map"
    return match.group(0)


def _tile(svg: str, code: str) -> str:
    match = re.search(rf'<a class="tile [^"]*" data-code="{re.escape(code)}".*?</a>', svg, flags=re.S)
    assert match, code
    return match.group(0)


@pytest.fixture
def published(db: None) -> Cycle:
    determine(palembang())  # Madya, the others unfinished
    publish(palembang().cycle)
    return Cycle.objects.get(code=DEMO)


def test_national_map_colours_provinces_by_share_with_titles_links_legend_and_table(published: Cycle) -> None:
    html = Client().get(CYCLE_URL).content.decode()
    svg = _svg(html)
    assert svg.count('<a class="tile ') == 38 and 'data-map="national"' in svg
    sumsel = _tile(svg, "16")
    assert 'class="tile tile-share-1"' in sumsel
    assert "<title>Sumatera Selatan: 1 dari 17 kabupaten/kota berpredikat (5%)</title>" in sumsel
    assert f'href="{CYCLE_URL}?provinsi=16"' in sumsel and ">SS</text>" in sumsel and ">5%</text>" in sumsel
    assert 'class="tile tile-none"' in _tile(svg, "91") and "tidak ada kabupaten/kota dievaluasi" in _tile(svg, "91")
    assert 'class="map-legend"' in html and "legend-swatch tile-share-4" in html
    assert re.search(r"<td>[^<]*<a href=\"\?provinsi=16\">Sumatera Selatan</a></td>.*?<td class=\"num\">5%</td>", html)
    assert "style=" not in svg and "<script" not in svg  # the CSP: classes from the stylesheet only


def test_province_map_colours_kabkota_by_predicate(published: Cycle) -> None:
    html = Client().get(CYCLE_URL + "?provinsi=16").content.decode()
    svg = _svg(html)
    assert svg.count('<a class="tile ') == 17 and 'data-map="province"' in svg
    tile = _tile(svg, "16.71")
    assert 'class="tile tile-band-2"' in tile and "<title>Kota Palembang: Madya</title>" in tile
    assert f'href="{reverse("results:public_region", kwargs={"code": "16.71"})}"' in tile and ">M</text>" in tile
    assert 'class="tile tile-none"' in _tile(svg, "16.73")
    assert "Madya (M)" in html and "Utama" not in html  # the legend names the predicates on the map only
    assert "Kota Palembang" in html.split("</svg>", 1)[1]  # the table beside it


def test_maps_show_only_published_predicates(db: None, client_for) -> None:  # type: ignore[no-untyped-def]
    """Before the release the page does not exist; once released, a sealed final score stays off the map."""
    determine(palembang())
    assert client_for("ministry_admin").get(CYCLE_URL).status_code == 404
    publish(palembang().cycle)
    svg = _svg(Client().get(CYCLE_URL + "?provinsi=16").content.decode())
    assert "654" not in svg


def test_a_search_shows_no_map(published: Cycle) -> None:
    assert "<svg" not in Client().get(CYCLE_URL, {"q": "palem"}).content.decode()


# --- the public region page ------------------------------------------------------------------------------------


def test_kabkota_history_shows_released_predicates_and_public_scores_only(published: Cycle) -> None:
    PredicateRecord.objects.create(
        region_id="16.71", year=2019, band_code="pratama", band_name="Pratama", score=Decimal("555.55"), source="import"
    )
    url = reverse("results:public_region", kwargs={"code": "16.71"})
    html = Client().get(url).content.decode()
    assert "2019" in html and "Pratama" in html and "2026" in html and "Madya" in html
    assert "555,55" not in html and "654,32" not in html  # no imported score, no sealed final score
    assert f"{CYCLE_URL}?provinsi=16" in html and reverse("results:open_data_all", kwargs={"fmt": "csv"}) in html
    Cycle.objects.filter(pk=published.pk).update(public_details=True)
    assert "654,32" in Client().get(url).content.decode()


def test_history_of_an_unreleased_cycle_is_not_shown(db: None) -> None:
    evaluation = determine(palembang())
    PredicateRecord.objects.create(
        region_id="16.71", year=2026, band_code="madya", band_name="Madya", cycle=evaluation.cycle, source="cycle"
    )
    html = Client().get(reverse("results:public_region", kwargs={"code": "16.71"})).content.decode()
    assert "Madya" not in html and "<td>2026</td>" not in html and "<td>2023</td>" in html  # the demo's imported years


def test_province_page_lists_its_kabkota_by_year(published: Cycle) -> None:
    PredicateRecord.objects.create(region_id="16.73", year=2024, band_code="", band_name="", source="import")
    html = Client().get(reverse("results:public_region", kwargs={"code": "16"})).content.decode()
    assert '<th scope="col">2024</th><th scope="col">2026</th>' in html
    assert html.count('href="/hasil/daerah/16.') == 17 and "Madya" in html and "Belum berpredikat" in html


@pytest.mark.parametrize("code", ["16.71.01", "99", "16.99", "x"])
def test_other_levels_and_unknown_codes_are_404(db: None, code: str) -> None:
    assert Client().get(reverse("results:public_region", kwargs={"code": code})).status_code == 404


def test_stage_scores_never_reach_the_region_page(published: Cycle) -> None:
    evaluation = Evaluation.objects.get(cycle=published, region_id="16.71")
    assert ScoreStage.FINAL in {ScoreStage(s.stage) for s in evaluation.stage_scores.all()}
    html = Client().get(reverse("results:public_region", kwargs={"code": "16.71"})).content.decode()
    assert all(v not in html for v in ("777,77", "666,66", "655,55", "654,32", "612,34"))
