"""Evidence as verifiers read it, through the HTTP stack: what the upload check noted (a PDF's active content) is kept
on the file and shown with its scan status, document date, issuer, period and description on the entry page, the
verification page and the API; the upload form takes a description and keeps what was typed when a file is refused;
each question lists its required evidence with a tick, and the submission names what is still missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.accounts.services import token_create
from kla.core.models import AuditEvent
from kla.demo.answers import fill_answers
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import evaluation_submit
from kla.evaluations.workflow import Step
from kla.evidence.models import Evidence
from kla.evidence.tests import files
from kla.evidence.tests.fake_clamd import read_instream
from kla.indicators.models import Question
from kla.verification.services import steps

pytestmark = pytest.mark.django_db

ACTIVE_CONTENT = "PDF ini berisi konten aktif (tindakan otomatis)"
PALEMBANG = "16.71"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def evaluation() -> Evaluation:
    return Evaluation.objects.select_related("cycle", "region").get(
        cycle__code="evaluasi-kla-demo", region_id=PALEMBANG
    )


def entry_of(evaluation: Evaluation, number: int) -> Entry:
    return Entry.objects.select_related("indicator").get(evaluation=evaluation, indicator__number=number)


def question(entry: Entry, code: str) -> Question:
    return entry.indicator.questions.get(code=code)


def upload(client: Client, entry: Entry, code: str, name: str, data: bytes, **fields: str) -> Any:
    """The evidence form of question `code`, as the page's htmx posts it."""
    return client.post(
        reverse("evidence:upload", args=[entry.pk, question(entry, code).pk]),
        {"file": SimpleUploadedFile(name, data), **fields},
        headers={"HX-Request": "true"},
    )


RECAP = {
    "evidence_type": "data_table",
    "doc_number": "470/88/Disdukcapil/2024",
    "doc_date": "2024-05-01",
    "issuer": "Disdukcapil Kota Palembang",
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "description": "Rekap per kecamatan; lihat halaman 2 untuk anak 0-18 tahun.",
}
FACTS = (
    "nomor 470/88/Disdukcapil/2024",
    "tanggal 1 Mei 2024",
    "penerbit Disdukcapil Kota Palembang",
    "periode 1 Jan 2024 – 31 Des 2024",
    "Keterangan: Rekap per kecamatan; lihat halaman 2 untuk anak 0-18 tahun.",
    "Belum dipindai antivirus",
    ACTIVE_CONTENT,
)


def test_the_active_content_warning_is_kept_and_shown_with_the_files_facts(
    client_for: Any, user_of: Any, evaluation: Evaluation
) -> None:
    four = entry_of(evaluation, 4)
    response = upload(client_for("opd"), four, "4.1", "rekap akta.pdf", files.pdf(open_action_js=True), **RECAP)
    assert response.status_code == 200, response.content.decode()
    body = response.content.decode()
    evidence = Evidence.objects.get(entry=four)
    assert [ACTIVE_CONTENT in w for w in evidence.warnings_text] == [True]  # kept on the row, not only said once
    assert evidence.description == RECAP["description"]
    for fact in FACTS:
        assert fact in body, fact
    uploaded = AuditEvent.objects.get(action="kla.evidence.uploaded", object_id=str(evidence.pk))
    assert uploaded.after["warnings"] == evidence.warnings_text  # the Indonesian sentences

    # the next day, on the entry page: the same facts, read from the row
    page = client_for("secretariat").get(reverse("evaluations:entry_detail", args=[four.pk])).content.decode()
    for fact in FACTS:
        assert fact in page, fact

    # the API gives the same to a verifier's tool
    _token, plain = token_create(user=user_of("province"), name="uji", by=None)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").get(f"/api/v1/evidence/{evidence.pk}").json()
    assert api["warnings"] == evidence.warnings_text and api["scan_status"] == "not_scanned"
    assert (api["doc_date"], api["issuer"], api["period_start"], api["period_end"]) == (
        "2024-05-01",
        RECAP["issuer"],
        "2024-01-01",
        "2024-12-31",
    )
    assert api["description"] == RECAP["description"]


def test_a_clean_pdf_has_no_warning_and_a_scanned_file_says_so(
    client_for: Any, evaluation: Evaluation, settings: Any, fake_clamd: Any
) -> None:
    def clean(conn: Any) -> None:
        read_instream(conn)
        conn.sendall(b"stream: OK\0")

    settings.CLAMD_ADDRESS = fake_clamd(clean)
    four = entry_of(evaluation, 4)
    body = upload(client_for("opd"), four, "4.1", "rekap.pdf", files.pdf(), evidence_type="data_table").content
    evidence = Evidence.objects.get(entry=four)
    assert evidence.warnings == [] and evidence.scan_status == "clean"
    assert "Dipindai: bersih" in body.decode() and "konten aktif" not in body.decode()


