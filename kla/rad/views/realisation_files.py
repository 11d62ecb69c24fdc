"""Evidence files of a recorded quarter: upload (through the intake), download (access-checked, audited) and soft
removal. A file of another region answers 404 like a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kla.core import audit
from kla.core.errors import storage_unavailable
from kla.core.http import AuthedRequest, error_text
from kla.core.storage import Unavailable
from kla.evidence.downloads import stored_attachment
from kla.rad import access
from kla.rad.models import Realisation
from kla.rad.services.evidence_files import realisation_file_add, realisation_file_remove

GONE = gettext_lazy(
    "Bukti realisasi ini tidak ada lagi di penyimpanan. Laporkan ke administrator, lalu unggah "
    "ulang salinannya pada triwulan tersebut."
)


def _back(realisation: Realisation) -> str:
    """The quarter's page, or the year's table for someone who cannot open it."""
    node = access.activity_node(realisation)
    query = f"?tahun={realisation.year}&triwulan={realisation.quarter}"
    if node is not None and node.version.status == "adopted":
        return reverse("rad:realisation_record", args=[node.pk]) + query
    return reverse("rad:realisation", args=[realisation.plan_id]) + query


@require_POST
@login_required
def file_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    realisation = access.get_realisation_for_user(request.user, pk, realise=True)
    back = _back(realisation)
    try:
        added = realisation_file_add(realisation=realisation, upload=request.FILES.get("file"), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"Berkas tidak disimpan: {error_text(exc)}")
    except Unavailable as problem:
        return storage_unavailable(request, problem, back=back)
    else:
        messages.success(request, gettext("%(name)s tersimpan sebagai bukti realisasi.") % {"name": added.name})
    return redirect(back)


@require_POST
@login_required
def file_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    found = access.get_realisation_file_for_user(request.user, pk, write=True)
    try:
        realisation_file_remove(file=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, f"Berkas tidak dihapus: {error_text(exc)}")
    else:
        messages.success(request, gettext("%(name)s dihapus dari bukti realisasi ini.") % {"name": found.name})
    return redirect(_back(found.realisation))


@require_GET
@login_required
def file_download(request: AuthedRequest, pk: int) -> FileResponse:
    """A photo or document of a realisation, as an attachment that cannot run; every download is audited."""
    found = access.get_realisation_file_for_user(request.user, pk)
    return stored_attachment(
        found,
        by=request.user,
        action="kla.rad.realisation.file.downloaded",
        gone=str(GONE),
        ip=audit.client_ip(request),
    )
