"""The dashboards in a browser (issue 23 item 1): each level's dashboard draws its charts with the vendored Chart.js
(no inline script, no CSP error, nothing fetched from outside) beside the tables they come from; the secretariat's
charts load into its evaluation page by htmx; the national dashboard shows the tile-grid map of the provinces."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

DRAWN = "canvas[data-chart][data-drawn='1']"


def _charts_drawn(page: Any, at_least: int) -> None:
    # a function, not an expression: polling an expression evaluates a string in the page, which the CSP refuses
    page.wait_for_function(f'() => document.querySelectorAll("{DRAWN}").length >= {at_least}')


def test_the_secretariat_sees_its_charts_on_the_evaluation_page_and_its_dashboard(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "gt-palembang")
    from kla.evaluations.models import Evaluation

    pk = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71").pk
    page.goto(f"{site}/evaluasi/{pk}/")
    page.locator("#grafik [data-testid='dashboard-kabkota']").wait_for()  # swapped in by htmx
    _charts_drawn(page, 3)
    assert page.get_by_role("table", name="Kemajuan per klaster").is_visible()
    page.goto(f"{site}/dasbor/kabkota/16.71/")
    _charts_drawn(page, 3)
    page.get_by_label("Siklus").select_option("evaluasi-kla-demo")  # the filter swaps the figures by htmx
    page.locator("[data-testid='dashboard-kabkota']").wait_for()
    _charts_drawn(page, 3)
    assert page.get_by_role("table", name="Nilai EM, ambang batas dan target").is_visible()


def test_the_province_opens_its_dashboard_from_the_menu(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "prov-sumsel")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Dasbor").click()
    page.wait_for_url("**/dasbor/provinsi/16/")
    _charts_drawn(page, 2)
    table = page.get_by_role("table", name="Kabupaten/kota: tahap, kemajuan dan nilai yang boleh Anda lihat")
    assert table.is_visible() and "PALEMBANG" in table.inner_text().upper()
    assert page.get_by_role("heading", name="Status Provinsi Layak Anak").is_visible()
    table.get_by_role("link").first.click()  # a kab/kota's dashboard within the province
    page.wait_for_url(re.compile(r"/dasbor/kabkota/16\.\d+/"))
    _charts_drawn(page, 1)


def test_the_ministry_reads_the_national_dashboard_with_the_map(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "kemen-admin")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Dasbor").click()
    page.wait_for_url("**/dasbor/nasional/")
    _charts_drawn(page, 3)
    assert page.locator("[data-testid='dashboard-map'] svg a.tile").count() == 38
    assert page.locator("[data-testid='national-table'] tbody tr").count() >= 1
    assert page.get_by_role("table", name="Jumlah kabupaten/kota per tahap").is_visible()
