"""/api/v1 for the self-assessment: evaluations, entries, answers and evidence, through the same gates and services.

Reads accept a token or the browser session; writes need a token (`Authorization: Bearer kla_…`).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from kla.api import evaluation_list
from kla.api.auth import TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import Error
from kla.core import audit
from kla.evaluations import access as evaluation_access
from kla.evaluations import selectors, services
from kla.evaluations.models import Answer
from kla.evidence import linking
from kla.evidence import services as evidence_services
from kla.evidence.access import get_evidence_for_user
from kla.evidence.downloads import file_response
from kla.evidence.models import Evidence

router = Router(auth=TokenOrSession(), tags=["evaluasi"])
# 400: a body that is not JSON (or multipart) at all, or one Django refuses to read (SuspiciousOperation).
# The keys of kla.indicators.framework_schema.EVIDENCE_TYPE_LABELS, spelled out so the schema lists them
# (kla/api/tests/test_schema_fuzz.py keeps the two in step).
EvidenceType = Literal["regulation", "decree", "budget", "report", "minutes", "photo", "video", "data_table"]

ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class EvaluationOut(Schema):
    id: int
    cycle_code: str
    region_code: str
    region_name: str
    status: str
    em_score_live: Decimal
    em_score_submitted: Decimal | None
    answered: int
    questions: int


class AnswerOut(Schema):
    question: str
    value: dict[str, Any]
    points: Decimal
    explanation: str
    warnings: list[dict[str, str]]
    justification: str
    version: int
    updated_at: datetime | None


class EvidenceOut(Schema):
    id: int
    question: str
    evidence_type: str
    original_name: str
    mime: str
    size: int
    sha256: str
    page_count: int | None
    doc_number: str
    doc_date: date | None
    issuer: str
    period_start: date | None = None
    period_end: date | None = None
    description: str = ""
    status: str
    scan_status: str = Field(description="clean, or not_scanned (stored while no virus scanner was configured)")
    warnings: list[str] = Field(
        default_factory=list, description="what the file check noted without refusing, e.g. a PDF's active content"
    )
    uploaded_at: datetime
    download_url: str
    source: str = Field(
        "", description="where a file attached by reference came from (e.g. taskforce); empty when uploaded"
    )
    source_id: int | None = None
    source_label: str = ""


class EntryOut(Schema):
    id: int
    indicator: str
    indicator_name: str
    status: str
    agencies: list[str]
    answers: list[AnswerOut]
    evidence: list[EvidenceOut]


class AnswerIn(Schema):
    value: dict[str, Any]
    justification: str = ""
    version: int | None = None


class SavedAnswerOut(AnswerOut):
    needs_justification: bool
    em_score_live: Decimal


def _evidence_out(request: HttpRequest, e: Evidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "question": e.question.code,
        "evidence_type": e.evidence_type,
        "original_name": e.original_name,
        "mime": e.mime,
        "size": e.size,
        "sha256": e.sha256,
        "page_count": e.page_count,
        "doc_number": e.doc_number,
        "doc_date": e.doc_date,
        "issuer": e.issuer,
        "period_start": e.period_start,
        "period_end": e.period_end,
        "description": e.description,
        "status": e.status,
        "scan_status": e.scan_status,
        "warnings": e.warnings_text,
        "uploaded_at": e.uploaded_at,
        "download_url": request.build_absolute_uri(f"/api/v1/evidence/{e.pk}/file"),
        "source": e.source,
        "source_id": e.source_id,
        "source_label": e.source_label,
    }


def _answer_out(a: Answer) -> dict[str, Any]:
    return {
        "question": a.question.code,
        "value": a.value,
        "points": a.points,
        "explanation": a.explanation,
        "warnings": a.warnings,
        "justification": a.justification,
        "version": a.version,
        "updated_at": a.updated_at,
    }


class _PageOfEvaluations(Pagination):
    """`?limit=&offset=` as everywhere in /api/v1, the page read by `evaluation_list.page_of` (one query)."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        items, count = evaluation_list.page_of(queryset, offset, limit)  # the view hands over the user
        return {self.items_attribute: items, "count": count}


@router.get("/evaluations/", response={200: list[EvaluationOut], **ERRORS}, summary="Evaluasi dalam wilayah Anda")
@paginate(_PageOfEvaluations)
def evaluations(request: HttpRequest) -> Any:
    """One query for the page whatever the number of evaluations (`kla.api.evaluation_list`): the scope's rows cut
    to the page, the live EM score and the answered count computed for the page's rows only, the total as a
    window."""
    return api_user(request)


@router.get("/evaluations/{evaluation_id}", response={200: EvaluationOut, **ERRORS}, summary="Rincian evaluasi")
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> Any:
    ev = evaluation_access.get_evaluation_for_user(api_user(request), evaluation_id)
    progress = selectors.evaluation_progress(ev)
    return {
        "id": ev.pk,
        "cycle_code": ev.cycle.code,
        "region_code": ev.region_id,
        "region_name": ev.region.name,
        "status": ev.status,
        "em_score_live": progress.total_points,
        "em_score_submitted": ev.em_score,
        "answered": progress.answered,
        "questions": progress.questions,
    }


