"""The main journeys of the foundation, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_public_visitor_browses_regions_down_to_palembang(watched_page: Any, site: str) -> None:
    page = watched_page
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten/Kota Layak Anak")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Wilayah").click()
    page.get_by_role("link", name="Sumatera Selatan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sumatera Selatan")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(17)
    page.get_by_role("link", name="Kota Palembang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Palembang")
    expect(page.get_by_role("navigation", name="Jejak navigasi")).to_contain_text("Sumatera Selatan")


def test_region_search_updates_in_place(watched_page: Any, site: str) -> None:
    page = watched_page
    page.goto(site + "/wilayah/")
    page.get_by_label("Cari wilayah (nama atau kode)").fill("lubuk")
    results = page.locator("#search-results")
    expect(results).to_contain_text("Kota Lubuk Linggau")
    expect(page).to_have_url(site + "/wilayah/?q=lubuk")


def test_instrument_browser_shows_24_indicators_in_6_groups(watched_page: Any, site: str) -> None:
    page = watched_page
    page.goto(site + "/instrumen/")
    page.get_by_role("link", name="Instrumen Evaluasi KLA 2024").click()
    expect(page.locator("details.cluster")).to_have_count(6)
    expect(page.locator("details.cluster tbody tr")).to_have_count(24)
    expect(page.get_by_role("note")).to_contain_text("Bobot referensi")
    # the weights chart is drawn by the vendored Chart.js
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('weights-chart'))")
    page.locator("details.cluster").nth(1).locator("summary").click()
    page.get_by_role("link", name="Kepemilikan Kutipan Akta Kelahiran").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("4.")
    expect(page.get_by_text("Bukti dukung").first).to_be_visible()


def test_secretariat_signs_in_creates_an_api_token_and_signs_out(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "gt-palembang")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Palembang")  # lands on its dashboard
    page.locator(".user-link").click()  # the name in the header opens the account
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    expect(page.locator("main")).to_contain_text("Sekretariat Gugus Tugas KLA")
    page.get_by_label("Nama token").fill("Sinkronisasi SIPD")
    page.get_by_role("button", name="Buat token baru").click()
    token = page.locator("#token-value").input_value()
    assert token.startswith("kla_")
    response = page.request.get(site + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json()["username"] == "gt-palembang"
    page.get_by_role("link", name="Selesai, kembali ke akun saya").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cabut").click()
    expect(page.locator(".messages")).to_contain_text("dicabut")
    assert page.request.get(site + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status == 401
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()


def test_wrong_password_is_explained(watched_page: Any, site: str) -> None:
    page = watched_page
    page.goto(site + "/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("gt-palembang")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk").last.click()
    expect(page.get_by_role("alert")).to_contain_text("kata sandi salah")


def test_secretariat_adds_an_agency_operator(watched_page: Any, site: str) -> None:
    page = watched_page
    sign_in(page, site, "gt-palembang")
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    page.get_by_label("Nama pengguna").fill("opd-dinsos")
    page.get_by_label("Nama lengkap").fill("Yusuf Hamdani")
    page.get_by_label("Email").fill("yusuf@dinsos.example.id")
    page.get_by_label("Peran").select_option(label="Operator Instansi")
    page.get_by_label("Wilayah").select_option("16.71")
    page.get_by_label("Instansi (OPD)").select_option(label="Kota Palembang · Dinas Sosial")
    page.get_by_role("button", name="Buat pengguna").click()
    expect(page.locator(".messages")).to_contain_text("Pengguna opd-dinsos dibuat")
    expect(page.get_by_role("table", name="Peran pengguna")).to_contain_text("Operator Instansi")


def test_language_switch_to_english_and_back(watched_page: Any, site: str) -> None:
    page = watched_page
    page.goto(site + "/")
    page.get_by_label("Bahasa").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Regions")
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
