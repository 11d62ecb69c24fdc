"""The choropleth in a browser (issue 23 item 2): an administrator imported the synthetic boundaries; a visitor opens
the released cycle's results, sees the provinces drawn by Leaflet (SVG paths, no tile server, nothing fetched from
outside, no CSP error) with the legend, clicks Sumatera Selatan and follows the popup's link to the province's map,
then reaches Palembang's page from the keyboard; the province filter (htmx) swaps in the province's map."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PATHS = ".choropleth .leaflet-overlay-pane svg path"


def _released_with_boundaries(tmp_path: Path) -> None:
    from kla.regions.tests import synthetic
    from kla.results.tests.test_views import determine, palembang, publish

    determine(palembang())
    publish(palembang().cycle)
    for level in ("provinsi", "kabkota"):
        path = tmp_path / f"batas-{level}.geojson"
        path.write_bytes(synthetic.dumps(synthetic.from_database(level)))
        call_command("import_boundaries", str(path), "--level", level, "--by", "kemen-admin", stdout=StringIO())


def test_a_visitor_reads_the_choropleth_and_follows_it_to_a_province_and_a_kabkota(
    watched_page: Any, site: str, tmp_path: Path
) -> None:
    _released_with_boundaries(tmp_path)
    page = watched_page
    page.goto(f"{site}/hasil/evaluasi-kla-demo/")
    expect(page.locator(PATHS)).to_have_count(38)
    assert page.locator(".choropleth .leaflet-tile-pane img").count() == 0  # no tiles: polygons only
    legend = page.locator(".choropleth-figure .map-legend li")
    assert legend.count() == 6 and "lebih dari 0% sampai 25%" in legend.all_inner_texts()
    assert page.locator(".choropleth-figure .map-caption").inner_text().startswith("Peta provinsi")
    sumsel = page.locator(f'{PATHS}[data-code="16"]')
    assert "tile-share-1" in (sumsel.get_attribute("class") or "")
    swatch = page.locator(".choropleth-figure .legend-swatch.tile-share-1")
    colour = swatch.evaluate("el => getComputedStyle(el).backgroundColor")
    assert sumsel.get_attribute("fill") == colour  # the legend's colour, from the stylesheet
    assert page.get_by_role("table").first.is_visible()  # the table beside the map stays

    sumsel.click()
    popup = page.locator(".leaflet-popup-content")
    assert "Sumatera Selatan: 1 dari 17 kabupaten/kota berpredikat" in popup.inner_text()
    popup.get_by_role("link", name="Lihat hasilnya").click()
    page.wait_for_url(re.compile(r"\?provinsi=16$"))
    expect(page.locator(PATHS)).to_have_count(17)
    assert any(t.startswith("Madya") for t in page.locator(".choropleth-figure .map-legend li").all_inner_texts())
    palembang = page.locator(f'{PATHS}[data-code="16.71"]')
    assert palembang.get_attribute("aria-label") == "Kota Palembang: Madya"
    assert re.search(r"tile-band-\d", palembang.get_attribute("class") or "")

    palembang.focus()  # every region takes the focus (Tab), and Enter opens it
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/hasil/daerah/16\.71/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kota Palembang")

    # choosing the province in the filter swaps the results (htmx): the swapped part draws its own map
    page.goto(f"{site}/hasil/evaluasi-kla-demo/")
    expect(page.locator(PATHS)).to_have_count(38)
    page.get_by_label("Provinsi").select_option(label="Sumatera Selatan")
    expect(page.locator(PATHS)).to_have_count(17)
    assert page.locator(".choropleth").count() == 1
