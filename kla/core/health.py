"""Health probes of the plumbing: the database, free disk space, the background-task backlog.

Each probe answers a `Probe` (a name, ok or not, a short Indonesian detail without paths or addresses, as the
answer is public) and never raises: a probe that cannot run has failed. `kla.site.views` composes them into
`/healthz` (liveness: the database only) and `/readyz` (every probe, 503 naming the failed ones). The limits come
from settings (`KLA_HEALTH_*`, see config/settings.py).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django_tasks_db.models import DBTaskResult, get_date_max


@dataclass(frozen=True, slots=True)
class Probe:
    name: str
    ok: bool
    detail: str = "ok"


def database() -> Probe:
    """The database answers `SELECT 1`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return Probe("database", False, f"tidak terhubung ({type(exc).__name__})")
    return Probe("database", True)


def disk_free(name: str, path: Path | str, *, min_free_bytes: int, created_on_use: bool = False) -> Probe:
    """At least `min_free_bytes` free for unprivileged writers on the filesystem holding `path`.

    A directory that is `created_on_use` (MEDIA_ROOT: the storage makes it at the first upload) is measured on its
    nearest existing parent while it does not exist yet; any other missing directory fails the probe.
    """
    where = Path(path)
    while created_on_use and not where.exists() and where.parent != where:
        where = where.parent
    try:
        stat = os.statvfs(where)
    except OSError as exc:
        return Probe(name, False, f"tidak dapat dibaca ({exc.strerror or type(exc).__name__})")
    free = stat.f_bavail * stat.f_frsize
    mib = 1024 * 1024
    if free < min_free_bytes:
        return Probe(name, False, f"ruang kosong {free // mib} MiB, minimal {min_free_bytes // mib} MiB")
    return Probe(name, True)


def task_backlog(*, now: dt.datetime, max_age: dt.timedelta, max_ready: int) -> Probe:
    """The task queue is being worked off: the oldest task that is due has waited less than `max_age`, and fewer
    than `max_ready` tasks are due. One aggregate query on django-tasks-db's table (empty with the immediate backend
    of development and tests)."""
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    try:
        row = DBTaskResult.objects.ready().aggregate(
            waiting=Count("id"), oldest=Min(Greatest("enqueued_at", due_since))
        )
    except DatabaseError as exc:
        return Probe("tasks", False, f"antrean tidak dapat dibaca ({type(exc).__name__})")
    waiting, oldest = int(row["waiting"] or 0), row["oldest"]
    if waiting >= max_ready:
        return Probe("tasks", False, f"{waiting} tugas menunggu, batas {max_ready}; periksa pekerja tugas latar")
    if oldest is not None and now - oldest > max_age:
        minutes = int((now - oldest).total_seconds() // 60)
        return Probe("tasks", False, f"tugas tertua menunggu {minutes} menit; periksa pekerja tugas latar")
    return Probe("tasks", True)


def report(probes: list[Probe]) -> tuple[int, dict[str, object]]:
    """The HTTP status and JSON body for a list of probes: 200 when all are ok, else 503 naming the failed ones."""
    failed = [p.name for p in probes if not p.ok]
    body: dict[str, object] = {
        "status": "error" if failed else "ok",
        "checks": {p.name: p.detail for p in probes},
        "failed": failed,
    }
    return (503 if failed else 200), body
