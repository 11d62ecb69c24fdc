"""Evidence through the HTTP stack: real multipart uploads, refusals that store nothing, safe downloads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kla.core.models import AuditEvent
from kla.evaluations.models import Entry
from kla.evidence.models import Evidence
from kla.evidence.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def entry() -> Entry:
    return Entry.objects.select_related("indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )


@pytest.fixture
def lubuk() -> Entry:
    """The same indicator of another kab/kota in the province (Lubuk Linggau)."""
    return Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.73", indicator__number=4
    )


def _url(entry: Entry) -> str:
    question = entry.indicator.questions.order_by("position").first()
    return reverse("evidence:upload", args=[entry.pk, question.pk])


def _post(client, entry: Entry, name: str, data: bytes, **extra):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(
        _url(entry), {"file": upload, "evidence_type": "report", **extra}, headers={"HX-Request": "true"}
    )


def test_operator_uploads_a_pdf_with_metadata(client_for, entry, media) -> None:
    response = _post(
        client_for("opd"),
        entry,
        "Laporan Akta 2024.pdf",
        files.pdf(pages=3),
        doc_number="470/123/2024",
        issuer="Disdukcapil",
        doc_date="2024-05-01",
    )
    assert response.status_code == 200, response.content.decode()
    evidence = Evidence.objects.get(entry=entry)
    assert (evidence.kind, evidence.mime, evidence.page_count) == ("pdf", "application/pdf", 3)
    assert evidence.original_name == "Laporan Akta 2024.pdf" and evidence.doc_number == "470/123/2024"
    assert evidence.scan_status == "not_scanned"  # no clamd configured in this test: honest status
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(media) and stored.name != "Laporan Akta 2024.pdf"  # server-generated name
    assert evidence.sha256 and evidence.size == stored.stat().st_size
    assert "Laporan Akta 2024.pdf" in response.content.decode()
    assert AuditEvent.objects.filter(action="kla.evidence.uploaded", object_id=str(evidence.pk)).exists()


def test_photo_location_is_removed_and_capture_date_kept(client_for, entry) -> None:
    response = _post(client_for("opd"), entry, "forum anak.jpg", files.jpeg())
    assert response.status_code == 200, response.content.decode()
    evidence = Evidence.objects.get(entry=entry)
    assert evidence.metadata_removed and evidence.captured_at is not None
    with Image.open(evidence.file.path) as image:
        assert not image.getexif()


@pytest.mark.parametrize(
    ("name", "builder", "code_text"),
    [
        ("program.pdf", files.windows_exe, "pdf"),
        ("halaman.pdf", files.html_page, "HTML"),
        ("logo.svg", files.svg_with_script, "SVG"),
        ("campuran.pdf", files.pdf_zip_polyglot, ""),
        ("makro.docm", files.docm, "makro"),
        ("kosong.pdf", lambda: b"", "kosong"),
        ("rusak.pdf", files.truncated_pdf, ""),
    ],
)
def test_dangerous_or_broken_files_are_refused_and_nothing_is_stored(
    client_for, entry, media, name, builder, code_text
) -> None:
    response = _post(client_for("opd"), entry, name, builder())
    body = response.content.decode()
    assert response.status_code == 422
    assert "Berkas tidak disimpan" in body
    assert code_text.lower() in body.lower()
    assert not Evidence.objects.exists()
    assert not (media / "evidence").exists() or not any((media / "evidence").rglob("*.*"))
    if builder():  # an empty file is refused by the form itself, before inspection
        assert "Jenis yang diterima" in body
        assert AuditEvent.objects.filter(action="kla.evidence.refused").exists()


def test_path_traversal_name_is_neutralised(client_for, entry, media) -> None:
    response = _post(client_for("opd"), entry, "../../etc/passwd.pdf", files.pdf())
    assert response.status_code == 200
    evidence = Evidence.objects.get()
    assert evidence.original_name == "passwd.pdf"
    assert Path(evidence.file.path).resolve().is_relative_to(media.resolve())


def test_download_is_an_attachment_that_is_never_sniffed(client_for, entry) -> None:
    _post(client_for("opd"), entry, "SK Gugus Tugas.pdf", files.pdf())
    evidence = Evidence.objects.get()
    response = client_for("province").get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="kla.evidence.downloaded", object_id=str(evidence.pk)).exists()


def test_a_file_gone_from_storage_is_a_404_that_says_so_on_the_page_and_the_api(client_for, user_of, entry) -> None:
    from django.test import Client

    from kla.accounts.services import token_create
    from kla.evidence.downloads import GONE

    _post(client_for("opd"), entry, "SK Gugus Tugas.pdf", files.pdf())
    evidence = Evidence.objects.get()
    Path(evidence.file.path).unlink()
    page = client_for("province").get(reverse("evidence:download", args=[evidence.pk]))
    assert page.status_code == 404 and str(GONE) in page.content.decode()
    _token, plain = token_create(user=user_of("province"), name="uji", by=None)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").get(f"/api/v1/evidence/{evidence.pk}/file")
    assert api.status_code == 404 and api.json()["detail"] == str(GONE)
    assert not AuditEvent.objects.filter(action="kla.evidence.downloaded").exists()  # nothing was taken


def test_another_region_gets_404_for_the_file_and_the_upload(client_for, entry) -> None:
    _post(client_for("opd"), entry, "data.pdf", files.pdf())
    evidence = Evidence.objects.get()
    other = client_for("other_secretariat")
    assert other.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404
    assert _post(other, entry, "x.pdf", files.pdf()).status_code == 404
    assert Evidence.objects.count() == 1


def test_operator_of_another_agency_cannot_upload(client_for, user_of) -> None:
    perda = Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=1
    )
    assert _post(client_for("opd"), perda, "x.pdf", files.pdf()).status_code == 403
    assert not Evidence.objects.exists()


def test_delete_is_reversible_and_replacement_keeps_history(client_for, entry) -> None:
    client = client_for("opd")
    _post(client, entry, "versi1.pdf", files.pdf(pages=1))
    first = Evidence.objects.get()
    client.post(reverse("evidence:delete", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == "deleted" and Path(first.file.path).exists()
    client.post(reverse("evidence:restore", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == "active"
    _post(client, entry, "versi2.pdf", files.pdf(pages=2), replaces=str(first.pk))
    first.refresh_from_db()
    second = Evidence.objects.exclude(pk=first.pk).get()
    assert first.status == "replaced" and second.replaces == first and second.page_count == 2


def test_same_file_twice_in_the_region_is_pointed_out(client_for, entry) -> None:
    client = client_for("opd")
    _post(client, entry, "a.pdf", files.pdf(text="sama"))
    response = _post(client, entry, "b.pdf", files.pdf(text="sama"))
    assert "Berkas yang sama sudah diunggah di wilayah Anda" in response.content.decode()


def test_malware_is_refused_by_a_real_clamd(client_for, entry, settings, clamd) -> None:
    settings.CLAMD_ADDRESS = clamd.socket_path
    response = _post(client_for("opd"), entry, "laporan.txt", files.eicar())
    assert response.status_code == 422
    assert "malware" in response.content.decode()
    assert not Evidence.objects.exists()
    clean = _post(client_for("opd"), entry, "laporan.pdf", files.pdf())
    assert clean.status_code == 200 and Evidence.objects.get().scan_status == "clean"


def test_a_file_over_the_scanners_limits_is_refused_with_what_to_do(client_for, entry, settings, small_clamd) -> None:
    """clamd configured below the platform's sizes: a refusal that says so (422), not "malware", not "try again"."""
    settings.CLAMD_ADDRESS = small_clamd.socket_path
    document = files.docx(**{"word/media/image1.bin": os.urandom(2 * files.MiB)})  # over its MaxFileSize 1M
    response = _post(client_for("opd"), entry, "laporan.docx", document)
    assert response.status_code == 422
    body = response.content.decode()
    assert "melebihi batas ukuran yang dapat dipindai antivirus server" in body and "lebih kecil" in body
    assert "malware" not in body and "coba unggah lagi" not in body
    assert not Evidence.objects.exists()
    event = AuditEvent.objects.filter(action="kla.evidence.refused").latest("id")
    assert event.after["code"] == "scan_too_large" and "Heuristics.Limits.Exceeded" in event.after["detail"]


