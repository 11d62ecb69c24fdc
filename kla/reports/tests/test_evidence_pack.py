"""Evidence packs through the HTTP stack: files uploaded as users upload them, the pack asked for from the evaluation
and indicator pages (and the API), built by the task, downloaded and opened as a ZIP; scope, refusals, damaged
storage and query counts."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.accounts.services import token_create
from kla.core.models import AuditEvent
from kla.evaluations.models import Entry, Evaluation
from kla.evidence.models import Evidence
from kla.evidence.tests import files
from kla.reports import evidence_pack, selectors, services
from kla.reports.models import Export

CYCLE = "evaluasi-kla-demo"
PALEMBANG = "16.71"
TOP = "Bukti dukung Kota Palembang evaluasi-kla-demo"


@pytest.fixture
def evaluation(db: None) -> Evaluation:
    return Evaluation.objects.select_related("cycle", "region").get(cycle__code=CYCLE, region_id=PALEMBANG)


def entry_of(evaluation: Evaluation, number: int) -> Entry:
    return Entry.objects.select_related("indicator").get(evaluation=evaluation, indicator__number=number)


def upload(client: Client, entry: Entry, name: str, data: bytes, **extra: str) -> Evidence:
    """Upload through the evidence form, as the page does; returns the stored evidence."""
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    response = client.post(
        reverse("evidence:upload", args=[entry.pk, question.pk]),
        {"file": SimpleUploadedFile(name, data), "evidence_type": "report", **extra},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.content[:300]
    return Evidence.objects.filter(entry=entry).latest("pk")


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Any) -> Any:
    """POST a pack button as `client`; the task runs when the request's transaction commits (immediate backend)."""

    def post(client: Client, url: str, **data: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def fetch(client: Client, export: Export) -> tuple[Any, zipfile.ZipFile]:
    response = client.get(reverse("reports:download", args=[export.pk]))
    assert response.status_code == 200, response.content[:300]
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def index_of(pack: zipfile.ZipFile) -> list[dict[str, str]]:
    raw = pack.read(f"{TOP}/{evidence_pack.INDEX_NAME}")
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_province_packs_every_active_file_by_indicator_with_its_list(
    client_for: Any, user_of: Any, evaluation: Evaluation, ask: Any
) -> None:
    operator = client_for("secretariat")
    four, five = entry_of(evaluation, 4), entry_of(evaluation, 5)
    akta = upload(operator, four, "Laporan Akta 2024.pdf", files.pdf(pages=1), doc_number="470/1/2024")
    akta_again = upload(operator, four, "laporan akta 2024.PDF", files.pdf(pages=2))  # same name, other case
    hostile = upload(operator, five, "-HYPERLINK(rahasia).pdf", files.pdf(pages=3))  # a formula to a spreadsheet
    gone = upload(operator, five, "dihapus.pdf", files.pdf(pages=4))
    operator.post(reverse("evidence:delete", args=[gone.pk]))
    old = upload(operator, five, "versi1.pdf", files.pdf(pages=5))
    new = upload(operator, five, "versi2.pdf", files.pdf(pages=6), replaces=str(old.pk))
    assert Evidence.objects.get(pk=old.pk).status == Evidence.Status.REPLACED

    province = client_for("province")
    response = ask(province, reverse("reports:evaluation_evidence_pack", args=[evaluation.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:index")
    page = province.get(reverse("reports:index")).content.decode()
    assert "Paket bukti dukung (ZIP) · Kota Palembang" in page and "Siap diunduh" in page and "4 berkas" in page
    export = Export.objects.get(requested_by=user_of("province"))
    assert export.rows_done == export.rows_total == 4 and export.note == ""

    response, pack = fetch(province, export)
    assert response["Content-Type"] == "application/zip"
    assert 'filename="bukti-16.71-evaluasi-kla-demo.zip"' in response["Content-Disposition"]
    assert pack.testzip() is None
    q4 = four.indicator.questions.order_by("position").first().code  # type: ignore[union-attr]
    q5 = five.indicator.questions.order_by("position").first().code  # type: ignore[union-attr]
    folder4 = f"{TOP}/04 {four.indicator.display_name}"
    folder5 = f"{TOP}/05 {five.indicator.display_name}"
    members = {
        f"{folder4}/{q4} Laporan Akta 2024.pdf": akta,
        f"{folder4}/{q4} laporan akta 2024 (2).PDF": akta_again,
        f"{folder5}/{q5} -HYPERLINK(rahasia).pdf": hostile,
        f"{folder5}/{q5} versi2.pdf": new,
    }
    assert sorted(pack.namelist()) == sorted([*members, f"{TOP}/{evidence_pack.INDEX_NAME}"])
    for name, evidence in members.items():
        assert hashlib.sha256(pack.read(name)).hexdigest() == evidence.sha256
    rows = index_of(pack)
    assert [r["Berkas dalam paket"] for r in rows] == [name.partition("/")[2] for name in members]
    first = rows[0]
    assert first["No. indikator"] == "4" and first["Nomor dokumen"] == "470/1/2024"
    assert first["SHA-256"] == akta.sha256 and first["Ukuran (bita)"] == str(akta.size) and first["Catatan"] == ""
    assert rows[2]["Nama berkas asli"] == "'" + hostile.original_name  # a formula is written as text
    requested = AuditEvent.objects.get(action="kla.export.requested", object_id=str(export.pk))
    downloaded = AuditEvent.objects.get(action="kla.export.downloaded", object_id=str(export.pk))
    assert requested.region_code == downloaded.region_code == PALEMBANG


def test_the_list_says_what_a_verifier_checks_scan_warnings_date_issuer_and_period(
    client_for: Any, user_of: Any, evaluation: Evaluation, ask: Any
) -> None:
    """The list of the pack reads like the pages: dates as Indonesians write them, the antivirus scan's status and what
    the upload check noted (a PDF that runs something when opened), kept on the file since its upload."""
    operator = client_for("secretariat")
    four = entry_of(evaluation, 4)
    upload(
        operator,
        four,
        "rekap aktif.pdf",
        files.pdf(open_action_js=True),
        doc_date="2024-05-01",
        issuer="Disdukcapil Kota Palembang",
        period_start="2024-01-01",
        period_end="2024-12-31",
        description="Rekap per kecamatan",
    )
    plain = upload(operator, four, "rekap biasa.pdf", files.pdf(pages=2))
    ask(operator, reverse("reports:evaluation_evidence_pack", args=[evaluation.pk]))
    _response, pack = fetch(operator, Export.objects.get(requested_by=user_of("secretariat")))
    active, quiet = index_of(pack)
    assert (active["Tanggal dokumen"], active["Periode dari"], active["Periode sampai"]) == (
        "1 Mei 2024",
        "1 Jan 2024",
        "31 Des 2024",
    )
    assert active["Penerbit"] == "Disdukcapil Kota Palembang" and active["Keterangan"] == "Rekap per kecamatan"
    assert active["Pemindaian antivirus"] == quiet["Pemindaian antivirus"] == "Belum dipindai"
    assert active["Peringatan pemeriksaan"].startswith("PDF ini berisi konten aktif (tindakan otomatis)")
    assert quiet["Peringatan pemeriksaan"] == "" and quiet["Tanggal dokumen"] == ""
    uploaded = plain.uploaded_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert quiet["Diunggah"].endswith(f"{uploaded:%H}.{uploaded:%M} WIB")


def test_one_indicator_from_its_page_holds_that_indicator_only(
    client_for: Any, user_of: Any, evaluation: Evaluation, ask: Any
) -> None:
    operator = client_for("opd")  # the agency assigned indicator 4
    four = entry_of(evaluation, 4)
    mine = upload(operator, four, "akta.pdf", files.pdf(pages=1))
    upload(client_for("secretariat"), entry_of(evaluation, 5), "lain.pdf", files.pdf(pages=2))
    assert (
        "Unduh bukti indikator ini (ZIP)"
        in operator.get(reverse("evaluations:entry_detail", args=[four.pk])).content.decode()
    )
    ask(operator, reverse("reports:entry_evidence_pack", args=[four.pk]))
    export = Export.objects.get(requested_by=user_of("opd"))
    assert selectors.my_exports(user_of("opd"))[0].label == "Paket bukti dukung (ZIP) · Kota Palembang · indikator 4"  # type: ignore[attr-defined]
    response, pack = fetch(operator, export)
    assert 'filename="bukti-16.71-evaluasi-kla-demo-indikator-04.zip"' in response["Content-Disposition"]
    [listed] = index_of(pack)
    assert listed["Nama berkas asli"] == "akta.pdf" and listed["SHA-256"] == mine.sha256


def test_files_missing_or_changed_in_storage_are_listed_and_the_export_says_so(
    client_for: Any, user_of: Any, evaluation: Evaluation, ask: Any
) -> None:
    operator = client_for("secretariat")
    four = entry_of(evaluation, 4)
    missing = upload(operator, four, "hilang.pdf", files.pdf(pages=1))
    changed = upload(operator, four, "berubah.pdf", files.pdf(pages=2))
    intact = upload(operator, four, "utuh.pdf", files.pdf(pages=3))
    Path(missing.file.path).unlink()
    Path(changed.file.path).write_bytes(files.pdf(pages=2, text="diubah di server"))
    ask(operator, reverse("reports:evaluation_evidence_pack", args=[evaluation.pk]))
    export = Export.objects.get(requested_by=user_of("secretariat"))
    assert export.status == Export.Status.READY
    assert (
        export.note_text
        == "2 dari 3 berkas bermasalah (hilang dari penyimpanan atau berubah); lihat kolom Catatan di daftar-bukti.csv."
    )
    assert export.note_text in operator.get(reverse("reports:index")).content.decode()
    _response, pack = fetch(operator, export)
    notes = {r["Nama berkas asli"]: (r["Berkas dalam paket"], r["Catatan"]) for r in index_of(pack)}
    assert notes["hilang.pdf"] == ("", evidence_pack.MISSING)
    assert notes["berubah.pdf"][1] == evidence_pack.CHANGED
    assert notes["utuh.pdf"][1] == ""
    assert len(pack.namelist()) == 3  # the changed file and the intact one, and the list
    assert hashlib.sha256(pack.read(f"{TOP}/{notes['utuh.pdf'][0]}")).hexdigest() == intact.sha256
    assert changed.sha256 != hashlib.sha256(pack.read(f"{TOP}/{notes['berubah.pdf'][0]}")).hexdigest()


def test_nothing_to_pack_or_too_much_is_refused_at_once_on_the_same_page(
    client_for: Any, evaluation: Evaluation, ask: Any, settings: Any
) -> None:
    client = client_for("secretariat")
    detail = reverse("evaluations:evaluation_detail", args=[evaluation.pk])
    url = reverse("reports:evaluation_evidence_pack", args=[evaluation.pk])
    response = ask(client, url, back=detail)
    assert response.status_code == 302 and response.url == detail
    page = client.get(detail).content.decode()
    assert "Belum ada bukti dukung aktif pada evaluasi ini, sehingga tidak ada yang dapat dikemas." in page
    upload(client, entry_of(evaluation, 4), "besar.pdf", files.pdf(pages=1))
    settings.KLA_EVIDENCE_PACK_MAX_BYTES = 100
    response = ask(client, url, back="https://evil.example/")
    assert response.url == detail  # never sent off the site
    page = client.get(detail).content.decode()
    # sizes through kla.core.formatting ("599 bita", "1,3 KB"): the pack of one small PDF, the limit of 100 bytes
    assert re.search(r"akan berukuran \d+ bita, lebih dari batas 100 bita\. Minta paket per indikator", page)
    assert not Export.objects.exists()


def test_another_kabkota_cannot_ask_for_palembangs_pack(client_for: Any, evaluation: Evaluation, ask: Any) -> None:
    upload(client_for("secretariat"), entry_of(evaluation, 4), "akta.pdf", files.pdf(pages=1))
    other = client_for("other_secretariat")
    assert ask(other, reverse("reports:evaluation_evidence_pack", args=[evaluation.pk])).status_code == 404
    assert ask(other, reverse("reports:entry_evidence_pack", args=[entry_of(evaluation, 4).pk])).status_code == 404
    assert not Export.objects.exists()


def test_the_build_reads_a_fixed_number_of_queries_whatever_the_number_of_files(
    client_for: Any, user_of: Any, evaluation: Evaluation, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "PACK_PROGRESS_SECONDS", 3600)  # progress is written by time, not per file
    operator, user = client_for("secretariat"), user_of("secretariat")
    four = entry_of(evaluation, 4)

    def build_queries() -> int:
        export = services.request_evidence_pack(user=user, evaluation=evaluation)
        with CaptureQueriesContext(connection) as queries:
            services.build(export.pk)
        return len(queries)

    upload(operator, four, "satu.pdf", files.pdf(pages=1))
    one = build_queries()
    for pages in (2, 3, 4):
        upload(operator, four, f"{pages}.pdf", files.pdf(pages=pages))
    assert build_queries() == one


def test_progress_is_written_while_the_pack_is_built(
    client_for: Any, user_of: Any, evaluation: Evaluation, monkeypatch: Any
) -> None:
    """With no pause between writes, every file is recorded as done, in order, before the export is ready."""
    monkeypatch.setattr(services, "PACK_PROGRESS_SECONDS", 0)
    operator, user = client_for("secretariat"), user_of("secretariat")
    for pages in (1, 2, 3):
        upload(operator, entry_of(evaluation, 4), f"{pages}.pdf", files.pdf(pages=pages))
    export = services.request_evidence_pack(user=user, evaluation=evaluation)
    with CaptureQueriesContext(connection) as queries:
        services.build(export.pk)
    written = [int(m[1]) for q in queries if (m := re.search(r'"rows_done" = (\d+)', q["sql"]))]
    assert written == [0, 0, 1, 2, 3, 3]  # running; the start (0 of 3); each of the three files; ready


def test_the_api_asks_for_an_evaluation_or_an_indicator_pack(
    user_of: Any, client_for: Any, evaluation: Evaluation, django_capture_on_commit_callbacks: Any
) -> None:
    def api(persona: str) -> Client:
        _token, plain = token_create(user=user_of(persona), name="uji", by=None)
        return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")

    four = entry_of(evaluation, 4)
    client = api("ministry_verifier")
    empty = client.post(f"/api/v1/entries/{four.pk}/evidence-pack")
    assert empty.status_code == 422 and "Belum ada bukti dukung aktif pada indikator 4" in empty.json()["detail"]
    stored = upload(client_for("secretariat"), four, "akta.pdf", files.pdf(pages=1))
    with django_capture_on_commit_callbacks(execute=True):
        whole = client.post(f"/api/v1/evaluations/{evaluation.pk}/evidence-pack")
        one = client.post(f"/api/v1/entries/{four.pk}/evidence-pack")
    assert whole.status_code == one.status_code == 202, whole.content
    assert whole.json()["entry_id"] is None and one.json()["entry_id"] == four.pk
    detail = client.get(f"/api/v1/exports/{one.json()['id']}").json()
    assert detail["status"] == "ready" and detail["format"] == "zip" and detail["rows_total"] == 1
    assert detail["note"] == ""
    response = client.get(detail["download_url"])
    pack = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [member] = [n for n in pack.namelist() if n.endswith("akta.pdf")]
    assert hashlib.sha256(pack.read(member)).hexdigest() == stored.sha256
    other = api("other_secretariat")
    assert other.post(f"/api/v1/evaluations/{evaluation.pk}/evidence-pack").status_code == 404
    assert other.post(f"/api/v1/entries/{four.pk}/evidence-pack").status_code == 404
