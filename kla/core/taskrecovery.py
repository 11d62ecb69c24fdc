"""Background tasks a worker was running when it died: retried, or failed visibly, never stuck as "running".

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so when the worker is killed (OOM,
deploy, a crashed host): nothing would ever pick it up again and the page waiting for it would poll forever.
`manage.py task_worker` (the worker to run in production) calls `recover` before it starts taking tasks, and a
supervisor (systemd `Restart=always`, docs/deploy.md) restarts a dead worker, so recovery needs no manual action.

A RUNNING task is orphaned when its worker ran on this host and that process is gone, or when it has been running
longer than `stale_after` (workers on other hosts cannot be checked). An orphan goes back to the queue while it has
had fewer than `max_attempts` runs (every claim appends the worker's id to `worker_ids`), and is marked FAILED
otherwise; a task whose domain object waits for it (e.g. a proposal letter) registers an `on_lost` hook that marks
that object failed with a message for the user. Tasks must therefore be idempotent, which ours are: they write a
file and a status for one object.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

LOST_MESSAGE = (
    "Pekerja tugas latar berhenti saat menjalankan tugas ini dan tugas sudah dicoba ulang {attempts} kali. "
    "Silakan ulangi tindakan Anda; bila tetap gagal, hubungi administrator."
)

_LOST_HOOKS: dict[str, Callable[[list[Any], dict[str, Any]], None]] = {}


class WorkerLost(RuntimeError):
    """Recorded as the exception of a task whose worker died on every attempt."""


def on_lost(task_path: str) -> Callable[[Callable[[list[Any], dict[str, Any]], None]], Any]:
    """Register `hook(args, kwargs)`, called when the task at `task_path` is given up after its worker died."""

    def register(hook: Callable[[list[Any], dict[str, Any]], None]) -> Any:
        _LOST_HOOKS[task_path] = hook
        return hook

    return register


def this_worker_id() -> str:
    """``host:pid``: unique across a pool and enough to tell, on this host, whether the worker still lives."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def is_orphaned(
    worker_id: str,
    started_at: dt.datetime | None,
    *,
    now: dt.datetime,
    host: str,
    stale_after: dt.timedelta,
    alive: Callable[[int], bool] = _pid_alive,
) -> bool:
    """Pure decision: has the worker that claimed this task gone away?"""
    worker_host, sep, pid = worker_id.rpartition(":")
    if sep and worker_host == host and pid.isdigit():
        return not alive(int(pid))
    return started_at is None or now - started_at > stale_after


@dataclass
class RecoveryReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def recover(
    *,
    now: dt.datetime | None = None,
    stale_after: dt.timedelta = dt.timedelta(minutes=30),
    max_attempts: int = 3,
    alive: Callable[[int], bool] = _pid_alive,
) -> RecoveryReport:
    from django_tasks_db.models import DBTaskResult  # the database backend's table; absent backends have no rows

    from kla.core import audit

    now = now or timezone.now()
    host = socket.gethostname()[:40]
    report = RecoveryReport()
    for row in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids", "started_at", "task_path"):
        last = row.worker_ids[-1] if row.worker_ids else ""
        if not is_orphaned(last, row.started_at, now=now, host=host, stale_after=stale_after, alive=alive):
            continue
        attempts = len(row.worker_ids)
        with transaction.atomic():
            claimed = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", worker_ids=row.worker_ids)
            if attempts < max_attempts:
                if not claimed.update(status="READY", started_at=None):
                    continue  # another worker recovered it first
                report.requeued.append(str(row.pk))
                action = "kla.task.requeued"
            else:
                message = LOST_MESSAGE.format(attempts=attempts)
                if not claimed.update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=f"{WorkerLost.__qualname__}: {message}",
                ):
                    continue
                hook = _LOST_HOOKS.get(row.task_path)
                if hook is not None:
                    kwargs = DBTaskResult.objects.get(pk=row.pk).args_kwargs
                    hook(list(kwargs.get("args", [])), dict(kwargs.get("kwargs", {})))
                report.failed.append(str(row.pk))
                action = "kla.task.failed_worker_lost"
            audit.record(
                action=action,
                by=None,
                object_type="django_tasks_db.dbtaskresult",
                object_id=str(row.pk),
                object_label=row.task_path[:255],
                after={"attempts": attempts, "worker": last},
            )
    return report
