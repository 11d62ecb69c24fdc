"""Serving a stored evidence file: one gate, one audit event and the headers that keep it from running, for the page
and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy

from kla.core import audit
from kla.evidence.access import get_evidence_for_user

if TYPE_CHECKING:
    from kla.accounts.models import User

GONE = gettext_lazy(
    "Berkas bukti dukung ini tidak ada lagi di penyimpanan. Laporkan ke administrator, lalu unggah ulang salinannya."
)


def file_response(user: User, pk: int, *, ip: str | None, inline: bool = False) -> FileResponse:
    """One evidence file for the page and the API: the gate, the audit, and headers that keep it from running.

    Reviewers look at photos and PDFs in the browser (`inline`); every other kind is always an attachment. A photo
    keeps the sandbox; a PDF viewer cannot run sandboxed, and PDFs with scripts were refused on upload. A file gone
    from storage is a 404 that says so, and is not audited as taken."""
    evidence = get_evidence_for_user(user, pk)
    try:
        stored = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(GONE) from None
    audit.record(
        action="kla.evidence.downloaded", by=user, obj=evidence, region_code=evidence.entry.evaluation.region_id, ip=ip
    )
    inline = inline and evidence.kind in ("image", "pdf")
    response = FileResponse(
        stored, as_attachment=not inline, filename=evidence.original_name, content_type=evidence.mime
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; frame-ancestors 'none'"
        if inline and evidence.kind == "pdf"
        else "sandbox; default-src 'none'"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class StoredRecord(Protocol):
    """A row that holds a stored file by reference (task-force documents, activity files, RAD files)."""

    pk: Any
    file: FieldFile
    name: str
    mime: str
    region_id: str


def stored_attachment(found: StoredRecord, *, by: User, action: str, gone: str, ip: str | None) -> FileResponse:
    """A stored file of another app as an attachment that cannot run, its download audited as `action`; a file gone
    from storage is a 404 saying `gone`, and is not audited as taken."""
    try:
        stored = found.file.open("rb")
    except FileNotFoundError:
        raise Http404(gone) from None
    audit.record(action=action, by=by, obj=found, region_code=found.region_id, ip=ip)  # type: ignore[arg-type]
    response = FileResponse(stored, as_attachment=True, filename=found.name, content_type=found.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