@router.get("/entries/{entry_id}", response={200: EntryOut, **ERRORS}, summary="Entri indikator: jawaban dan bukti")
def entry_detail(request: HttpRequest, entry_id: int) -> Any:
    entry = evaluation_access.get_entry_for_user(api_user(request), entry_id)
    answers = Answer.objects.filter(entry=entry).select_related("question").order_by("question__position")
    files = Evidence.objects.filter(entry=entry).exclude(status=Evidence.Status.REPLACED).select_related("question")
    return {
        "id": entry.pk,
        "indicator": entry.indicator.code,
        "indicator_name": entry.indicator.name,
        "status": entry.status,
        "agencies": sorted(a.agency.short_name for a in entry.assignments.all()),
        "answers": [_answer_out(a) for a in answers],
        "evidence": [_evidence_out(request, e) for e in files],
    }


@router.put(
    "/entries/{entry_id}/answers/{question_code}",
    response={200: SavedAnswerOut, **ERRORS},
    summary="Simpan jawaban satu pertanyaan (dengan versi untuk mencegah menimpa perubahan orang lain)",
)
def answer_put(request: HttpRequest, entry_id: int, question_code: str, payload: AnswerIn) -> Any:
    user = api_user(request)
    entry = evaluation_access.get_entry_for_user(user, entry_id, write=True)
    question = entry.indicator.questions.filter(code=question_code).first()
    if question is None:
        return Status(
            404,
            {
                "detail": gettext("Pertanyaan %(question_code)s tidak ada pada indikator %(code)s.")
                % {"question_code": question_code, "code": entry.indicator.code}
            },
        )
    try:
        result = services.answer_save(
            entry=entry,
            question=question,
            raw_value=payload.value,
            justification=payload.justification,
            expected_version=payload.version,
            by=user,
        )
    except services.AnswerConflict as conflict:
        return Status(
            409,
            {
                "detail": gettext(
                    "Jawaban sudah diubah (versi %(version)s); muat ulang lalu kirim lagi dengan versi terbaru."
                )
                % {"version": conflict.stored.version}
            },
        )
    answer = result.answer
    return {
        **_answer_out(answer),
        "needs_justification": result.needs_justification,
        "em_score_live": result.em_total,
    }


@router.post(
    "/entries/{entry_id}/evidence/{question_code}",
    response={201: EvidenceOut, **ERRORS, 503: Error, 507: Error},
    summary="Unggah bukti dukung (multipart)",
)
def evidence_post(
    request: HttpRequest,
    entry_id: int,
    question_code: str,
    file: File[UploadedFile],
    evidence_type: Form[EvidenceType],
    doc_number: Form[str] = "",
    issuer: Form[str] = "",
) -> Any:
    user = api_user(request)
    entry = evaluation_access.get_entry_for_user(user, entry_id, write=True)
    question = entry.indicator.questions.filter(code=question_code).first()
    if question is None:
        return Status(
            404,
            {
                "detail": gettext("Pertanyaan %(question_code)s tidak ada pada indikator %(code)s.")
                % {"question_code": question_code, "code": entry.indicator.code}
            },
        )
    result = evidence_services.evidence_upload(
        entry=entry,
        question=question,
        upload=file,
        evidence_type=evidence_type,
        meta={"doc_number": doc_number, "issuer": issuer},
        by=user,
    )
    return Status(201, _evidence_out(request, result.evidence))


class LinkIn(Schema):
    source: str = Field(description="the records holding the file, e.g. taskforce")
    source_id: int = Field(description="the file's id in those records (the entry page and the task force API show it)")


@router.post(
    "/entries/{entry_id}/evidence/{question_code}/link",
    response={201: EvidenceOut, **ERRORS},
    summary="Lampirkan berkas dari catatan wilayah (tanpa unggah ulang)",
)
def evidence_link(request: HttpRequest, entry_id: int, question_code: str, payload: LinkIn) -> Any:
    user = api_user(request)
    entry = evaluation_access.get_entry_for_user(user, entry_id, write=True)
    question = entry.indicator.questions.filter(code=question_code).first()
    if question is None:
        return Status(
            404,
            {
                "detail": gettext("Pertanyaan %(question_code)s tidak ada pada indikator %(code)s.")
                % {"question_code": question_code, "code": entry.indicator.code}
            },
        )
    evidence = linking.evidence_link(
        entry=entry, question=question, source=payload.source, source_id=payload.source_id, by=user
    )
    return Status(201, _evidence_out(request, evidence))


@router.get("/evidence/{evidence_id}", response={200: EvidenceOut, **ERRORS}, summary="Metadata bukti dukung")
def evidence_detail(request: HttpRequest, evidence_id: int) -> Any:
    return _evidence_out(request, get_evidence_for_user(api_user(request), evidence_id))


@router.get("/evidence/{evidence_id}/file", response={200: None, **ERRORS}, summary="Unduh berkas bukti dukung")
def evidence_file(request: HttpRequest, evidence_id: int) -> Any:
    return file_response(api_user(request), evidence_id, ip=audit.client_ip(request))
