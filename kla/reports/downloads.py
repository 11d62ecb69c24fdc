"""Handing out a finished export as a file: one response for the Laporan page and the API alike."""

from __future__ import annotations

from django.http import FileResponse, Http404

from kla.accounts.models import User
from kla.reports import services
from kla.reports.models import Export
from kla.reports.writers import CONTENT_TYPES


def file_response(user: User, pk: int, *, ip: str | None, not_ready: str) -> FileResponse:
    """The requester's export as an attachment (page and API); 404 with what to do when it cannot be handed out."""
    try:
        export, stored = services.hand_out(user, pk, ip=ip, not_ready=not_ready)
    except Export.DoesNotExist as exc:
        raise Http404(str(exc)) from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=services.download_name(export),
        content_type=CONTENT_TYPES[export.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
