"""The field photo form stays on the page after an upload: its "Memeriksa berkas…" status and progress bar must go
once the request ends, whether the photo was stored or refused."""

from __future__ import annotations

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
