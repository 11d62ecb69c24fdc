"""Sentences built inside pure modules read in the reader's language (issue 21 item 14): the workflow's step
refusals, the evidence inspection's refusals and notes, the spreadsheet row errors of the imports (RAD KLA plan,
agencies, people) and the failure messages background tasks keep in a row. Each family is triggered on an English
page (cookie ``django_language=en``) and on an Indonesian one: English there, the pure module's Indonesian here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kla.agencies.tests.test_views import _xlsx
from kla.demo.answers import fill_answers
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.evidence.tests import files
from kla.people.tests.sheets import xlsx as people_xlsx
from kla.rad.tests import builders as b
from kla.rad.tests.test_spreadsheet import fill
from kla.reports.models import Export
from kla.reports.tasks import FAILED as EXPORT_FAILED
from kla.verification.models import ProposalLetter
from kla.verification.tasks import LETTER_LOST

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _in(client_for: Clients, persona: str, lang: str) -> Client:
    client = client_for(persona)
    client.cookies["django_language"] = lang
    return client


def _flash(response: Any) -> str:
    """The last message the page flashed (a signed-in persona may have others waiting)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# --- the workflow: a step refused by `workflow.refusal` and `gate.stop_refusal` -------------------------------------


def test_a_refused_step_reads_in_the_readers_language(client_for: Clients) -> None:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    fill_answers(evaluation, seed=7, strength=0.0)
    submit = reverse("evaluations:evaluation_submit", args=[evaluation.pk])
    client_for("secretariat").post(submit, {"acknowledge_missing": "on", "confirm_below_gate": "1"})
    step = reverse("verification:step", args=[evaluation.pk])

    english = _in(client_for, "province", "en")
    below = _flash(english.post(step, {"step": "start_province_review"}))
    assert below.startswith("The self-assessment score (") and "must be above 500 to go on to verification" in below
    assert 'Close this evaluation with the step "Close: below the threshold".' in below
    early = _flash(english.post(step, {"step": "stop_at_gate"}))
    assert early.startswith("The self-assessment stage is open until ") and " at " in early and "WIB" in early
    role = _flash(_in(client_for, "ministry_verifier", "en").post(step, {"step": "start_ministry_review"}))
    assert role.startswith('The step "') and "can only be taken at the stage" in role, role

    indonesian = _in(client_for, "province", "id")
    below = _flash(indonesian.post(step, {"step": "start_province_review"}))
    assert "harus lebih dari 500 untuk lanjut ke verifikasi" in below
    assert 'Tutup evaluasi ini dengan langkah "Tutup: tidak memenuhi ambang batas".' in below
    early = _flash(indonesian.post(step, {"step": "stop_at_gate"}))
    assert early.startswith("Tahap evaluasi mandiri masih terbuka sampai ") and " pukul " in early


def test_a_refused_withdrawal_reads_in_the_readers_language(client_for: Clients) -> None:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    withdraw = reverse("evaluations:evaluation_withdraw", args=[evaluation.pk])
    english = _flash(_in(client_for, "secretariat", "en").post(withdraw))
    assert english == "This evaluation has not been submitted, so there is nothing to withdraw."
    indonesian = _flash(_in(client_for, "secretariat", "id").post(withdraw))
    assert indonesian == "Evaluasi ini belum dikirim, sehingga tidak ada yang ditarik."


# --- evidence: the inspection's refusal, the policy sentence and the notes kept on the file --------------------------


HTML_PAGE = b"<!doctype html><html><body><p>Laporan</p></body></html>"


def _upload(client: Client, entry: Entry, name: str, data: bytes) -> str:
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    url = reverse("evidence:upload", args=[entry.pk, question.pk])
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(url, {"file": upload, "evidence_type": "report"}, headers={"HX-Request": "true"})
    return str(response.content.decode())


