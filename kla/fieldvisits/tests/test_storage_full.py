"""A field photo on a full media volume: 507 with the reason, no FieldPhoto row, no file (real tiny tmpfs)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kla.core.models import AuditEvent
from kla.core.tests.disk import files_in, fill, free_kib, tiny_tmpfs
from kla.fieldvisits.models import FieldPhoto

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]


def _noisy_jpeg() -> bytes:
    """Random pixels: re-encoding cannot make this small (about 200 KiB)."""
    image = Image.frombytes("RGB", (320, 320), os.urandom(320 * 320 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def test_full_media_volume_refuses_the_photo_cleanly_and_takes_it_once_space_is_freed(settings, client_for, site):  # type: ignore[no-untyped-def]
    photo = _noisy_jpeg()
    with tiny_tmpfs(384) as media:
        settings.MEDIA_ROOT = media
        filler = fill(media, leave_kib=64)
        assert len(photo) // 1024 > free_kib(media)
        client = client_for("field_verifier")
        url = reverse("fieldvisits:photo_upload", args=[site.pk])
        upload = SimpleUploadedFile("IMG_1.jpg", photo, content_type="image/jpeg")
        response = client.post(url, {"file": upload, "caption": "ruang kelas"}, headers={"HX-Request": "true"})
        assert response.status_code == 507 and response["KLA-Partial"] == "1"
        assert "Ruang penyimpanan server penuh. Tidak ada yang tersimpan" in response.content.decode()
        assert not FieldPhoto.objects.exists() and files_in(media) == ["filler.bin"]
        event = AuditEvent.objects.get(action="kla.fieldphoto.store_failed")
        assert event.after["errno"] == "ENOSPC" and event.object_id == str(site.pk)

        upload = SimpleUploadedFile("IMG_1.jpg", photo, content_type="image/jpeg")
        response = client.post(url, {"file": upload})  # without htmx: the page, not a redirect
        assert response.status_code == 507 and "Berkas tidak tersimpan" in response.content.decode()
        assert reverse("fieldvisits:site", args=[site.pk]) in response.content.decode()

        filler.unlink()
        upload = SimpleUploadedFile("IMG_1.jpg", photo, content_type="image/jpeg")
        response = client.post(url, {"file": upload}, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.content.decode()[:500]
        stored = FieldPhoto.objects.get()
        assert files_in(media) == [stored.file.name] and Path(stored.file.path).stat().st_size == stored.size
