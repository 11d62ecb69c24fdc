"""The field photo form stays on the page after an upload: its "Memeriksa berkas…" status and progress bar must go
once the request ends, whether the photo was stored or refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

CHECKING = """() => {
  const state = document.querySelector("form[data-upload] .upload-state");
  state.textContent = state.dataset.checking;  // what the last progress event of a slow upload leaves there
}"""


def test_the_checking_status_clears_after_a_photo_upload(
    watched_page: Any, site: str, settings: Any, tmp_path: Any
) -> None:
    from kla.fieldvisits.tests.matrix import field_site, gps_jpeg

    settings.MEDIA_ROOT = tmp_path / "media"
    visit = field_site()
    page = watched_page
    sign_in(page, site, "kemen-lapangan")
    page.goto(f"{site}/verifikasi-lapangan/lokasi/{visit.pk}/")
    form = page.locator("form[data-upload]")
    state = form.locator(".upload-state")

    page.evaluate(CHECKING)
    expect(state).to_have_text("Memeriksa berkas…")
    form.get_by_label("Ambil atau pilih foto").set_input_files(
        files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}]
    )
    form.get_by_role("button", name="Unggah foto").click()
    expect(page.locator("#photos").get_by_role("status")).to_contain_text("Foto tersimpan")
    expect(state).to_have_text("")
    expect(form.locator(".upload-progress")).to_be_hidden()

    # a refused file: the message shows in the list's place, and the status is cleared as well
    page.evaluate(CHECKING)
    form.get_by_label("Ambil atau pilih foto").set_input_files(
        files=[{"name": "bukan-foto.jpg", "mimeType": "image/jpeg", "buffer": b"MZ" + bytes(4000)}]
    )
    form.get_by_role("button", name="Unggah foto").click()
    expect(page.locator("#photos").get_by_role("alert")).to_contain_text("Foto tidak disimpan")
    expect(state).to_have_text("")


def test_an_upload_the_server_never_answered_says_so_and_the_second_try_stores_it(
    watched_page: Any, site: str, tmp_path: Any
) -> None:
    """An application server dies mid-upload: nginx answers 502 with its own page, which the form cannot show. The
    person is told the file is not stored and what to do; the file is still chosen, so pressing again sends it."""
    from kla.evidence.tests import files

    page = watched_page
    sign_in(page, site, "opd-palembang")
    page.get_by_role("link", name="4. Kepemilikan Kutipan Akta Kelahiran").click()
    evidence = page.locator(".evidence").first
    evidence.get_by_text("Unggah bukti dukung").click()
    pdf = tmp_path / "Rekap Akta 2025.pdf"
    pdf.write_bytes(files.pdf(pages=2))
    evidence.get_by_label("Berkas").set_input_files(str(pdf))

    def bad_gateway(route: Any) -> None:
        route.fulfill(status=502, content_type="text/html", body="<html><body>502 Bad Gateway</body></html>")

    upload_url = re.compile(r".*/entri/\d+/bukti/\d+/$")
    page.route(upload_url, bad_gateway)
    evidence.get_by_role("button", name="Unggah").click()
    state = evidence.locator(".upload-state")
    expect(state).to_contain_text("Unggahan gagal: server tidak menjawab (kode 502). Berkas belum tersimpan")
    expect(evidence).not_to_contain_text("Tersimpan: Rekap Akta 2025.pdf")
    assert page.console_errors and all("502" in e for e in page.console_errors)  # the browser logs the 502 we made
    page.console_errors.clear()

    page.unroute(upload_url)
    evidence.get_by_role("button", name="Unggah").click()  # the same file, still chosen
    expect(page.locator(".evidence").first).to_contain_text("Tersimpan: Rekap Akta 2025.pdf")
