"""A full (or failing) disk stores nothing and says so: proven on a real tiny tmpfs through the HTTP stack.

Two places can run out of space during an upload: the media volume, where the cleaned file is stored
(`kla.core.storage.SafeFileSystemStorage`), and FILE_UPLOAD_TEMP_DIR, where Django spools a large request body while
parsing it (`kla.core.storage.SafeTemporaryFileUploadHandler`). Both answer 507 with a page that says what happened,
that nothing was kept and what to do; neither leaves a row or a (partial) file behind.
"""

from __future__ import annotations

import errno
import hashlib
import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import PersonaClient
from kla.accounts.models import User
from kla.core.models import AuditEvent
from kla.core.tests.disk import files_in, fill, free_kib, tiny_tmpfs
from kla.evaluations.models import Entry
from kla.evidence.models import Evidence
from kla.evidence.tests import files

pytestmark = pytest.mark.django_db

FULL_TEXT = "Ruang penyimpanan server penuh. Tidak ada yang tersimpan dari unggahan ini"


@pytest.fixture
def entry() -> Entry:
    return Entry.objects.select_related("indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id="16.71", indicator__number=4
    )


@pytest.fixture
def tiny_media(settings):  # type: ignore[no-untyped-def]
    with tiny_tmpfs(256) as where:
        settings.MEDIA_ROOT = where
        yield where


def _url(entry: Entry) -> str:
    question = entry.indicator.questions.order_by("position").first()
    return reverse("evidence:upload", args=[entry.pk, question.pk])


def _post(client: Client, entry: Entry, data: bytes, *, htmx: bool, **extra: str):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("Laporan Akta 2024.pdf", data, content_type="application/pdf")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(_url(entry), {"file": upload, "evidence_type": "report", **extra}, headers=headers)


def test_full_media_volume_keeps_no_row_and_no_file_and_works_again_once_space_is_freed(
    client_for, entry, tiny_media: Path, caplog
) -> None:
    client = client_for("opd")
    filler = fill(tiny_media, leave_kib=48)
    big = files.pdf(pages=1, text="x" * 100_000)  # ~98 KiB, twice what is free
    assert len(big) // 1024 > free_kib(tiny_media)
    before = Evidence.objects.count()

    # A plain form post: the error page, 507, nothing stored.
    with caplog.at_level(logging.ERROR, logger="kla.storage"):
        response = _post(client, entry, big, htmx=False)
    assert response.status_code == 507, response.content.decode()[:500]
    body = response.content.decode()
    assert "Berkas tidak tersimpan" in body and FULL_TEXT in body and "hubungi administrator Platform KLA" in body
    assert reverse("evaluations:entry_detail", args=[entry.pk]) in body  # the way back to the indicator
    assert response["Retry-After"]
    assert Evidence.objects.count() == before
    assert files_in(tiny_media) == ["filler.bin"]  # no stored file, no partial file
    assert "kla.evidence.store_failed: file not stored (ENOSPC)" in caplog.text

    # Through htmx: the evidence block with the message, still 507, still nothing stored.
    response = _post(client, entry, big, htmx=True)
    assert response.status_code == 507 and response["KLA-Partial"] == "1"
    assert FULL_TEXT in response.content.decode()
    assert Evidence.objects.count() == before and files_in(tiny_media) == ["filler.bin"]
    event = AuditEvent.objects.filter(action="kla.evidence.store_failed").latest("id")
    assert event.after["errno"] == "ENOSPC" and event.after["status"] == 507
    assert event.after["name"] == "Laporan Akta 2024.pdf" and event.region_code == "16.71"

    # The operator frees space: the same upload now goes through.
    filler.unlink()
    response = _post(client, entry, big, htmx=True)
    assert response.status_code == 200, response.content.decode()[:500]
    evidence = Evidence.objects.get(entry=entry)
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(tiny_media) and files_in(tiny_media) == [evidence.file.name]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == evidence.sha256


def test_failing_media_volume_answers_503_and_leaves_no_partial_file(
    client_for, entry, tiny_media: Path, monkeypatch
) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("kla.core.storage.os.fsync", broken_fsync)  # the bytes are written, then the disk fails
    response = _post(client_for("opd"), entry, files.pdf(pages=2), htmx=False)
    assert response.status_code == 503
    assert "Penyimpanan server sedang bermasalah" in response.content.decode()
    assert not Evidence.objects.filter(entry=entry).exists() and files_in(tiny_media) == []
    assert AuditEvent.objects.filter(action="kla.evidence.store_failed", after__errno="EIO").exists()


def test_full_upload_temp_dir_answers_507_instead_of_500(settings, entry) -> None:
    """The body is parsed by CsrfViewMiddleware, before the view: the handler500 answers with the same page."""
    with tiny_tmpfs(256) as spool:
        settings.FILE_UPLOAD_TEMP_DIR = str(spool)
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024  # bigger uploads are spooled to the tiny disk
        client = PersonaClient(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(User.objects.get(username="opd-palembang"))
        assert client.get(reverse("evaluations:entry_detail", args=[entry.pk])).status_code == 200
        token = client.cookies["csrftoken"].value
        before = Evidence.objects.count()
        response = _post(client, entry, files.pdf(pages=1, text="x" * 400_000), htmx=True, csrfmiddlewaretoken=token)
        assert response.status_code == 507, response.content.decode()[:500]
        assert FULL_TEXT in response.content.decode()
        assert Evidence.objects.count() == before
        assert files_in(spool) == []  # the partial spool file was removed at once
        # Space is back (the spool file is gone): a smaller upload, still spooled to that disk, is stored.
        response = _post(client, entry, files.pdf(pages=1, text="x" * 40_000), htmx=True, csrfmiddlewaretoken=token)
        assert response.status_code == 200, response.content.decode()[:500]
        assert Evidence.objects.count() == before + 1


def test_api_upload_on_a_full_media_volume_answers_507_json(settings, entry, tiny_media: Path) -> None:
    """The API's evidence POST calls the same service; /api/v1's handler for `StorageUnavailable` answers 507 JSON
    (documented in the schema), in production and development alike."""
    from kla.accounts.services import token_create

    _token, plain = token_create(user=User.objects.get(username="opd-palembang"), name="uji", by=None)
    fill(tiny_media, leave_kib=48)
    client = Client()  # raises if anything but the API's own handler answered
    upload = SimpleUploadedFile("Laporan.pdf", files.pdf(pages=1, text="x" * 100_000), content_type="application/pdf")
    response = client.post(
        f"/api/v1/entries/{entry.pk}/evidence/4.1",
        {"file": upload, "evidence_type": "report"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 507
    assert response.json()["detail"].startswith("Ruang penyimpanan server penuh.")
    assert not Evidence.objects.filter(entry=entry).exists() and files_in(tiny_media) == ["filler.bin"]


def test_api_upload_while_the_scanner_is_down_answers_503_json(settings, entry, tmp_path: Path) -> None:
    """No verdict from the virus scanner: 503 with Retry-After (a client may send the same file again), not 422."""
    from kla.accounts.services import token_create

    _token, plain = token_create(user=User.objects.get(username="opd-palembang"), name="uji", by=None)
    settings.CLAMD_ADDRESS = str(tmp_path / "tidak-ada.sock")
    upload = SimpleUploadedFile("Laporan.pdf", files.pdf(pages=1), content_type="application/pdf")
    response = Client().post(
        f"/api/v1/entries/{entry.pk}/evidence/4.1",
        {"file": upload, "evidence_type": "report"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["detail"].startswith("Pemindaian antivirus sedang gagal")
    assert not Evidence.objects.filter(entry=entry).exists()
