"""The second step in a real browser: a new province reviewer scans (or types) the key, notes the recovery codes,
and later signs in with one of them. The watched page fails on any console error, so a CSP violation by the QR
code would fail the test; at 390 px the pages do not scroll sideways."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "Jembatan-Ampera-Kokoh-41"


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _password_step(page: Any, site: str) -> None:
    page.goto(f"{site}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("reviewer-baru")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").last.click()


def test_enrol_with_the_qr_page_note_the_codes_and_sign_in_with_one(watched_page: Any, site: str) -> None:
    from kla.accounts import totp
    from kla.accounts.roles import Role
    from kla.accounts.services import user_create
    from kla.regions.models import Region

    user_create(
        username="reviewer-baru",
        full_name="Reviewer Baru",
        email="reviewer.baru@example.go.id",
        password=PASSWORD,
        role=Role.PROVINCE_REVIEWER,
        region=Region.objects.get(code="16"),
        by=None,
    )
    page = watched_page
    page.set_viewport_size({"width": 390, "height": 844})
    _password_step(page, site)
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan aplikasi autentikator")
    qr = page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and 200 <= box["width"] <= 260 and box["width"] == box["height"]
    _no_sideways_scroll(page)
    # the person types the key shown in blocks of four into their app; the app shows the code
    key = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)
    page.get_by_label("Kode verifikasi").fill(totp.code_at(key, time.time()))
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode pemulihan")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", c) for c in codes)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Saya sudah menyimpan kode ini, lanjutkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi")  # the reviewer lands on the queue
    page.get_by_role("button", name="Menu").click()  # on a phone the header folds its menu and account away
    page.locator(".user-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    expect(page.locator("#recovery-codes + .card")).to_contain_text("Tersisa 10 kode pemulihan")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Keluar").click()
    # the phone is at home: a recovery code instead of the app's code
    _password_step(page, site)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode verifikasi")
    page.get_by_label("Kode verifikasi atau kode pemulihan").fill(codes[0].lower())
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_text("Tersisa 9 kode pemulihan.")).to_be_visible()
