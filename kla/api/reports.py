"""/api/v1 for exports: ask for a table of a cycle (or an evaluation's score sheet as PDF, its evidence pack as
ZIP, or a RAD KLA recap of a region as XLSX), follow its progress, download it. The same service, scope, seal,
limit, expiry and download rules as the Laporan page."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from kla.api.auth import TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import Error, ExportIn, ExportOut, Id
from kla.core import audit
from kla.evaluations import access as evaluation_access
from kla.evaluations.models import Entry, Evaluation
from kla.rad import access as rad_access
from kla.reports import selectors, services
from kla.reports.downloads import file_response
from kla.reports.models import Export
from kla.reports.rad_recaps import request_recap

router = Router(auth=TokenOrSession(), tags=["laporan"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


def _out(request: HttpRequest, export: Export) -> dict[str, Any]:
    expires = export.expires_at()
    available = export.status == Export.Status.READY and (expires is None or expires > timezone.now())
    return {
        "id": export.pk,
        "kind": export.kind,
        "label": getattr(export, "label", export.kind),
        "cycle": export.cycle_code,
        "evaluation_id": export.evaluation_id,
        "entry_id": export.entry_id,
        "format": export.format,
        "status": export.status,
        "status_label": export.get_status_display(),
        "rows_done": export.rows_done,
        "rows_total": export.rows_total,
        "percent": export.percent,
        "error": export.error_text,
        "note": export.note_text,
        "requested_at": export.requested_at,
        "finished_at": export.finished_at,
        "expires_at": expires,
        "download_url": request.build_absolute_uri(f"/api/v1/exports/{export.pk}/file") if available else None,
    }


def _mine(request: HttpRequest, export_id: int) -> Export:
    found = next((e for e in selectors.my_exports(api_user(request), only=export_id)), None)
    if found is None:
        raise Http404(gettext("Laporan tidak ditemukan."))
    return found


@router.post("/exports/", response={202: ExportOut, **ERRORS}, summary="Minta laporan (XLSX/CSV) satu siklus")
def export_create(request: HttpRequest, payload: ExportIn) -> Any:
    """The rows are chosen when the task runs, through the caller's scope and the seal; poll the returned export
    until `status` is `ready`, then download `download_url`. At most three unfinished exports per user."""
    user = api_user(request)
    try:
        export = services.request_export(user=user, kind=payload.kind, cycle_code=payload.cycle, fmt=payload.format)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(202, _out(request, _mine(request, export.pk)))


class RadRecapIn(Schema):
    kind: Literal["rad-rekap-rencana", "rad-rekap-anggaran"] = Field(
        description="rad-rekap-rencana: one row per budget line; rad-rekap-anggaran: per plan, year and agency"
    )
    region: str = Field(
        description="code of a kab/kota or province whose RAD KLA the caller reads (a province: its own plan and "
        "those of its kab/kota)",
        max_length=20,
    )


@router.post(
    "/exports/rad-recaps",
    response={202: ExportOut, **ERRORS},
    summary="Minta rekap RAD KLA (XLSX) satu kabupaten/kota atau provinsi",
)
def rad_recap_create(request: HttpRequest, payload: RadRecapIn) -> Any:
    """The rows are chosen when the task runs, through the caller's scope; a region outside it answers 404 like
    one that does not exist. Poll the returned export until `status` is `ready`, then download `download_url`."""
    user = api_user(request)
    region = rad_access.get_region_for_user(user, payload.region)
    try:
        export = request_recap(user=user, kind=payload.kind, region=region)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(202, _out(request, _mine(request, export.pk)))


@router.post(
    "/evaluations/{evaluation_id}/score-sheet-pdf",
    response={202: ExportOut, **ERRORS},
    summary="Minta lembar nilai satu evaluasi sebagai PDF",
)
def score_sheet_create(request: HttpRequest, evaluation_id: Id) -> Any:
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    try:
        export = services.request_score_sheet(user=user, evaluation=evaluation)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(202, _out(request, _mine(request, export.pk)))


@router.post(
    "/evaluations/{evaluation_id}/evidence-pack",
    response={202: ExportOut, **ERRORS},
    summary="Minta paket bukti dukung (ZIP) satu evaluasi",
)
def evaluation_pack_create(request: HttpRequest, evaluation_id: Id) -> Any:
    """Every active evidence file of the evaluation, one folder per indicator, with `daftar-bukti.csv` listing
    each file's metadata and SHA-256. 422 when there is nothing to pack or the pack would be too large."""
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    return _queue_pack(request, evaluation, None)


@router.post(
    "/entries/{entry_id}/evidence-pack",
    response={202: ExportOut, **ERRORS},
    summary="Minta paket bukti dukung (ZIP) satu indikator",
)
def entry_pack_create(request: HttpRequest, entry_id: Id) -> Any:
    entry = evaluation_access.get_entry_for_user(api_user(request), entry_id)
    return _queue_pack(request, entry.evaluation, entry)


def _queue_pack(request: HttpRequest, evaluation: Evaluation, entry: Entry | None) -> Any:
    try:
        export = services.request_evidence_pack(user=api_user(request), evaluation=evaluation, entry=entry)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(202, _out(request, _mine(request, export.pk)))


@router.get("/exports/", response={200: list[ExportOut], **ERRORS}, summary="Laporan yang saya minta (terbaru dulu)")
@paginate(Pagination)
def export_list(request: HttpRequest) -> Any:
    return [_out(request, e) for e in selectors.my_exports(api_user(request), limit=100)]


@router.get("/exports/{export_id}", response={200: ExportOut, **ERRORS}, summary="Status dan kemajuan laporan")
def export_detail(request: HttpRequest, export_id: Id) -> Any:
    return _out(request, _mine(request, export_id))


@router.get("/exports/{export_id}/file", response={200: None, **ERRORS}, summary="Unduh berkas laporan")
def export_file(request: HttpRequest, export_id: Id) -> Any:
    return file_response(
        api_user(request),
        export_id,
        ip=audit.client_ip(request),
        not_ready=gettext("Laporan ini belum siap diunduh; lihat statusnya di /api/v1/exports/{id}."),
    )
