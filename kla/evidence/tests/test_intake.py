"""The one way in for files (`kla.evidence.intake`): a target closed while the file was being scanned keeps no file.

The scan can take 30 s. A fake clamd does what another request would do in that time (submit the evaluation,
resubmit a returned entry) from its own thread, on its own database connection, and only then answers "clean". The
upload must then be refused: no row, no file on disk, and the refusal audited. Transactional tests, so the other
connection sees the data and the row locks are real (PostgreSQL); they run on SQLite too.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from kla.accounts.models import User
from kla.core.models import AuditEvent
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import EvaluationClosed, evaluation_submit
from kla.evidence import services
from kla.evidence.models import Evidence, FileHolding
from kla.evidence.tests import files
from kla.evidence.tests.fake_clamd import Behaviour, read_instream, serve
from kla.evidence.tests.stored import demo_entry

pytestmark = pytest.mark.django_db(transaction=True)

PALEMBANG = "16.71"


def scans_while(action: Callable[[], object], failures: list[BaseException]) -> Behaviour:
    """A clamd that reads the file, runs `action` as another request would (its own connection), then says clean."""

    def behave(conn: socket.socket) -> None:
        read_instream(conn)
        try:
            action()
        except BaseException as exc:  # reported by the test: the server thread would swallow it
            failures.append(exc)
        finally:
            connections.close_all()
        conn.sendall(b"stream: OK\0")

    return behave


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    from kla.demo.services import demo_seed

    demo_seed()  # transactional tests start from an empty database
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _upload(entry: Entry, by: User | None) -> Evidence:
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    return services.evidence_upload(
        entry=entry,
        question=question,
        upload=SimpleUploadedFile("SK Gugus Tugas.pdf", files.pdf()),
        evidence_type="report",
        meta={},
        by=by,
    ).evidence


def test_the_fake_scanner_itself_lets_a_file_in(media: Path, settings) -> None:
    """Guards the tests below: the same harness, doing nothing while it scans, gives a clean, stored file."""
    failures: list[BaseException] = []
    with serve(scans_while(lambda: None, failures)) as address:
        settings.CLAMD_ADDRESS = address
        evidence = _upload(demo_entry(PALEMBANG), User.objects.get(username="opd-palembang"))
    assert not failures
    assert evidence.scan_status == Evidence.Scan.CLEAN
    assert _stored_files(media) == [Path(evidence.file.path)]


def test_a_submission_during_the_scan_leaves_no_file_on_the_submitted_evaluation(media: Path, settings) -> None:
    entry = demo_entry(PALEMBANG)
    operator = User.objects.get(username="opd-palembang")
    failures: list[BaseException] = []

    def submit() -> None:
        evaluation = Evaluation.objects.get(pk=entry.evaluation_id)
        evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True, confirm_below_gate=True)

    with serve(scans_while(submit, failures)) as address:
        settings.CLAMD_ADDRESS = address
        with pytest.raises(EvaluationClosed, match="sudah dikirim"):
            _upload(entry, operator)
    assert not failures
    assert Evaluation.objects.get(pk=entry.evaluation_id).status == Evaluation.Status.SUBMITTED
    assert not Evidence.objects.exists()
    assert not FileHolding.objects.exists()
    assert _stored_files(media) == []
    refusal = AuditEvent.objects.get(action="kla.evidence.refused")
    assert (refusal.object_id, refusal.actor) == (str(entry.pk), operator)
    assert refusal.after["code"] == "closed" and "sudah dikirim" in refusal.after["detail"]
    assert refusal.after["name"] == "SK Gugus Tugas.pdf"


def test_a_returned_entry_resubmitted_during_the_scan_keeps_no_file(media: Path, settings) -> None:
    """The entry-level lock: a returned entry is writable until the kab/kota sends it back."""
    from kla.verification.services.returns import entry_resubmit

    entry = demo_entry(PALEMBANG)
    Evaluation.objects.filter(pk=entry.evaluation_id).update(status=Evaluation.Status.MINISTRY_REVIEW)
    Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.RETURNED, return_reason="Lengkapi SK.")
    failures: list[BaseException] = []

    def resubmit() -> None:
        entry_resubmit(entry=Entry.objects.get(pk=entry.pk), by=None)

    with serve(scans_while(resubmit, failures)) as address:
        settings.CLAMD_ADDRESS = address
        with pytest.raises(EvaluationClosed):
            _upload(entry, None)
    assert not failures
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUBMITTED
    assert not Evidence.objects.exists() and _stored_files(media) == []
    assert AuditEvent.objects.get(action="kla.evidence.refused").after["code"] == "closed"


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="row locks between connections: PostgreSQL")
def test_a_submission_still_uncommitted_when_the_upload_writes_makes_the_upload_wait_and_refuse(
    media: Path, settings
) -> None:
    """The re-check takes the evaluation's row lock: a submission that has locked the row but not committed yet is
    waited for, then seen. Without the lock, the re-check would read the evaluation as still open (the submission is
    not committed) and store a file on an evaluation submitted a moment later."""
    import threading

    from django.db import transaction

    entry = demo_entry(PALEMBANG)
    submitted, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def submit_and_hold() -> None:
        try:
            with transaction.atomic():
                evaluation_submit(
                    evaluation=Evaluation.objects.get(pk=entry.evaluation_id),
                    by=None,
                    acknowledge_missing=True,
                    confirm_below_gate=True,
                )
                submitted.set()
                release.wait(timeout=30)  # the commit comes only once the upload is waiting for the lock
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    submission = threading.Thread(target=submit_and_hold)

    def behave(conn: socket.socket) -> None:
        read_instream(conn)
        submission.start()
        submitted.wait(timeout=30)
        conn.sendall(b"stream: OK\0")
        threading.Timer(1.0, release.set).start()  # the upload reaches its row lock meanwhile, and waits

    with serve(behave) as address:
        settings.CLAMD_ADDRESS = address
        with pytest.raises(EvaluationClosed, match="sudah dikirim"):
            _upload(entry, None)
    submission.join(timeout=30)
    assert not failures
    assert not Evidence.objects.exists() and _stored_files(media) == []
    assert AuditEvent.objects.get(action="kla.evidence.refused").after["code"] == "closed"
