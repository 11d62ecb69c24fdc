"""An indicator's history in a real browser: the operator answers, follows the entry page's link to the history and
reads what changed in words and Indonesian numbers, not codes and dicts."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_operator_reads_the_history_of_the_indicator_it_answered(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "opd-palembang")
    page.get_by_role("link", name="Tugas saya").click()
    page.get_by_role("link", name="4. Kepemilikan Kutipan Akta Kelahiran").click()
    question = page.locator("form[data-autosave]").first
    question.locator("input[name=numerator]").fill("950")
    question.locator("input[name=denominator]").fill("1.000")
    question.locator("input[name=denominator]").press("Tab")
    expect(page.locator("form[data-autosave]").first.locator(".save-state")).to_contain_text("Tersimpan")

    page.get_by_role("link", name="Riwayat perubahan indikator ini").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riwayat indikator 4")
    expect(main).to_contain_text("Jawaban disimpan")
    expect(main).to_contain_text("pembilang: 950; penyebut: 1.000")
    expect(main).to_contain_text("Penugasan instansi diubah")  # the demo's assignment, by agency name
    expect(main).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil Kota Palembang")
    text = main.inner_text()
    assert "kla." not in text and "{" not in text and "agencies" not in text
