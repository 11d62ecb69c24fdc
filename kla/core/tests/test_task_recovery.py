"""Tasks orphaned by a dead worker go back to the queue, or fail visibly after the last attempt."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kla.core import taskrecovery
from kla.core.models import AuditEvent
from kla.evaluations.models import Cycle
from kla.regions.models import Region
from kla.verification.models import ProposalLetter

HOST = socket.gethostname()[:40]
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
STALE = dt.timedelta(minutes=30)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid  # reaped: no process has this id now (pids are not reused this quickly)


def test_a_task_of_a_live_worker_on_this_host_is_left_alone() -> None:
    assert not taskrecovery.is_orphaned(f"{HOST}:{os.getpid()}", NOW, now=NOW, host=HOST, stale_after=STALE)


def test_a_task_of_a_dead_worker_on_this_host_is_orphaned_at_once() -> None:
    assert taskrecovery.is_orphaned(f"{HOST}:{_dead_pid()}", NOW, now=NOW, host=HOST, stale_after=STALE)


def test_a_task_of_another_host_is_orphaned_only_when_stale() -> None:
    started = NOW - dt.timedelta(minutes=10)
    assert not taskrecovery.is_orphaned("other-host:1", started, now=NOW, host=HOST, stale_after=STALE)
    assert taskrecovery.is_orphaned("other-host:1", started, now=NOW + STALE, host=HOST, stale_after=STALE)
    # db_worker's own random ids (no host:pid) are judged by age too
    assert taskrecovery.is_orphaned("a1b2c3", NOW - STALE * 2, now=NOW, host=HOST, stale_after=STALE)


def _running(worker_ids: list[str], *, kwargs: dict[str, object] | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": kwargs or {}},
        task_path="kla.verification.tasks.render_proposal_letter",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=worker_ids,
    )


def _letter() -> ProposalLetter:
    return ProposalLetter.objects.create(
        cycle=Cycle.objects.order_by("pk").first(),
        province=Region.objects.get(code="16"),
        number="400/PULIH/2026",
    )


@pytest.mark.django_db
def test_recovery_requeues_an_orphan_and_keeps_live_ones_running() -> None:
    letter = _letter()
    orphan = _running([f"{HOST}:{_dead_pid()}"], kwargs={"letter_id": letter.pk})
    live = _running([f"{HOST}:{os.getpid()}"])
    report = taskrecovery.recover()
    orphan.refresh_from_db()
    live.refresh_from_db()
    assert report.requeued == [str(orphan.pk)] and report.failed == []
    assert orphan.status == "READY" and orphan.started_at is None
    assert live.status == "RUNNING"
    letter.refresh_from_db()
    assert letter.status == ProposalLetter.Status.PENDING  # it will be rendered by the next attempt
    assert AuditEvent.objects.filter(action="kla.task.requeued", object_id=str(orphan.pk)).count() == 1
    assert taskrecovery.recover().requeued == []  # nothing left to do


@pytest.mark.django_db
def test_after_the_last_attempt_the_task_and_its_letter_fail_visibly() -> None:
    letter = _letter()
    dead = f"{HOST}:{_dead_pid()}"
    task = _running([dead, dead, dead], kwargs={"letter_id": letter.pk})
    report = taskrecovery.recover(max_attempts=3)
    task.refresh_from_db()
    letter.refresh_from_db()
    assert report.failed == [str(task.pk)]
    assert task.status == "FAILED" and task.finished_at is not None
    assert task.exception_class_path == "kla.core.taskrecovery.WorkerLost"
    assert "dicoba ulang 3 kali" in task.traceback
    assert letter.status == ProposalLetter.Status.FAILED and "buat surat lagi" in letter.error
    assert AuditEvent.objects.filter(action="kla.task.failed_worker_lost", object_id=str(task.pk)).exists()
