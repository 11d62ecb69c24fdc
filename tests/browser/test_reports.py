"""A province reviewer exports the per-indicator detail of its kab/kota as Excel, in a real browser."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_province_reviewer_exports_the_indicator_detail_as_excel(watched_page: Any, site: str) -> None:
    from kla.evaluations.models import Entry

    page = watched_page
    sign_in(page, site, "prov-sumsel")
    page.get_by_role("link", name="Laporan").click()
    page.get_by_label("Rincian per indikator").check()
    page.get_by_label("Excel (.xlsx)").check()
    page.get_by_role("button", name="Buat laporan").click()
    page.wait_for_load_state()
    assert "Laporan sedang dibuat" in page.content()
    page.get_by_text("Siap diunduh").wait_for()  # the task runs at once here; with a worker the page polls
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").click()
    assert download.value.suggested_filename == "rincian-indikator-evaluasi-kla-demo.xlsx"
    content = BytesIO(Path(download.value.path()).read_bytes())  # the saved download has no .xlsx suffix
    rows = list(load_workbook(content, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode wilayah", "Provinsi", "Kabupaten/Kota")
    assert {r[1] for r in rows[1:]} == {"Sumatera Selatan"}
    assert len(rows) - 1 == Entry.objects.filter(evaluation__region__parent_id="16").count()
