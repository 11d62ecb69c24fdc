"""Photos through the HTTP stack: a real phone JPEG with GPS in its EXIF, refusals that store nothing, downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kla.core.models import AuditEvent
from kla.fieldvisits.models import FieldPhoto
from kla.fieldvisits.tests import matrix

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]


def _files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _upload(client, site, data: bytes, name: str = "IMG_20250701.jpg", htmx: bool = True, **fields):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("fieldvisits:photo_upload", args=[site.pk]), {"file": upload, **fields}, headers=headers)


def test_the_stored_photo_has_no_exif_and_the_row_keeps_the_location(client_for, site, media: Path) -> None:
    original = matrix.gps_jpeg()
    with Image.open(__import__("io").BytesIO(original)) as source:  # the test file really carries GPS
        assert source.getexif().get_ifd(0x8825)[2] == matrix.GPS_LAT
    response = _upload(
        client_for("field_verifier"), site, original, latitude="-2.9916667", longitude="104.7541667", accuracy_m="7.8"
    )
    assert response.status_code == 200, response.content.decode()
    assert "Foto tersimpan" in response.content.decode() and "dengan lokasi" in response.content.decode()
    photo = FieldPhoto.objects.get()
    assert (str(photo.latitude), str(photo.longitude), str(photo.accuracy_m)) == ("-2.991667", "104.754167", "7.8")
    stored = Path(photo.file.path)
    assert stored.is_relative_to(media) and stored.name != "IMG_20250701.jpg" and "IMG" not in photo.file.name
    with Image.open(stored) as image:
        assert not image.getexif() and "exif" not in image.info
    raw = stored.read_bytes()
    assert b"Exif" not in raw and b"KLA Phone" not in raw
    assert photo.mime == "image/jpeg" and photo.size == len(raw) and len(photo.sha256) == 64
    page = client_for("field_verifier").get(reverse("fieldvisits:site", args=[site.pk])).content.decode()
    assert "lokasi -2.991667, 104.754167 (± 8 m)" in page


def test_without_javascript_a_photo_is_uploaded_without_location(client_for, site) -> None:
    response = _upload(client_for("field_verifier"), site, matrix.gps_jpeg(), htmx=False, latitude="", longitude="")
    assert response.status_code == 302 and response.url.endswith("#foto")
    photo = FieldPhoto.objects.get()
    assert photo.latitude is None and photo.longitude is None and photo.accuracy_m is None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "laporan.pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            "Jenis yang diterima: gambar JPG/PNG/WebP",
        ),
        ("foto.jpg", b"<html><script>alert(1)</script></html>", "gambar JPG/PNG/WebP"),
        ("kosong.jpg", b"", "kosong"),
    ],
)
def test_a_non_image_is_refused_and_nothing_is_stored(client_for, site, media: Path, name, data, message) -> None:
    response = _upload(client_for("field_verifier"), site, data, name=name, latitude="-2.99", longitude="104.75")
    assert response.status_code == 422
    assert message in response.content.decode() and "Foto tidak disimpan" in response.content.decode()
    assert not FieldPhoto.objects.exists() and _files(media) == []
    assert AuditEvent.objects.filter(action="kla.fieldphoto.refused", object_id=str(site.pk)).exists()


def test_implausible_coordinates_are_refused_through_http(client_for, site, media: Path) -> None:
    response = _upload(client_for("field_verifier"), site, matrix.gps_jpeg(), latitude="-95", longitude="104.75")
    assert response.status_code == 422 and "Lintang" in response.content.decode()
    assert not FieldPhoto.objects.exists() and _files(media) == []


def test_a_photo_sent_while_the_scanner_is_down_is_not_kept_and_answers_503(
    client_for, site, media: Path, settings, tmp_path: Path
) -> None:
    settings.CLAMD_ADDRESS = str(tmp_path / "tidak-ada.sock")
    response = _upload(client_for("field_verifier"), site, matrix.gps_jpeg(), latitude="-2.99", longitude="104.75")
    assert response.status_code == 503 and response["KLA-Partial"] == "1" and response["Retry-After"]
    assert "Pemindaian antivirus sedang gagal" in response.content.decode()
    assert not FieldPhoto.objects.exists() and _files(media) == []
    event = AuditEvent.objects.filter(action="kla.fieldphoto.refused", object_id=str(site.pk)).get()
    assert event.after["code"] == "scan_error"


def test_a_ministry_verifier_cannot_upload(client_for, site, media: Path) -> None:
    response = _upload(client_for("ministry_verifier"), site, matrix.gps_jpeg())
    assert response.status_code == 403 and not FieldPhoto.objects.exists() and _files(media) == []


def test_the_download_is_an_audited_attachment_that_never_renders(client_for, site) -> None:
    photo = matrix.field_photo(site)
    response = client_for("ministry_verifier").get(reverse("fieldvisits:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"foto-lapangan-{site.pk}-{photo.pk}.jpg" in response["Content-Disposition"]
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == Path(photo.file.path).read_bytes()
    event = AuditEvent.objects.get(action="kla.fieldphoto.downloaded", object_id=str(photo.pk))
    assert event.actor_label == "kemen-verifikator"


def test_deleting_a_photo_removes_row_and_file(
    client_for, site, media: Path, django_capture_on_commit_callbacks
) -> None:
    photo = matrix.field_photo(site)
    stored = Path(photo.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("field_verifier").post(
            reverse("fieldvisits:photo_delete", args=[photo.pk]), headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and "Belum ada foto." in response.content.decode()
    assert not FieldPhoto.objects.exists() and not stored.exists()


def test_the_site_page_shows_each_photo_as_a_thumbnail_served_inline(client_for, site, media: Path) -> None:
    client = client_for("field_verifier")
    assert _upload(client, site, matrix.gps_jpeg(), caption="Ruang bermain").status_code == 200
    photo = FieldPhoto.objects.get()
    page = client.get(reverse("fieldvisits:site", args=[site.pk])).content.decode()
    url = reverse("fieldvisits:photo", args=[photo.pk])
    assert f'<img src="{url}?inline=1" alt="Foto 1: Ruang bermain" class="thumb"' in page
    shown = client.get(f"{url}?inline=1")
    assert shown.status_code == 200 and "attachment" not in shown["Content-Disposition"]
    assert shown["Content-Security-Policy"].startswith("sandbox") and shown["Content-Type"] == "image/jpeg"
    assert "attachment" in client.get(url)["Content-Disposition"]
    assert AuditEvent.objects.filter(action="kla.fieldphoto.downloaded", object_id=str(photo.pk)).count() == 2