def test_an_upload_refusal_and_a_kept_note_read_in_the_readers_language(client_for: Clients, media: Path) -> None:
    entry = Entry.objects.select_related("indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )
    english = _in(client_for, "opd", "en")
    page = _upload(english, entry, "laporan.pdf", HTML_PAGE)
    assert "This file is not a PDF although its name ends in .pdf (its content looks like an HTML web page)." in page
    assert "Accepted types: PDF (max. 50 MB), JPG/PNG/WebP images (max. 20 MB)" in page
    page = _upload(english, entry, "aktif.pdf", files.pdf(open_action_js=True))
    assert "This PDF contains active content (automatic actions); the file was accepted but should be checked." in page

    indonesian = _in(client_for, "opd", "id")
    page = _upload(indonesian, entry, "laporan.pdf", HTML_PAGE)
    assert "Berkas ini bukan PDF meskipun namanya berakhiran .pdf (isinya tampak seperti halaman web HTML)." in page
    assert "Jenis yang diterima: PDF (maks. 50 MB), gambar JPG/PNG/WebP (maks. 20 MB)" in page
    detail = indonesian.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert (
        "PDF ini berisi konten aktif (tindakan otomatis); berkas diterima tetapi sebaiknya diperiksa." in detail
    )  # the same stored note
    detail = english.get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert (
        "This PDF contains active content (automatic actions); the file was accepted but should be checked." in detail
    )


# --- spreadsheet imports: RAD KLA plan, agencies, people ------------------------------------------------------------


def _plan_row(activity: str, amount: Any, year: Any = 2025) -> list[Any]:
    row: list[Any] = [b.indicators()[0].code, "Program", None, activity, None, None, None, b.agency("DPUPR").name]
    return [*row, None, None, year, "APBN", amount, None]


def test_rad_plan_row_errors_read_in_the_readers_language(client_for: Clients) -> None:
    plan = b.plan()
    url = f"/rad/lembar-kerja/{plan.pk}/impor-rencana/"
    english = _in(client_for, "secretariat", "en")
    template = english.get(f"/rad/lembar-kerja/{plan.pk}/templat-rencana.xlsx").content
    rows = [_plan_row("Taman", "1.000.000", year="dua ribu"), _plan_row("Taman", "1.000.000", year=2040)]
    page = english.post(url, {"file": fill(template, rows)}).content.decode()
    assert "Row 2, column Tahun: fill in the year in digits, for example 2025." in page
    assert "Row 3, column Tahun:" in page and "Baris" not in page
    page = _in(client_for, "secretariat", "id").post(url, {"file": fill(template, rows)}).content.decode()
    assert "Baris 2, kolom Tahun: isi tahun dengan angka, misalnya 2025." in page


def test_agency_import_row_errors_read_in_the_readers_language(client_for: Clients) -> None:
    rows = [["jenis", "nama", "singkatan"], ["DINAS_GAIB", "Dinas Gaib", None], ["DINSOS", None, "Tanpa nama"]]
    url = "/wilayah/16.71/instansi/impor/"
    page = _in(client_for, "secretariat", "en").post(url, {"file": SimpleUploadedFile("i.xlsx", _xlsx(rows))})
    text = page.content.decode()
    assert "Row 2, column jenis: unknown agency type: DINAS_GAIB." in text
    assert "Row 3, column nama: the agency name is required." in text
    page = _in(client_for, "secretariat", "id").post(url, {"file": SimpleUploadedFile("i.xlsx", _xlsx(rows))})
    assert "Baris 2, kolom jenis: jenis instansi tidak dikenal: DINAS_GAIB." in page.content.decode()


def test_people_import_row_errors_read_in_the_readers_language(client_for: Clients) -> None:
    rows = [["opd-tanpa", "T", "t@contoh.go.id", "", "Operator Instansi", "16.71", ""]]
    url = reverse("people:import")
    english = _in(client_for, "secretariat", "en")
    text = english.post(url, {"file": people_xlsx(english, rows)}).content.decode()
    assert "Row 2, column Instansi: The Agency operator role needs its agency chosen." in text
    indonesian = _in(client_for, "secretariat", "id")
    text = indonesian.post(url, {"file": people_xlsx(indonesian, rows)}).content.decode()
    assert "Baris 2, kolom Instansi: Peran Operator Instansi harus memilih instansinya." in text


# --- background tasks: failure messages kept in a row ---------------------------------------------------------------


def test_task_failures_kept_in_a_row_read_in_the_readers_language(client_for: Clients, user_of: Any) -> None:
    province = user_of("province")
    Export.objects.create(
        kind="rekap-evaluasi",
        cycle_code="evaluasi-kla-demo",
        format="csv",
        requested_by=province,
        status=Export.Status.FAILED,
        error=EXPORT_FAILED,
    )
    page = _in(client_for, "province", "en").get(reverse("reports:index")).content.decode()
    assert "The report could not be made because of a system error." in page
    page = _in(client_for, "province", "id").get(reverse("reports:index")).content.decode()
    assert "Laporan gagal dibuat karena kesalahan sistem." in page

    letter = ProposalLetter.objects.create(
        province_id="16", cycle=Cycle.objects.get(code="evaluasi-kla-demo"), number="1/2026", context={}
    )
    ProposalLetter.objects.filter(pk=letter.pk).update(status=ProposalLetter.Status.FAILED, error=LETTER_LOST)
    letter.refresh_from_db()
    with translation.override("en"):
        assert letter.error_text == "The background worker stopped; please create the letter again."
    with translation.override("id"):
        assert letter.error_text == "Pekerja tugas latar berhenti; silakan buat surat lagi."
