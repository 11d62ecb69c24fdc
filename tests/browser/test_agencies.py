"""Onboarding a kab/kota the demo never touched, in a real browser: the ministry administrator creates the
secretariat user, who sets a password from the e-mailed link, registers agencies from the catalogue and from a
spreadsheet, creates an operator and assigns the indicators."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
PASSWORD = "Pelangi-Senja-Kopi-Hangat-77"


def _sign_in_with(page: Any, site: str, username: str, password: str) -> None:
    page.goto(f"{site}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def _create_user(page: Any, username: str, role: str, region: str, agency: str | None = None) -> None:
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Nama lengkap").fill(username.replace("-", " ").title())
    page.get_by_label("Email").fill(f"{username}@oku.example.id")
    page.get_by_label("Peran").select_option(label=role)
    page.get_by_label("Wilayah").select_option(region)
    if agency:
        page.get_by_label("Instansi (OPD)").select_option(label=agency)
    page.get_by_role("button", name="Buat pengguna").click()
    expect(page.locator(".messages")).to_contain_text(f"Pengguna {username} dibuat")


def test_ministry_onboards_a_kabkota_and_its_secretariat_registers_agencies(
    watched_page: Any, site: str, tmp_path: Path
) -> None:
    page = watched_page
    sign_in(page, site, "kemen-admin")
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    _create_user(page, "gt-oku", "Sekretariat Gugus Tugas KLA", "16.01")
    page.get_by_role("button", name="Keluar").click()

    # the secretariat sets a password from the e-mailed link and signs in
    link = re.search(r"https?://\S+/akun/atur-sandi/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0))
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.locator("main")).not_to_contain_text("Buat kata sandi baru")
    _sign_in_with(page, site, "gt-oku", PASSWORD)

    # agencies: one from the catalogue (the list updates in place), two from a spreadsheet
    page.get_by_role("link", name="Instansi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instansi Kabupaten Ogan Komering Ulu")
    page.get_by_label("Jenis instansi").select_option(label="Dinas Kependudukan dan Pencatatan Sipil")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.locator("#registry table").first).to_contain_text(
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Ogan Komering Ulu"
    )
    sheet = tmp_path / "instansi.csv"
    sheet.write_text("jenis;nama;singkatan\nDINKES;Dinas Kesehatan OKU;\nDINAS_GAIB;Dinas Gaib;\n", encoding="utf-8")
    page.get_by_role("link", name="Impor dari lembar kerja").click()
    page.get_by_label("Berkas daftar instansi").set_input_files(str(sheet))
    page.get_by_role("button", name="Impor").click()
    expect(page.locator("main")).to_contain_text("Baris 3, kolom jenis: jenis instansi tidak dikenal: DINAS_GAIB.")
    sheet.write_text(
        "jenis;nama;singkatan\nDINKES;Dinas Kesehatan OKU;\nDISDIK;Dinas Pendidikan OKU;\n", encoding="utf-8"
    )
    page.get_by_label("Berkas daftar instansi").set_input_files(str(sheet))
    page.get_by_role("button", name="Impor").click()
    expect(page.locator(".messages")).to_contain_text("2 instansi diimpor")

    # an operator for Disdukcapil, then the indicators assigned from the instrument
    page.get_by_role("link", name="Tambah Operator Instansi").click()
    _create_user(page, "opd-oku", "Operator Instansi", "16.01", "Kabupaten Ogan Komering Ulu · Disdukcapil")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Evaluasi", exact=True).click()
    page.get_by_role("link", name="Kabupaten Ogan Komering Ulu").first.click()
    page.get_by_role("button", name="Tugaskan otomatis sesuai instrumen (indikator yang belum ditugaskan)").click()
    expect(page.locator("main")).to_contain_text("Disdukcapil")
