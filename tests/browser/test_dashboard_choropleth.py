"""The dashboards' choropleth in a browser (issue 23 item 2): an administrator imported the synthetic boundaries; the
ministry opens the national dashboard and sees the provinces drawn by Leaflet (SVG paths, no tile server, nothing
fetched from outside, no CSP error) coloured as the legend says, follows Sumatera Selatan's shape to the province's
dashboard, which draws its kab/kota the same way, and reaches Palembang's dashboard from the keyboard."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PATHS = "[data-testid='dashboard-map'] .choropleth .leaflet-overlay-pane svg path"


def _boundaries(tmp_path: Path) -> None:
    from kla.regions.tests import synthetic

    for level in ("provinsi", "kabkota"):
        path = tmp_path / f"batas-{level}.geojson"
        path.write_bytes(synthetic.dumps(synthetic.from_database(level)))
        call_command("import_boundaries", str(path), "--level", level, "--by", "kemen-admin", stdout=StringIO())


def test_the_ministry_follows_the_dashboard_map_to_a_province_and_a_kabkota(
    watched_page: Any, site: str, tmp_path: Path
) -> None:
    _boundaries(tmp_path)
    page = watched_page
    sign_in(page, site, "kemen-admin")
    page.goto(f"{site}/dasbor/nasional/?cycle=evaluasi-kla-demo")
    expect(page.locator(PATHS)).to_have_count(38)
    assert page.locator(".choropleth .leaflet-tile-pane img").count() == 0  # no tiles: polygons only
    assert page.locator("[data-testid='dashboard-map'] svg[data-map]").count() == 0  # not the tile grid
    sumsel = page.locator(f'{PATHS}[data-code="16"]')
    css = re.search(r"tile-(share-\d|none)", sumsel.get_attribute("class") or "")
    assert css is not None
    swatch = page.locator(f"[data-testid='dashboard-map'] .legend-swatch.{css.group(0)}")
    assert sumsel.get_attribute("fill") == swatch.evaluate("el => getComputedStyle(el).backgroundColor")

    sumsel.click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.inner_text().startswith("Sumatera Selatan")
    popup.get_by_role("link", name="Buka dasbornya").click()
    page.wait_for_url(re.compile(r"/dasbor/provinsi/16/\?cycle=evaluasi-kla-demo$"))
    expect(page.locator(PATHS)).to_have_count(17)
    palembang = page.locator(f'{PATHS}[data-code="16.71"]')
    assert (palembang.get_attribute("aria-label") or "").startswith("Kota Palembang")

    palembang.focus()  # every region takes the focus (Tab), and Enter opens its dashboard
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dasbor/kabkota/16\.71/\?cycle=evaluasi-kla-demo$"))
