"""People who come and go, in a real browser: Kota Palembang's secretariat imports two operators from the downloaded
template, one of them sets a password from the welcome email and leaves the post; the secretariat hands that
operator's work to the other in one action, and the one who left can no longer sign in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
PASSWORD = "Sungai-Musi-Jembatan-Ampera-26"


def _sign_in_with(page: Any, site: str, username: str, password: str) -> None:
    page.goto(f"{site}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").last.click()


def _fill_template(download: Any, folder: Path, siti: str, budi: str) -> Path:
    template = folder / "templat.xlsx"
    download.save_as(template)
    book = load_workbook(template)
    sheet = book.worksheets[0]
    sheet.append(
        [
            "opd-siti",
            "Siti Aminah",
            "siti@palembang.example.id",
            "Staf",
            "Operator Instansi",
            "16.71 Kota Palembang",
            siti,
        ]
    )
    sheet.append(
        [
            "opd-budi",
            "Budi Santoso",
            "budi@palembang.example.id",
            "Staf",
            "Operator Instansi",
            "16.71 Kota Palembang",
            budi,
        ]
    )
    filled = folder / "pengguna.xlsx"
    book.save(filled)
    return filled


def test_secretariat_imports_two_operators_and_hands_one_operators_work_to_the_other(
    watched_page: Any, site: str, tmp_path: Path
) -> None:
    from kla.agencies.models import Agency

    disdukcapil = Agency.objects.get(region_id="16.71", kind="DISDUKCAPIL")
    dinkes = Agency.objects.get(region_id="16.71", kind="DINKES")
    page = watched_page
    sign_in(page, site, "gt-palembang")
    page.get_by_role("link", name="Pengguna").first.click()
    page.get_by_role("link", name="Impor dari lembar kerja").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh templat (XLSX)").click()
    filled = _fill_template(download.value, tmp_path, disdukcapil.name, dinkes.name)
    page.get_by_label("Berkas daftar pengguna").set_input_files(str(filled))
    page.get_by_role("button", name="Impor").click()
    expect(page.locator(".messages")).to_contain_text("2 pengguna diimpor")
    expect(page.locator("main")).to_contain_text("Siti Aminah")
    page.get_by_role("button", name="Keluar").click()

    # Siti sets her password from the welcome email and signs in
    to_siti = next(m for m in mail.outbox if m.to == ["siti@palembang.example.id"])
    link = re.search(r"https?://\S+/akun/atur-sandi/\S+/", to_siti.body)
    assert link is not None
    page.goto(link.group(0))
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    _sign_in_with(page, site, "opd-siti", PASSWORD)
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    page.get_by_role("button", name="Keluar").click()

    # Siti leaves her post: the secretariat hands her work to Budi in one action
    sign_in(page, site, "gt-palembang")
    page.get_by_role("link", name="Pengguna").first.click()
    page.get_by_role("link", name="Siti Aminah").click()
    page.get_by_role("link", name="Serahkan pekerjaan dan nonaktifkan").click()
    expect(page.locator("#work-memberships")).to_contain_text(
        f"Operator Instansi · Kota Palembang · {disdukcapil.short_name}"
    )
    page.get_by_label("Pengganti").select_option(label="Budi Santoso (opd-budi)")
    page.get_by_label("Alasan").fill("Pindah tugas ke Dinas Pendidikan.")
    page.get_by_role("button", name="Serahkan ke pengganti").click()
    expect(page.locator(".messages")).to_contain_text("Siti Aminah dinonaktifkan")
    expect(page.locator("main table")).not_to_contain_text("Siti Aminah")
    page.get_by_role("link", name="Budi Santoso").click()
    roles = page.locator("main table").first
    expect(roles).to_contain_text(disdukcapil.short_name)  # Siti's role, handed over
    expect(roles).to_contain_text(dinkes.short_name)
    page.get_by_role("button", name="Keluar").click()

    # Siti can no longer sign in
    _sign_in_with(page, site, "opd-siti", PASSWORD)
    expect(page.locator("main")).to_contain_text("Nama pengguna atau kata sandi salah")
    assert "/akun/masuk/" in page.url
