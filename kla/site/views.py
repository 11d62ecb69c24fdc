"""The site's own pages: the home page, liveness (`/healthz`) and readiness (`/readyz`, or `/healthz?full=1`)."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kla.core import health
from kla.evidence.scanning import ping
from kla.indicators.selectors import current_framework
from kla.regions.selectors import home_counts

MIB = 1024 * 1024


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"framework": current_framework(), "counts": home_counts()})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: 200 while the database answers one `SELECT 1`, 503 otherwise.

    `?full=1` answers the readiness report instead (the same as `/readyz`).
    """
    if request.GET.get("full") == "1":
        return readyz(request)
    probe = health.database()
    if not probe.ok:
        return JsonResponse({"status": "error", "database": probe.detail}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness for monitoring: the database, the virus scanner, the task backlog and free disk space; 503 with
    the names of the failed checks."""
    status, body = health.report(readiness_probes())
    return JsonResponse(body, status=status)


def readiness_probes() -> list[health.Probe]:
    min_free = settings.KLA_HEALTH_MIN_FREE_MB * MIB
    probes = [health.database(), _clamd()]
    probes.append(
        health.task_backlog(
            now=timezone.now(),
            max_age=dt.timedelta(seconds=settings.KLA_HEALTH_TASK_MAX_AGE_SECONDS),
            max_ready=settings.KLA_HEALTH_TASK_MAX_READY,
        )
    )
    if isinstance(default_storage, FileSystemStorage):  # an object store keeps its own space
        media = str(default_storage.location)
        probes.append(health.disk_free("disk_media", media, min_free_bytes=min_free, created_on_use=True))
    upload_tmp = settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()
    probes.append(health.disk_free("disk_upload_tmp", upload_tmp, min_free_bytes=min_free))
    return probes


def _clamd() -> health.Probe:
    address = settings.CLAMD_ADDRESS
    if not address:
        return health.Probe("clamd", True, "tidak dipakai (CLAMD_ADDRESS kosong)")
    if ping(address, timeout=2.0):
        return health.Probe("clamd", True)
    return health.Probe("clamd", False, "tidak menjawab")