def test_the_verification_page_shows_the_facts_and_required_evidence_in_constant_queries(
    client_for: Any, user_of: Any, evaluation: Evaluation
) -> None:
    four, five = entry_of(evaluation, 4), entry_of(evaluation, 5)
    operator, secretariat = client_for("opd"), client_for("secretariat")
    upload(operator, four, "4.1", "rekap akta.pdf", files.pdf(open_action_js=True), **RECAP)
    first_of_five = five.indicator.questions.order_by("position").first()
    assert first_of_five is not None
    for i in range(6):  # more files, each with a warning and every fact, on another indicator
        response = upload(
            secretariat,
            five,
            first_of_five.code,
            f"berkas {i}.pdf",
            files.pdf(text=f"isi {i}", open_action_js=True),
            **RECAP,
        )
        assert response.status_code == 200
    fill_answers(evaluation, seed=3, strength=0.8)
    evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True)
    steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=user_of("province"))

    province = client_for("province")
    province.get(reverse("verification:entry", args=[four.pk]))  # warm per-process caches
    with CaptureQueriesContext(connection) as one_file:
        page = province.get(reverse("verification:entry", args=[four.pk]))
    body = page.content.decode()
    for fact in FACTS:
        assert fact in body, fact
    assert "Bukti dukung wajib" in body and "Rekapitulasi kepemilikan KIA per kecamatan dari SIAK" in body
    assert body.count("belum ada</span>") >= 2  # 4.2 (data table) and 4.3 (decree, report) have none
    with CaptureQueriesContext(connection) as six_files:
        many = province.get(reverse("verification:entry", args=[five.pk])).content.decode()
    assert many.count(f'evidence-warning">{ACTIVE_CONTENT}') == 6
    assert len(six_files) == len(one_file), [q["sql"] for q in six_files.captured_queries]


def test_the_entry_page_ticks_required_evidence_uploaded_or_attached_by_reference(
    client_for: Any, evaluation: Evaluation, django_assert_max_num_queries: Any
) -> None:
    four = entry_of(evaluation, 4)
    operator = client_for("opd")
    url = reverse("evaluations:entry_detail", args=[four.pk])
    operator.get(url)
    with CaptureQueriesContext(connection) as before:
        page = operator.get(url).content.decode()
    # 4.1 and 4.2 each need a data table; 4.3 a cooperation agreement and a report (its photos are optional)
    assert page.count("Bukti dukung wajib") == 3 and "Foto layanan jemput bola" not in page
    assert "Rekapitulasi kepemilikan akta kelahiran anak 0–18 tahun per kecamatan dari SIAK" in page
    assert page.count("belum ada</span>") == 4

    response = upload(operator, four, "4.1", "rekap.xlsx", files.xlsx(), evidence_type="data_table")
    block = response.content.decode()
    assert response.status_code == 200 and "lengkap</span>" in block and "belum ada" not in block
    assert "Sudah dilampirkan" in block  # the tick, read aloud
    for i in range(5):
        upload(operator, four, "4.3", f"laporan {i}.pdf", files.pdf(text=f"laporan {i}"), evidence_type="report")
    with CaptureQueriesContext(connection) as after:
        page = operator.get(url).content.decode()
    assert page.count("belum ada</span>") == 2  # 4.2's table and 4.3's agreement
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]

    # a deleted file no longer counts
    evidence = Evidence.objects.get(entry=four, question__code="4.1")
    block = operator.post(reverse("evidence:delete", args=[evidence.pk]), headers={"HX-Request": "true"})
    assert "1 belum dilampirkan" in block.content.decode()


def test_a_file_attached_from_the_task_forces_records_counts(client_for: Any, evaluation: Evaluation) -> None:
    from kla.evidence.tests.test_linking import _decree_with_file

    two = entry_of(evaluation, 2)
    decree = _decree_with_file()
    assert decree.document is not None
    response = client_for("secretariat").post(
        reverse("evidence:link", args=[two.pk, question(two, "2.1").pk]),
        {"source": "taskforce", "source_id": str(decree.document.pk)},
        headers={"HX-Request": "true"},
    )
    block = response.content.decode()
    assert response.status_code == 200, block
    # the decree is there; the activity report is still asked for
    assert "1 belum dilampirkan" in block
    decree_line, report_line = block.split("SK Bupati/Wali Kota tentang Gugus Tugas KLA")[0:2]
    assert decree_line.rsplit("<li>", 1)[1].startswith('<span aria-hidden="true">✓</span>')
    assert "Laporan kegiatan Gugus Tugas per klaster" in report_line and "belum ada" in report_line


def test_a_refused_upload_keeps_what_was_typed(client_for: Any, evaluation: Evaluation) -> None:
    four = entry_of(evaluation, 4)
    response = upload(
        client_for("opd"),
        four,
        "4.3",
        "pks.pdf",
        files.pdf_header_then_garbage(),
        evidence_type="report",
        issuer="Dinas Kesehatan",
        doc_date="2024-03-02",
        description="PKS dengan puskesmas",
    )
    body = response.content.decode()
    assert response.status_code == 422 and "Berkas tidak disimpan" in body
    assert '<option value="report" selected>' in body  # not back to the suggested type
    assert 'value="Dinas Kesehatan"' in body and 'value="2024-03-02"' in body
    assert ">PKS dengan puskesmas</textarea>" in body
    assert not Evidence.objects.filter(entry=four).exists()


