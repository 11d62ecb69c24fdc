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
    page.get_by_role("radio", name="Excel (.xlsx)", exact=True).check()
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


def test_task_force_downloads_the_evidence_pack_of_its_evaluation(
    watched_page: Any, site: str, settings: Any, tmp_path: Path
) -> None:
    """From the evaluation page to the Laporan page (progress) to a ZIP whose files and list match what was uploaded."""
    import csv
    import hashlib
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kla.accounts.models import User
    from kla.evaluations.models import Evaluation
    from kla.evidence.services import evidence_upload
    from kla.evidence.tests import files

    settings.MEDIA_ROOT = tmp_path / "media"
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    entry = evaluation.entries.select_related("indicator").get(indicator__number=4)
    stored = evidence_upload(
        entry=entry,
        question=entry.indicator.questions.order_by("position").first(),
        upload=SimpleUploadedFile("Akta kelahiran 2026.pdf", files.pdf()),
        evidence_type="report",
        meta={"doc_number": "474/88/2026"},
        by=User.objects.get(username="opd-palembang"),
    ).evidence

    page = watched_page
    sign_in(page, site, "gt-palembang")
    page.goto(f"{site}/evaluasi/{evaluation.pk}/")
    page.get_by_role("button", name="Unduh paket bukti dukung (ZIP)").click()
    page.wait_for_load_state()
    assert "Paket bukti dukung sedang dikemas" in page.content()
    page.get_by_text("Siap diunduh").wait_for()
    assert "1 berkas" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").click()
    assert download.value.suggested_filename == "bukti-16.71-evaluasi-kla-demo.zip"
    with zipfile.ZipFile(download.value.path()) as pack:
        [member] = [n for n in pack.namelist() if n.endswith(".pdf")]
        assert member.endswith("Akta kelahiran 2026.pdf")
        assert hashlib.sha256(pack.read(member)).hexdigest() == stored.sha256
        [listing] = [n for n in pack.namelist() if n.endswith("daftar-bukti.csv")]
        [row] = list(csv.DictReader(pack.read(listing).decode("utf-8-sig").splitlines()))
    assert row["Nomor dokumen"] == "474/88/2026" and row["SHA-256"] == stored.sha256
