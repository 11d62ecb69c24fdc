"""/api/v1 for verification and results: workflow steps, verdicts, returns, and scores through the seal.

Every score, verdict point and predicate leaves through `kla.evaluations.seal` (via `kla.results.selectors`): before
publication a kab/kota or province caller never receives the ministry's verified scores or the predicate.
Reads accept a token or the browser session; writes need a token. Results and predicate history are public.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from kla.api.auth import PublicOrToken, TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import (
    AcceptedOut,
    EntriesAcceptIn,
    EntriesReturnIn,
    EntryStateOut,
    Error,
    EvaluationStateOut,
    PredicateRecordOut,
    ReturnedOut,
    ReviewsOut,
    ScoresOut,
    StepIn,
    VerdictIn,
    VerdictOut,
)
from kla.evaluations import access as evaluation_access
from kla.evaluations import services as evaluation_services
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.evaluations.seal import ScoreStage, Viewer, redact, visible_stages
from kla.evaluations.workflow import STATE_LABELS, Step
from kla.indicators.scoring import BandRule
from kla.regions import selectors as region_selectors
from kla.results.models import PredicateRecord
from kla.results.selectors import regions as results_regions
from kla.results.selectors import scores as results_scores
from kla.verification.models import Verdict
from kla.verification.review_stages import SCORE_OF
from kla.verification.services import returns, steps, verdicts

router = Router(auth=TokenOrSession(), tags=["verifikasi dan hasil"])
# 400: a body that is not JSON (or multipart) at all, or one Django refuses to read (SuspiciousOperation).
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
NOT_RELEASED = gettext_lazy("Hasil belum diumumkan.")
CENTS = Decimal("0.01")


def _state_out(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "status": evaluation.status,
        "status_label": gettext(STATE_LABELS[evaluation.state]),
        "status_changed_at": evaluation.status_changed_at,
    }


def _verdict_out(verdict: Verdict) -> dict[str, Any]:
    return {
        "id": verdict.pk,
        "entry_id": verdict.entry_id,
        "indicator": verdict.entry.indicator.code,
        "question": verdict.question.code if verdict.question is not None else None,
        "stage": verdict.stage,
        "decision": verdict.decision,
        "points": verdict.points,
        "reason": verdict.reason,
        "decided_at": verdict.decided_at,
    }


def _predicate_out(band: BandRule | None) -> dict[str, str] | None:
    return {"code": band.code, "name": band.name} if band is not None else None


def _entries_of(evaluation: Evaluation, ids: Iterable[int]) -> list[Entry]:
    """The chosen entries, only from the evaluation the caller passed the gate for; foreign ids are refused."""
    wanted = set(ids)
    found = list(evaluation.entries.filter(pk__in=wanted))
    unknown = sorted(wanted - {e.pk for e in found})
    if unknown:
        raise HttpError(
            422, gettext("Entri %(join)s tidak ada pada evaluasi ini.") % {"join": ", ".join(map(str, unknown))}
        )
    return found


class _MappedPage:
    """A queryset whose rows are turned into output only for the page the paginator slices (one query a page)."""

    def __init__(self, queryset: QuerySet[Any], to_item: Callable[[Any], dict[str, Any]]) -> None:
        self.queryset = queryset
        self.to_item = to_item

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.to_item(row) for row in self.queryset[page]]


# --- workflow ------------------------------------------------------------------------------------------------------


@router.post(
    "/evaluations/{evaluation_id}/steps/{step}",
    response={200: EvaluationStateOut, **ERRORS},
    summary="Ambil satu langkah alur (kirim, mulai verifikasi, usulkan, tetapkan, ...)",
)
def step_take(request: HttpRequest, evaluation_id: int, step: str, payload: StepIn | None = None) -> Any:
    """`submit` sends the self-assessment (`acknowledge_missing`: send with missing items); never publication."""
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    try:
        chosen = Step(step)
    except ValueError:
        choices = ", ".join(s.value for s in Step if s != Step.PUBLISH)
        raise HttpError(
            422,
            gettext('Langkah "%(value)s" tidak dikenal. Pilihan: %(choices)s.')
            % {"value": step[:40], "choices": choices},
        ) from None
    if chosen == Step.PUBLISH:
        raise HttpError(422, gettext("Pengumuman hasil dilakukan administrator Kementerian dari halaman pengumuman."))
    if chosen == Step.SUBMIT:
        acknowledge = payload.acknowledge_missing if payload is not None else False
        below_gate = payload.confirm_below_gate if payload is not None else False
        evaluation = evaluation_services.evaluation_submit(
            evaluation=evaluation, by=user, acknowledge_missing=acknowledge, confirm_below_gate=below_gate
        )
    else:
        evaluation = steps.advance(evaluation=evaluation, step=chosen, by=user)
    return _state_out(evaluation)


# --- reviews -------------------------------------------------------------------------------------------------------


@router.get(
    "/evaluations/{evaluation_id}/reviews",
    response={200: ReviewsOut, **ERRORS},
    summary="Keputusan verifikasi (reviewer) dan indikator yang dikembalikan",
)
def reviews(request: HttpRequest, evaluation_id: int) -> Any:
    """Reviewers see the verdicts of the stages the seal lets them see; the kab/kota sees only its returned entries."""
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    viewer = results_scores.viewer_for(user, evaluation.region_id)
    verdicts: list[dict[str, Any]] = []
    if viewer in (Viewer.MINISTRY, Viewer.PROVINCE):
        cycle = evaluation.cycle
        allowed = visible_stages(viewer, published=cycle.is_published(), public_details=cycle.public_details)
        stages = [stage for stage, score in SCORE_OF.items() if score in allowed]
        verdicts = [
            _verdict_out(v)
            for v in Verdict.objects.filter(entry__evaluation=evaluation, stage__in=stages)
            .select_related("entry__indicator", "question")
            .order_by("entry__indicator__position", "question__position", "stage")
        ]
    returned = (
        Entry.objects.filter(evaluation=evaluation, status=Entry.Status.RETURNED)
        .select_related("indicator")
        .order_by("indicator__position")
    )
    return {
        "verdicts": verdicts,
        "returned_entries": [
            {
                "id": e.pk,
                "indicator": e.indicator.code,
                "indicator_name": e.indicator.name,
                "reason": e.return_reason,
                "deadline": e.return_deadline,
                "returned_at": e.returned_at,
            }
            for e in returned
        ],
    }


@router.put(
    "/entries/{entry_id}/verdicts/{question_code}",
    response={200: VerdictOut, **ERRORS},
    summary="Keputusan verifikator atas satu pertanyaan: diterima, dikoreksi (dengan poin) atau dikembalikan",
)
def verdict_put(request: HttpRequest, entry_id: int, question_code: str, payload: VerdictIn) -> Any:
    user = api_user(request)
    entry = evaluation_access.get_entry_for_user(user, entry_id)
    question = entry.indicator.questions.filter(code=question_code).first()
    if question is None:
        return Status(
            404,
            {
                "detail": gettext("Pertanyaan %(question_code)s tidak ada pada indikator %(code)s.")
                % {"question_code": question_code, "code": entry.indicator.code}
            },
        )
    verdict = verdicts.verdict_record(
        entry=entry,
        question=question,
        decision=payload.decision,
        points=payload.points,
        reason=payload.reason,
        by=user,
    )
    return _verdict_out(verdict)


@router.post(
    "/evaluations/{evaluation_id}/accept",
    response={200: AcceptedOut, **ERRORS},
    summary="Terima semua pertanyaan yang belum diputuskan pada indikator terpilih",
)
def entries_accept(request: HttpRequest, evaluation_id: int, payload: EntriesAcceptIn) -> Any:
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    entries = _entries_of(evaluation, payload.entries)
    accepted = verdicts.entries_accept(evaluation=evaluation, entries=entries, comment=payload.comment, by=user)
    return {"accepted": accepted}


@router.post(
    "/evaluations/{evaluation_id}/return",
    response={200: ReturnedOut, **ERRORS},
    summary="Kembalikan indikator terpilih ke kabupaten/kota dengan alasan dan batas perbaikan",
)
def entries_return(request: HttpRequest, evaluation_id: int, payload: EntriesReturnIn) -> Any:
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    entries = _entries_of(evaluation, payload.entries)
    deadline = payload.deadline
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)  # read in the site's time zone (WIB)
    returned = returns.entries_return(
        evaluation=evaluation,
        entries=entries,
        reason=payload.reason,
        deadline=deadline,
        by=user,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return {"returned": returned}


@router.post(
    "/entries/{entry_id}/resubmit",
    response={200: EntryStateOut, **ERRORS},
    summary="Kirim ulang indikator yang sudah diperbaiki",
)
def entry_resubmit(request: HttpRequest, entry_id: int) -> Any:
    user = api_user(request)
    entry = evaluation_access.get_entry_for_user(user, entry_id)
    resubmitted = returns.entry_resubmit(entry=entry, by=user)
    return {"id": resubmitted.pk, "indicator": entry.indicator.code, "status": resubmitted.status}


# --- scores and results --------------------------------------------------------------------------------------------


@router.get(
    "/evaluations/{evaluation_id}/scores",
    response={200: ScoresOut, **ERRORS},
    summary="Nilai per tahap dan predikat yang boleh Anda lihat",
)
def scores(request: HttpRequest, evaluation_id: int) -> Any:
    """Only what the seal allows: before publication a kab/kota sees its EM, a province also its own verification."""
    user = api_user(request)
    evaluation = evaluation_access.get_evaluation_for_user(user, evaluation_id)
    visible = results_scores.visible_scores(user, [evaluation])[0]
    return {
        "stages": {stage.value: value for stage, value in visible.scores.items()},
        "predicate": _predicate_out(visible.predicate),
        "sealed": visible.sealed,
        "published": visible.published,
    }


@router.get(
    "/regions/{code}/predicates",
    response={200: list[PredicateRecordOut], **ERRORS},
    auth=PublicOrToken(),
    exclude_unset=True,
    summary="Riwayat predikat wilayah (hanya yang sudah diumumkan)",
)
@paginate(Pagination)
def predicates(request: HttpRequest, code: str) -> Any:
    """Imported years and released cycles; a score only when its cycle publishes detailed scores."""
    region = region_selectors.region_get(code)
    records = results_regions.predicate_history(region.code)
    cycles = {
        c["pk"]: c
        for c in Cycle.objects.filter(pk__in={r.cycle_id for r in records if r.cycle_id is not None}).values(
            "pk", "code", "public_details"
        )
    }
    items = []
    for record in records:
        cycle = cycles.get(record.cycle_id) if record.cycle_id is not None else None
        item: dict[str, Any] = {
            "year": record.year,
            "predicate": {"code": record.band_code, "name": record.band_name} if record.band_code else None,
            "source": record.source,
            "cycle_code": cycle["code"] if cycle is not None else None,
        }
        if record.score is not None and record.source == PredicateRecord.Source.CYCLE and cycle is not None:
            shown = redact(
                {ScoreStage.FINAL: record.score}, Viewer.PUBLIC, published=True, public_details=cycle["public_details"]
            )
            if ScoreStage.FINAL in shown:
                item["score"] = shown[ScoreStage.FINAL]
        items.append(item)
    return items