def test_the_upload_form_has_a_description_and_suggests_the_type_still_missing(
    client_for: Any, evaluation: Evaluation
) -> None:
    four = entry_of(evaluation, 4)
    operator = client_for("opd")
    upload(operator, four, "4.3", "pks.pdf", files.pdf(), evidence_type="decree")
    page = operator.get(reverse("evaluations:entry_detail", args=[four.pk])).content.decode()
    q43 = question(four, "4.3").pk
    assert f'<label for="k-ev-{q43}">Keterangan</label>' in page
    form = page.split(f'id="t-ev-{q43}"')[1].split("</select>")[0]
    assert '<option value="report" selected>' in form  # the agreement is there: the report is next


def _submit(client: Client, evaluation: Evaluation, *, acknowledge: bool) -> list[str]:
    url = reverse("evaluations:evaluation_submit", args=[evaluation.pk])
    response = client.post(url, {"acknowledge_missing": "on"} if acknowledge else {})
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]  # this request's (earlier ones not read)


def test_submission_names_the_missing_required_evidence_and_may_send_when_acknowledged(
    client_for: Any, evaluation: Evaluation, monkeypatch: Any
) -> None:
    four = entry_of(evaluation, 4)
    upload(client_for("opd"), four, "4.1", "rekap.xlsx", files.xlsx(), evidence_type="data_table")
    fill_answers(evaluation, seed=5, strength=1.0)  # every answer given: only the evidence is missing
    secretariat = client_for("secretariat")

    [refused] = _submit(secretariat, evaluation, acknowledge=False)
    assert "Masih ada kekurangan: bukti dukung wajib belum dilampirkan pada " in refused
    assert refused.endswith(
        "pertanyaan lainnya. Lengkapi terlebih dahulu, atau centang pernyataan bahwa Anda "
        "mengirim dengan kekurangan tersebut."
    )
    assert "1.1 (Regulasi)" in refused  # the instrument's order: the first questions are named
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT

    monkeypatch.setattr("kla.evidence.selectors.NAMED_AT_MOST", 1000)  # name them all, to read indicator 4
    [refused] = _submit(secretariat, evaluation, acknowledge=False)
    assert "; 4.2 (Tabel data); 4.3 (SK/Keputusan, Laporan); " in refused  # the optional photo is not asked for
    assert "; 4.1 (" not in refused and ": 4.1 (" not in refused  # its table is attached

    [sent] = _submit(secretariat, evaluation, acknowledge=True)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED, sent
    [missing] = evaluation.missing_at_submission
    assert missing.startswith("bukti dukung wajib belum dilampirkan pada ") and "4.2 (Tabel data)" in missing


def test_an_english_page_reads_the_facts_the_english_way(client_for: Any, evaluation: Evaluation) -> None:
    four = entry_of(evaluation, 4)
    operator = client_for("opd")
    operator.cookies["django_language"] = "en"
    upload(operator, four, "4.1", "recap.pdf", files.pdf(pages=2, open_action_js=True), **RECAP)
    page = operator.get(reverse("evaluations:entry_detail", args=[four.pk])).content.decode()
    for fact in ("2 pages", "dated 1 May 2024", "issued by Disdukcapil", "period 1 Jan 2024 – 31 Dec 2024"):
        assert fact in page, fact
    assert "Not scanned for viruses" in page and "Required evidence" in page and "Data table" in page
    assert "Summary of KIA ownership by sub-district from SIAK" in page  # the instrument's English description


def test_a_file_carried_to_the_next_cycle_keeps_its_warning(client_for: Any, evaluation: Evaluation) -> None:
    import datetime as dt

    from django.utils import timezone

    from kla.evaluations.services import assignments_auto, cycle_create, cycle_open
    from kla.evaluations.stages import STAGE_ORDER

    four = entry_of(evaluation, 4)
    upload(client_for("opd"), four, "4.1", "rekap akta.pdf", files.pdf(open_action_js=True), **RECAP)
    now = timezone.now()
    cycle = cycle_create(
        code="berikutnya",
        name="Evaluasi berikutnya",
        year=now.year + 1,
        framework=evaluation.cycle.framework,
        deadlines={s: (now - dt.timedelta(days=1), now + dt.timedelta(days=30)) for s in STAGE_ORDER},
        by=None,
    )
    cycle_open(cycle=cycle, region_codes=[PALEMBANG], by=None)
    new = Evaluation.objects.get(cycle=cycle, region_id=PALEMBANG)
    assignments_auto(evaluation=new, by=None)
    secretariat = client_for("secretariat")
    assert secretariat.post(reverse("evidence:carry_forward", args=[new.pk])).status_code == 302
    carried = Evidence.objects.get(entry__evaluation=new)
    assert carried.warnings == Evidence.objects.get(entry=four).warnings and carried.warnings
    page = secretariat.get(reverse("evaluations:entry_detail", args=[carried.entry_id])).content.decode()
    assert ACTIVE_CONTENT in page and "tanggal 1 Mei 2024" in page
