"""Liveness stays one query; readiness checks the scanner, the task queue and free disk, and names what failed.

The scanner checks run a real clamd (the fixture of kla/evidence/tests, skipped where clamd is not installed); the
disk checks a real tiny filesystem (kla/core/tests/disk.py, skipped without root).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kla.core import health
from kla.core.tests.disk import fill, tiny_tmpfs
from kla.evidence.tests.conftest import Clamd, _free_port, _short_tmpdir
from kla.evidence.tests.conftest import clamd as clamd

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(settings: Any, tmp_path: Path) -> Any:
    """Settings under which every probe passes: no scanner configured, a roomy media and spool directory."""
    settings.CLAMD_ADDRESS = None
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.KLA_HEALTH_MIN_FREE_MB = 1
    return settings


def _due_task(*, waited: dt.timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="kla.verification.tasks.render_proposal_letter",
        backend_name="default",
        run_after=timezone.now() - waited,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def test_liveness_is_one_query(client: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert len(queries) == 1


def test_liveness_answers_503_when_the_database_does_not(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"
    assert "tidak terhubung" in response.json()["database"]


def test_readiness_lists_every_check(client: Any, ready: Any) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "clamd", "tasks", "disk_media", "disk_upload_tmp"}
    assert body["checks"]["clamd"].startswith("tidak dipakai")
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert client.get("/healthz?full=1").json() == body


def test_readiness_answers_503_naming_the_failed_checks(client: Any, ready: Any) -> None:
    ready.KLA_HEALTH_MIN_FREE_MB = 10**12  # more than any disk holds
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "error"
    assert body["failed"] == ["disk_media", "disk_upload_tmp"]
    assert "minimal" in body["checks"]["disk_media"] and body["checks"]["database"] == "ok"
    assert client.get("/healthz?full=1").status_code == 503
    assert client.get("/healthz").status_code == 200  # liveness does not look at the disk


def test_a_real_clamd_is_ready_and_a_dead_one_is_not(client: Any, ready: Any, clamd: Clamd) -> None:
    ready.CLAMD_ADDRESS = clamd.socket_path
    assert client.get("/readyz").json()["checks"]["clamd"] == "ok"
    ready.CLAMD_ADDRESS = clamd.tcp
    assert client.get("/readyz").status_code == 200
    ready.CLAMD_ADDRESS = str(_short_tmpdir() / "no-clamd.sock")
    body = client.get("/readyz").json()
    assert body["failed"] == ["clamd"] and "tidak menjawab" in body["checks"]["clamd"]
    ready.CLAMD_ADDRESS = f"127.0.0.1:{_free_port()}"  # nobody listens there
    assert client.get("/readyz").status_code == 503


def test_an_old_due_task_or_a_long_queue_is_a_backlog(client: Any, ready: Any) -> None:
    ready.KLA_HEALTH_TASK_MAX_AGE_SECONDS = 600
    _due_task(waited=dt.timedelta(minutes=2))
    assert client.get("/readyz").status_code == 200
    _due_task(waited=dt.timedelta(minutes=15))
    body = client.get("/readyz").json()
    assert body["failed"] == ["tasks"] and "15 menit" in body["checks"]["tasks"]

    DBTaskResult.objects.all().delete()
    ready.KLA_HEALTH_TASK_MAX_READY = 3
    for _ in range(3):
        _due_task(waited=dt.timedelta(seconds=1))
    body = client.get("/readyz").json()
    assert body["failed"] == ["tasks"] and "3 tugas menunggu" in body["checks"]["tasks"]


def test_tasks_not_yet_due_or_finished_are_no_backlog() -> None:
    now = timezone.now()
    future = _due_task(waited=dt.timedelta(hours=2))
    DBTaskResult.objects.filter(pk=future.pk).update(run_after=now + dt.timedelta(hours=1))
    finished = _due_task(waited=dt.timedelta(hours=2))
    DBTaskResult.objects.filter(pk=finished.pk).update(status="SUCCESSFUL")
    probe = health.task_backlog(now=now, max_age=dt.timedelta(minutes=10), max_ready=10)
    assert probe.ok, probe
    # a task scheduled an hour ago and due since then has waited an hour, though it was enqueued earlier
    DBTaskResult.objects.filter(pk=future.pk).update(run_after=now - dt.timedelta(hours=1))
    probe = health.task_backlog(now=now, max_age=dt.timedelta(minutes=10), max_ready=10)
    assert not probe.ok and "60 menit" in probe.detail


@pytest.fixture
def tiny_media() -> Iterator[Path]:
    with tiny_tmpfs(size_kib=2048) as where:
        yield where


def test_a_nearly_full_media_volume_is_not_ready(client: Any, ready: Any, tiny_media: Path) -> None:
    ready.MEDIA_ROOT = tiny_media
    ready.KLA_HEALTH_MIN_FREE_MB = 1
    assert client.get("/readyz").status_code == 200
    filler = fill(tiny_media, leave_kib=512)
    body = client.get("/readyz").json()
    assert body["failed"] == ["disk_media"] and body["checks"]["disk_media"].startswith("ruang kosong")
    assert str(tiny_media) not in response_text(client)  # no paths in a public answer
    filler.unlink()
    assert client.get("/readyz").status_code == 200


def response_text(client: Any) -> str:
    return client.get("/readyz").content.decode()


def test_a_missing_spool_fails_but_a_media_root_not_yet_made_is_measured_on_its_parent(tmp_path: Path) -> None:
    probe = health.disk_free("disk_upload_tmp", "/nonexistent/kla-spool", min_free_bytes=1)
    assert not probe.ok and "tidak dapat dibaca" in probe.detail
    assert health.disk_free("disk_media", tmp_path / "media" / "new", min_free_bytes=1, created_on_use=True).ok
