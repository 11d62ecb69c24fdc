"""A field photo goes through the one intake (`kla.evidence.intake`): if field verification closes while the photo is
being scanned, no photo is kept.

A fake clamd finishes field verification from its own thread and connection (as the verifier's second phone or a
colleague would) before it answers "clean". Transactional, so the other connection sees the data and the row lock
is real on PostgreSQL; it runs on SQLite too.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from kla.core.models import AuditEvent
from kla.evaluations.models import Evaluation
from kla.evidence.tests.fake_clamd import read_instream, serve
from kla.fieldvisits import services
from kla.fieldvisits.models import FieldPhoto
from kla.fieldvisits.tests import matrix

pytestmark = pytest.mark.django_db(transaction=True)


def test_field_verification_finished_during_the_scan_keeps_no_photo(settings, tmp_path: Path) -> None:
    from kla.demo.services import demo_seed

    demo_seed()  # transactional tests start from an empty database
    settings.MEDIA_ROOT = media = tmp_path / "media"
    evaluation = matrix.field_evaluation()
    site = matrix.field_site(matrix.field_plan(evaluation))
    verifier = matrix.field_verifier()
    failures: list[BaseException] = []

    def finish_while_scanning(conn: socket.socket) -> None:
        read_instream(conn)
        try:
            services.field_finish(evaluation=Evaluation.objects.get(pk=evaluation.pk), by=verifier)
        except BaseException as exc:  # reported below: the server thread would swallow it
            failures.append(exc)
        finally:
            connections.close_all()
        conn.sendall(b"stream: OK\0")

    with serve(finish_while_scanning) as address:
        settings.CLAMD_ADDRESS = address
        with pytest.raises(services.FieldVisitClosed, match="tahap Verifikasi lapangan"):
            services.photo_add(
                site=site,
                upload=SimpleUploadedFile("IMG_0001.jpg", matrix.gps_jpeg()),
                latitude="-2.991667",
                longitude="104.754167",
                by=verifier,
            )
    assert not failures
    assert Evaluation.objects.get(pk=evaluation.pk).status != Evaluation.Status.FIELD_VERIFICATION
    assert not FieldPhoto.objects.exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    refusal = AuditEvent.objects.get(action="kla.fieldphoto.refused")
    assert (refusal.object_id, refusal.actor) == (str(site.pk), verifier)
    assert refusal.after["code"] == "closed" and refusal.after["name"] == "IMG_0001.jpg"


def test_a_photo_taken_while_the_stage_stays_open_is_stored_after_a_clean_scan(settings, tmp_path: Path) -> None:
    """Guards the test above: the same harness, doing nothing while it scans, stores the photo."""
    from kla.demo.services import demo_seed

    demo_seed()
    settings.MEDIA_ROOT = tmp_path / "media"
    site = matrix.field_site(matrix.field_plan(matrix.field_evaluation()))

    def clean(conn: socket.socket) -> None:
        read_instream(conn)
        conn.sendall(b"stream: OK\0")

    with serve(clean) as address:
        settings.CLAMD_ADDRESS = address
        photo = services.photo_add(
            site=site, upload=SimpleUploadedFile("IMG_0002.jpg", matrix.gps_jpeg()), by=matrix.field_verifier()
        )
    assert Path(photo.file.path).is_file()
    assert AuditEvent.objects.get(action="kla.fieldphoto.added").after["metadata_removed"] is True
