"""The README's quick-start journey, walked the way a new user does: the demo logins, then only links and buttons.

Each person signs in and lands on their work (the landing page depends on the role); every next step is found by
clicking. Answers are typed the Indonesian way (`1.500` is fifteen hundred, `1,5` one and a half, `1,250` is
ambiguous and answered with a hint), a file goes through the upload form, Palembang submits above the gate, Lubuk
Linggau submits one indicator below it (sees its EM score against the gate, confirms) and takes the submission back,
and the province reviewer finds Palembang in its queue, returns an indicator with a reason (the secretariat finds it
on its dashboard and sends it again), accepts everything and proposes Palembang with a letter.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from kla.evidence.tests import files
from tests.browser.conftest import sign_in
from tests.browser.readme_steps import INDICATOR_4, answer_all_but_indicator_4, question, sign_out, type_answer

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def test_the_readme_journey_by_clicking(watched_page: Any, site: str, media: Path, tmp_path: Path) -> None:
    page = watched_page
    answer_all_but_indicator_4("16.71")

    # 1. the operator lands on "Tugas saya" and opens indicator 4 from it
    sign_in(page, site, "opd-palembang")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tugas saya")
    page.get_by_role("link", name=INDICATOR_4).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR_4)

    # 4.1: "1.500" of "2.000" is 1500 of 2000 (75 %), not 1,5 of 2
    first = question(page, "4.1")
    type_answer(first, "numerator", "1.500")
    type_answer(first, "denominator", "2.000")
    expect(question(page, "4.1").locator(".save-state")).to_contain_text("Tersimpan")
    expect(question(page, "4.1")).to_contain_text("75,00%")
    expect(question(page, "4.1").locator(".points")).to_have_text("8 poin")

    # "1,250" could be a thousand or one and a quarter: refused with a hint, nothing saved, the typed text kept
    type_answer(question(page, "4.1"), "numerator", "1,250")
    expect(question(page, "4.1").get_by_role("alert")).to_contain_text("dapat dibaca dua cara")
    expect(question(page, "4.1").get_by_role("alert")).to_contain_text("Tulis 1.250 jika maksudnya ribuan")
    expect(question(page, "4.1").locator("input[name=numerator]")).to_have_value("1,250")
    type_answer(question(page, "4.1"), "numerator", "1.900")
    expect(question(page, "4.1").locator(".save-state")).to_contain_text("Tersimpan")
    expect(question(page, "4.1")).to_contain_text("95,00%")
    expect(question(page, "4.1").locator(".points")).to_have_text("25 poin")

    # 4.2: "1,5" of "3" is one and a half of three (50 %)
    second = question(page, "4.2")
    type_answer(second, "numerator", "1,5")
    type_answer(second, "denominator", "3")
    expect(question(page, "4.2").locator(".save-state")).to_contain_text("Tersimpan")
    expect(question(page, "4.2")).to_contain_text("50,00%")
    expect(question(page, "4.2").locator(".points")).to_have_text("4 poin")
    expect(page.locator("#score-panel")).to_contain_text("Poin indikator ini: 29 / 45")

    # evidence for 4.1 through the upload form
    evidence = page.locator(".evidence").first
    evidence.get_by_text("Unggah bukti dukung").click()
    pdf = tmp_path / "Rekap Akta per Kecamatan 2025.pdf"
    pdf.write_bytes(files.pdf(pages=3))
    evidence.get_by_label("Berkas").set_input_files(str(pdf))
    evidence.get_by_label("Keterangan").fill("Rekapitulasi SIAK per kecamatan, ditandatangani Kepala Disdukcapil.")
    evidence.get_by_role("button", name="Unggah").click()
    expect(page.locator(".evidence").first).to_contain_text("Tersimpan: Rekap Akta per Kecamatan 2025.pdf")
    expect(page.locator(".evidence").first).to_contain_text("3 hlm.")
    sign_out(page)

    # 2. the secretariat lands on its dashboard, sees the EM score above the gate and submits
    from kla.evaluations.models import Evaluation

    palembang = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    sign_in(page, site, "gt-palembang")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Palembang")
    gate = page.get_by_test_id("gate-check")
    expect(gate).to_contain_text("melebihi ambang batas")
    expect(gate).not_to_contain_text("tidak melebihi")
    acknowledge = page.get_by_label("Saya mengirim evaluasi ini dengan kekurangan yang tercantum di atas.")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Kirim ke provinsi").click()
    expect(page.locator(".messages")).to_contain_text("Evaluasi mandiri dikirim")
    sign_out(page)

    # 3. Lubuk Linggau answers one indicator, is told it is below the gate, confirms, then takes it back
    sign_in(page, site, "gt-lubuklinggau")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Lubuk Linggau")
    page.get_by_role("link", name="Kepemilikan Kutipan Akta Kelahiran").click()
    type_answer(question(page, "4.1"), "numerator", "1.900")
    type_answer(question(page, "4.1"), "denominator", "2.000")
    expect(question(page, "4.1").locator(".points")).to_have_text("25 poin")
    page.get_by_role("link", name="Kembali ke dasbor evaluasi").click()
    gate = page.get_by_test_id("gate-check")
    expect(gate).to_contain_text("Nilai EM saat ini: 25,00")
    expect(gate).to_contain_text("tidak melebihi ambang batas")
    page.get_by_label("Saya mengirim evaluasi ini dengan kekurangan yang tercantum di atas.").check()
    page.get_by_role("button", name="Kirim ke provinsi").click()  # not confirmed yet: refused, with the reason
    expect(page.locator(".messages")).to_contain_text("Nilai EM 25,00 tidak melebihi ambang batas 500")
    page.get_by_label("Saya mengirim evaluasi ini dengan kekurangan yang tercantum di atas.").check()
    page.get_by_label(re.compile("Saya memahami bahwa nilai EM 25,00 tidak melebihi ambang batas 500")).check()
    page.get_by_role("button", name="Kirim ke provinsi").click()
    expect(page.locator(".messages")).to_contain_text("Evaluasi mandiri dikirim dengan nilai EM 25,00")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tarik kiriman").click()
    expect(page.locator(".messages")).to_contain_text("Kiriman ditarik")
    expect(page.get_by_role("button", name="Kirim ke provinsi")).to_be_visible()
    sign_out(page)

    # 4. the province reviewer lands on its queue, opens Palembang, reviews, accepts and proposes it
    sign_in(page, site, "prov-sumsel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi")
    page.get_by_role("table").get_by_role("link", name="Kota Palembang").click()
    assert urlparse(page.url).path == f"/verifikasi/evaluasi/{palembang.pk}/"
    page.get_by_role("button", name="Mulai verifikasi administrasi provinsi").click()
    expect(page.locator(".messages")).to_be_visible()
    page.get_by_label("Pilih indikator 4", exact=True).check()
    page.get_by_label("Alasan (wajib)").fill("Rekap akta belum memuat Kecamatan Alang-Alang Lebar; lengkapi.")
    page.get_by_role("button", name="Kembalikan indikator terpilih").click()
    expect(page.locator(".messages")).to_contain_text("1 indikator dikembalikan")
    sign_out(page)

    # the secretariat finds the returned indicator on its dashboard, opens it and sends it again
    sign_in(page, site, "gt-palembang")
    returned = page.locator("#dikembalikan")
    expect(returned).to_contain_text("Alang-Alang Lebar")
    returned.get_by_role("link", name=INDICATOR_4).click()
    expect(page.locator("main")).to_contain_text("Alang-Alang Lebar")
    page.get_by_role("button", name="Kirim ulang indikator ini").click()
    expect(page.locator(".messages")).to_contain_text("dikirim ulang")
    sign_out(page)

    # the province accepts everything and proposes Palembang
    sign_in(page, site, "prov-sumsel")
    page.get_by_role("table").get_by_role("link", name="Kota Palembang").click()
    page.get_by_label("Pilih semua indikator").check()
    page.get_by_role("button", name="Terima indikator terpilih").click()
    expect(page.locator(".messages")).to_contain_text("diterima")
    # the next step names the proposal and leads to the province page
    page.get_by_test_id("next-step").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sumatera Selatan")
    page.get_by_label(re.compile("Usulkan KOTA PALEMBANG", re.I)).check()
    page.get_by_label("Nomor surat").fill("400.2/123/DPPPA/2026")
    page.get_by_role("button", name="Usulkan kabupaten/kota terpilih").click()
    expect(page.locator(".messages")).to_contain_text("1 kabupaten/kota diusulkan")
    with page.expect_download() as download:
        page.get_by_role("link", name="400.2/123/DPPPA/2026").click()
    assert download.value.suggested_filename.endswith(".pdf")