SCANNER_DOWN = "Pemindaian antivirus sedang gagal, jadi berkas ditahan dan tidak disimpan."


def test_scanner_down_fails_closed_with_503_and_retry_after(client_for, entry, settings, tmp_path) -> None:
    """No verdict is not a refusal of the file (422) but a service that is failing for now: 503, try again later."""
    settings.CLAMD_ADDRESS = str(tmp_path / "tidak-ada.sock")
    response = _post(client_for("opd"), entry, "laporan.pdf", files.pdf())
    assert response.status_code == 503 and response["KLA-Partial"] == "1" and response["Retry-After"]
    assert SCANNER_DOWN in response.content.decode()
    assert not Evidence.objects.exists()
    event = AuditEvent.objects.filter(action="kla.evidence.refused").latest("id")
    assert event.after["code"] == "scan_error" and "FileNotFoundError" in event.after["detail"]
    # Without JavaScript: the full error page, with the way back to the indicator.
    form = {"file": SimpleUploadedFile("b.pdf", files.pdf()), "evidence_type": "report"}
    page = client_for("opd").post(_url(entry), form)
    assert page.status_code == 503 and page["Retry-After"]
    body = page.content.decode()
    assert SCANNER_DOWN in body and "virus scanner could not check it" in body
    assert reverse("evaluations:entry_detail", args=[entry.pk]) in body
    assert not Evidence.objects.exists()


