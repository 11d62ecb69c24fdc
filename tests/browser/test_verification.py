"""The whole cycle in a real browser: submit, a return with a reason, the fix, the province's proposal, the ministry's
verification, field verification, determination under seal, publication by two administrators, and the public result.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def as_user(page: Any, site: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, site, username)


def step(page: Any, label: str) -> None:
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_a_full_cycle_from_submission_to_publication(watched_page: Any, site: str) -> None:
    from kla.demo.answers import fill_answers
    from kla.evaluations.models import Evaluation

    page = watched_page
    evaluation = Evaluation.objects.select_related("cycle").get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    fill_answers(evaluation, seed=11, strength=0.8)  # the answering itself is another journey

    # 1. the secretariat submits (acknowledging the missing evidence)
    as_user(page, site, "gt-palembang")
    page.goto(f"{site}/evaluasi/{evaluation.pk}/")
    ack = page.get_by_label(re.compile("kekurangan", re.I))
    if ack.count():
        ack.check()
    step(page, "Kirim ke provinsi")
    assert "Evaluasi mandiri dikirim" in page.content()

    # 2. the province starts its review and returns one indicator with a reason
    as_user(page, site, "prov-sumsel")
    page.goto(f"{site}/verifikasi/")
    page.get_by_role("link", name=re.compile("Palembang", re.I)).first.click()
    step(page, "Mulai verifikasi administrasi provinsi")
    page.get_by_label("Pilih indikator 4", exact=True).check()
    page.get_by_label("Alasan (wajib)").fill("Akta kelahiran yang diunggah tidak terbaca; unggah ulang.")
    step(page, "Kembalikan indikator terpilih")
    assert "1 indikator dikembalikan" in page.content()

    # 3. the kab/kota reads the reason, fixes and resubmits just that indicator
    as_user(page, site, "gt-palembang")
    entry = evaluation.entries.get(indicator__number=4)
    page.goto(f"{site}/entri/{entry.pk}/")
    assert "tidak terbaca" in page.content()
    step(page, "Kirim ulang indikator ini")
    assert "dikirim ulang" in page.content()

    # 4. the province accepts everything and proposes Palembang with a letter
    as_user(page, site, "prov-sumsel")
    page.goto(f"{site}/verifikasi/evaluasi/{evaluation.pk}/")
    page.get_by_label("Pilih semua indikator").check()
    step(page, "Terima indikator terpilih")
    page.goto(f"{site}/verifikasi/evaluasi-kla-demo/provinsi/16/")
    assert "Status Provinsi Layak Anak" in page.content() and "Belum memenuhi syarat" in page.content()
    page.get_by_label(re.compile("Usulkan KOTA PALEMBANG", re.I)).check()
    page.get_by_label("Nomor surat").fill("400.2/123/DPPPA/2026")
    step(page, "Usulkan kabupaten/kota terpilih")
    assert "1 kabupaten/kota diusulkan" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="400.2/123/DPPPA/2026").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # 5. the ministry verifies; Palembang (Pratama 2021-2023) changes level, so it goes to field verification
    as_user(page, site, "kemen-verifikator")
    page.goto(f"{site}/verifikasi/evaluasi/{evaluation.pk}/")
    step(page, "Mulai verifikasi administrasi Kementerian")
    page.get_by_label("Pilih semua indikator").check()
    step(page, "Terima indikator terpilih")
    step(page, "Selesaikan verifikasi administrasi")
    assert "Tahap sekarang: Verifikasi lapangan" in page.content()

    # 6. field verification on a phone: a plan, a site, a photo with the phone's location, VL points, finish
    from kla.fieldvisits.models import FieldPhoto, FieldSite
    from kla.fieldvisits.tests.matrix import gps_jpeg

    as_user(page, site, "kemen-lapangan")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -2.9761, "longitude": 104.7754, "accuracy": 9})
    page.goto(f"{site}/verifikasi-lapangan/plan/{evaluation.pk}/")
    page.locator("input[name=visit_date]").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.locator("select[name=mode]").select_option(index=1)
    step(page, "Simpan rencana")
    assert "Belum ada rencana kunjungan" not in page.content()
    page.get_by_label("Nama lokasi", exact=True).fill("SD Negeri 1 Palembang")
    step(page, "Tambah lokasi")
    visit = FieldSite.objects.get(plan__evaluation=evaluation, name="SD Negeri 1 Palembang")
    page.goto(f"{site}/verifikasi-lapangan/lokasi/{visit.pk}/")
    page.locator("[data-geo-status][data-state=ok]").wait_for(timeout=10000)
    page.get_by_label("Ambil atau pilih foto").set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}]
    )
    page.get_by_role("button", name="Unggah foto").click()
    page.locator("#photos").get_by_text("Foto tersimpan (dengan lokasi)").wait_for()
    photo = FieldPhoto.objects.get(site=visit)
    assert photo.latitude is not None and abs(float(photo.latitude) + 2.9761) < 0.001  # the phone's, not the file's
    page.goto(f"{site}/verifikasi-lapangan/nilai/{evaluation.pk}/")
    first = evaluation.entries.get(indicator__number=1)
    page.locator(f"#vp-{first.pk}").fill("20")
    page.locator(f"#vr-{first.pk}").fill("Perda KLA belum diundangkan; baru Perwal.")
    page.locator(f"#vp-{first.pk}").locator("xpath=ancestor::form").get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    page.once("dialog", lambda dialog: dialog.accept())  # "poin VL tidak dapat diubah lagi": confirmed
    step(page, "Selesaikan verifikasi lapangan")
    evaluation.refresh_from_db()
    assert evaluation.status == "final_verification"

    # 7. the ministry administrator determines the final score and predicate: sealed from the region
    as_user(page, site, "kemen-admin")
    page.goto(f"{site}/verifikasi/evaluasi/{evaluation.pk}/")
    step(page, "Tetapkan nilai akhir dan predikat")
    assert "Tahap sekarang: Ditetapkan (disegel)" in page.content()

    # 8. before publication the kab/kota sees its EM and a sealed notice, no predicate
    from kla.results.models import StageScore

    final = StageScore.objects.get(evaluation=evaluation, stage="final")
    band = evaluation.cycle.framework.bands.get(code=final.band_code).name
    as_user(page, site, "gt-palembang")
    page.goto(f"{site}/hasil/evaluasi-kla-demo/evaluasi/{evaluation.pk}/")
    sheet = page.content()
    assert "disegel sampai pengumuman" in sheet
    assert f"{final.total:.2f}".replace(".", ",") not in sheet and f"{final.total:.2f}" not in sheet

    # 9. publication: one administrator asks, a second one confirms
    as_user(page, site, "kemen-admin")
    page.goto(f"{site}/hasil/evaluasi-kla-demo/pengumuman/")
    step(page, "Minta pengumuman")
    assert "administrator lain" in page.content()
    as_user(page, site, "kemen-admin2")
    page.goto(f"{site}/hasil/evaluasi-kla-demo/pengumuman/")
    page.once("dialog", lambda dialog: dialog.accept())
    step(page, "Konfirmasi pengumuman")
    evaluation.refresh_from_db()
    assert evaluation.status == "published"

    # 10. the region now sees its score sheet and predicate; the public sees the predicate and the province's status
    as_user(page, site, "gt-palembang")
    page.goto(f"{site}/hasil/evaluasi-kla-demo/evaluasi/{evaluation.pk}/")
    assert band in page.content() and "disegel" not in page.content()
    page.context.clear_cookies()
    page.goto(f"{site}/hasil/evaluasi-kla-demo/?provinsi=16")
    public = page.content()
    assert band in public and "Provinsi Layak Anak" in public and "Belum memenuhi syarat" in public