def test_same_file_in_another_region_is_flagged_for_verifiers_only(client_for, entry, lubuk) -> None:
    data = files.pdf(text="salinan")
    _post(client_for("opd"), entry, "rekap.pdf", data)
    _post(client_for("other_secretariat"), lubuk, "rekap-kami.pdf", data)
    page = client_for("ministry_verifier").get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Berkas yang sama ada di evaluasi" in page and "Kota Lubuk Linggau" in page
    for persona in ("opd", "secretariat"):
        own = client_for(persona).get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
        assert "Lubuk Linggau" not in own
    other = client_for("other_secretariat").get(reverse("evaluations:entry_detail", args=[lubuk.pk])).content.decode()
    assert "Palembang" not in other.split("<main")[1]


def test_a_file_many_regions_hold_is_summarised_as_a_count_without_fetching_names(client_for, entry, lubuk) -> None:
    """A national regulation every kab/kota attaches must not fetch one row per region on every review page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kla.evidence.selectors import duplicates_elsewhere

    data = files.pdf(text="peraturan nasional")
    _post(client_for("opd"), entry, "perpres.pdf", data)
    _post(client_for("other_secretariat"), lubuk, "perpres.pdf", data)
    own = Evidence.objects.get(entry=entry, original_name="perpres.pdf")
    entry = Entry.objects.select_related("evaluation").get(pk=entry.pk)
    assert duplicates_elsewhere(entry)[own.pk] == ["Kota Lubuk Linggau"]
    with CaptureQueriesContext(connection) as queries:
        summary = duplicates_elsewhere(entry, names_up_to=0)
    assert summary[own.pk] == ["1 kabupaten/kota lain"]
    assert len(queries) == 1  # the entry's files with their holding counters; no names fetched


def test_carry_forward_to_a_new_cycle_needs_re_confirmation(client_for, user_of, entry) -> None:
    import datetime as dt

    from django.utils import timezone

    from kla.evaluations.models import Evaluation
    from kla.evaluations.services import assignments_auto, cycle_create, cycle_open, evaluation_submit
    from kla.evaluations.stages import STAGE_ORDER
    from kla.evidence.services import evidence_carry_forward, evidence_confirm

    client = client_for("opd")
    _post(client, entry, "sk-lama.pdf", files.pdf(text="lama"))
    _post(client, entry, "ditarik.pdf", files.pdf(text="tarik"))
    now = timezone.now()
    deadlines = {s: (now - dt.timedelta(days=1), now + dt.timedelta(days=30)) for s in STAGE_ORDER}
    cycle = cycle_create(
        code="berikutnya",
        name="Evaluasi berikutnya",
        year=now.year + 1,
        framework=entry.evaluation.cycle.framework,
        deadlines=deadlines,
        by=None,
    )
    cycle_open(cycle=cycle, region_codes=["16.71"], by=None)
    new_eval = Evaluation.objects.get(cycle=cycle, region_id="16.71")
    secretariat = user_of("secretariat")
    assignments_auto(evaluation=new_eval, by=secretariat)
    assert evidence_carry_forward(evaluation=new_eval, by=secretariat) == 2
    assert evidence_carry_forward(evaluation=new_eval, by=secretariat) == 0  # nothing carried twice
    carried = list(Evidence.objects.filter(entry__evaluation=new_eval).order_by("pk"))
    assert {c.confirmation for c in carried} == {"pending"}
    assert carried[0].file.name == carried[0].carried_from.file.name  # the stored object is shared, not copied
    with pytest.raises(Exception, match="belum dikonfirmasi"):
        evaluation_submit(evaluation=new_eval, by=secretariat)
    evidence_confirm(evidence=carried[0], decision="valid", by=user_of("opd"))
    page = client.post(reverse("evidence:confirm", args=[carried[1].pk]), {"decision": "withdrawn"})
    assert page.status_code == 302
    carried[1].refresh_from_db()
    assert carried[1].confirmation == "withdrawn" and carried[1].status == "deleted"
    missing = evaluation_submit(
        evaluation=new_eval, by=secretariat, acknowledge_missing=True, confirm_below_gate=True
    ).missing_at_submission
    assert not any("belum dikonfirmasi" in m for m in missing)


def test_allowed_kinds_and_limits_come_from_settings(client_for, entry, settings) -> None:
    settings.EVIDENCE_KINDS = ["pdf"]
    settings.EVIDENCE_LIMITS_MB = {"pdf": 1}
    page = client_for("opd").get(reverse("evaluations:entry_detail", args=[entry.pk])).content.decode()
    assert "Jenis yang diterima: PDF (maks. 1 MB)." in page
    refused = _post(client_for("opd"), entry, "foto.png", files.png())
    assert refused.status_code == 422 and "PDF (maks. 1 MB)" in refused.content.decode()
    too_big = _post(client_for("opd"), entry, "besar.pdf", files.pdf() + b"%" * (1024 * 1024))
    assert too_big.status_code == 422 and not Evidence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_truncated_upload_stores_nothing(live_server, settings, tmp_path) -> None:
    """A connection that drops mid-upload (real server, raw socket): nothing half-written is kept."""
    import socket
    import time
    from urllib.parse import urlparse

    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from kla.accounts.models import User
    from kla.accounts.services import token_create
    from kla.demo.services import demo_seed

    demo_seed()  # transactional tests start from an empty database
    settings.MEDIA_ROOT = tmp_path / "media"
    target = Entry.objects.get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )
    _token, plain = token_create(user=User.objects.get(username="opd-palembang"), name="uji", by=None)
    body = encode_multipart(
        BOUNDARY,
        {"file": SimpleUploadedFile("besar.pdf", files.pdf(pages=3) + b"%" * 200_000), "evidence_type": "report"},
    )
    url = urlparse(live_server.url)
    head = (
        f"POST /api/v1/entries/{target.pk}/evidence/4.1 HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Authorization: Bearer {plain}\r\nContent-Type: {MULTIPART_CONTENT}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
        conn.sendall(head + body[: len(body) // 2])
    time.sleep(1.0)  # let the server notice the closed connection and finish the request
    assert not Evidence.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(media.rglob("*.pdf"))
