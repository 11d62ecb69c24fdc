"""/api/v1 for results: a cycle's kab/kota with their state, a province's PROVILA status, a region's targets.

Every score and predicate leaves through `kla.evaluations.seal` (via `kla.results.selectors.scores.visible_scores`):
before publication no one below the ministry receives a verified score or a predicate. A released cycle's results
are public; before the release a province's status is read only by its reviewers and the ministry (404 otherwise,
so nothing about unreleased cycles leaks).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.api.auth import PublicOrToken, TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import Error, PredicateOut
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage, Viewer, redact, visible_predicate
from kla.evaluations.workflow import State
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import wording
from kla.results.models import StageScore
from kla.results.outcomes import public_outcome, result_label
from kla.results.provila import ProvilaStatus, ProvinceRule
from kla.results.selectors import portal as results_portal
from kla.results.selectors.regions import region_targets
from kla.results.selectors.scores import visible_scores
from kla.verification.access import get_province_for_reviewer
from kla.verification.selectors import provila_estimate

router = Router(auth=TokenOrSession(), tags=["verifikasi dan hasil"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}
NOT_RELEASED = gettext_lazy("Hasil belum diumumkan.")
CENTS = Decimal("0.01")


class ResultOut(Schema):
    region_code: str
    region_name: str
    state: str  # determined | below_gate | in_progress
    state_label: str  # the predicate, "Tidak memenuhi ambang batas", "Belum berpredikat", "Belum selesai dievaluasi"
    predicate: PredicateOut | None
    final: Decimal | None = None  # present only when the cycle publishes detailed scores


class ProvilaBlockerOut(Schema):
    code: str
    name: str
    reason: str
    points_needed: Decimal | None


class ProvinceStatusOut(Schema):
    province_code: str
    province_name: str
    cycle_code: str
    published: bool
    estimate: bool  # before publication: counted from the scores the caller may see (EM, province VA)
    eligible: bool
    min_band: PredicateOut
    total: int  # every kab/kota of the province
    meeting: int
    summary: str
    blockers: list[ProvilaBlockerOut]


class PredicateTargetOut(Schema):
    region_code: str
    region_name: str
    target: PredicateOut | None
    year: int | None
    note: str
    score: Decimal | None  # the latest score the caller may see (`score_stage`), None when sealed or absent
    score_stage: str | None  # "final" (latest published cycle) or "em" (estimate from the latest evaluation)
    points_needed: Decimal | None
    reached: bool | None


def _predicate_out(band: BandRule | None) -> dict[str, str] | None:
    return {"code": band.code, "name": band.name} if band is not None else None


class _MappedPage:
    """Rows turned into output only for the page the paginator slices (one query a page)."""

    def __init__(self, queryset: Any, to_item: Any) -> None:
        self.queryset = queryset
        self.to_item = to_item

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.to_item(row) for row in self.queryset[page]]


@router.get(
    "/results/{cycle_code}",
    response={200: list[ResultOut], **ERRORS},
    auth=PublicOrToken(),
    exclude_unset=True,
    summary="Hasil yang sudah diumumkan: setiap kab/kota siklus dengan keadaannya dan predikatnya",
)
@paginate(Pagination)
def results(request: HttpRequest, cycle_code: str) -> Any:
    """Every kab/kota of the cycle with its state: a predicate only for published ones; `final` only when the cycle
    publishes detailed scores. The public view for everybody."""
    cycle = next((c for c in results_portal.published_cycles() if c.code == cycle_code), None)
    if cycle is None:
        raise HttpError(404, str(NOT_RELEASED))  # also for an unknown code: nothing about unreleased cycles leaks
    bands = band_rules(cycle.framework_id)
    final_total = StageScore.objects.filter(evaluation=OuterRef("pk"), stage=ScoreStage.FINAL).values("total")[:1]
    rows = (
        Evaluation.objects.filter(cycle=cycle)
        .order_by("region_id")
        .values("region_id", "region__name", "status")
        .annotate(final=Subquery(final_total))
    )

    def to_item(row: dict[str, Any]) -> dict[str, Any]:
        state = State(row["status"])
        final: Decimal | None = row["final"] if state == State.PUBLISHED else None  # only what was announced
        if final is not None:
            final = final.quantize(CENTS)  # SQLite returns a subquery's decimal unscaled
        totals = {ScoreStage.FINAL: final} if final is not None else {}
        band = visible_predicate(totals, bands, Viewer.PUBLIC, published=True)
        item: dict[str, Any] = {
            "region_code": row["region_id"],
            "region_name": row["region__name"],
            "state": public_outcome(state).value,
            "state_label": gettext(result_label(state, band.name if band else None)),
            "predicate": _predicate_out(band),
        }
        shown = redact(totals, Viewer.PUBLIC, published=True, public_details=cycle.public_details)
        if ScoreStage.FINAL in shown:
            item["final"] = shown[ScoreStage.FINAL]
        return item

    return _MappedPage(rows, to_item)


def _caller(request: HttpRequest) -> User | AnonymousUser:
    user = request.auth  # type: ignore[attr-defined]
    return user if isinstance(user, User) else AnonymousUser()


@router.get(
    "/results/{cycle_code}/provinces/{code}",
    response={200: ProvinceStatusOut, **ERRORS},
    auth=PublicOrToken(),
    summary="Status Provinsi Layak Anak: setiap kab/kota dihitung, dengan penghambatnya",
)
def province_status(request: HttpRequest, cycle_code: str, code: str) -> Any:
    """Released cycles: for everybody, from the announced results. Before the release: only the province's reviewers
    and the ministry, as an estimate from the scores the seal lets them see (404 for everybody else)."""
    user = _caller(request)
    cycle = Cycle.objects.select_related("framework").prefetch_related("deadlines").filter(code=cycle_code).first()
    if cycle is None or cycle.status == Cycle.Status.DRAFT:
        raise HttpError(404, str(NOT_RELEASED))
    published = cycle.is_published()
    if published:
        region = Region.objects.filter(code=code, level=Level.PROVINSI).first()
        if region is None:
            raise HttpError(404, gettext("Provinsi tidak ditemukan."))
    elif isinstance(user, User):
        region = get_province_for_reviewer(user, code)
    else:
        raise HttpError(404, str(NOT_RELEASED))
    rule = ProvinceRule.from_json(cycle.framework.province_rule)
    if rule is None:
        raise HttpError(404, gettext("Instrumen siklus ini tidak memuat syarat Provinsi Layak Anak."))
    bands = band_rules(cycle.framework_id)
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle, region__parent_id=region.code).select_related("region").order_by("pk")
    )
    for evaluation in evaluations:  # all of one cycle and one province: shared, not joined into every row
        evaluation.cycle = cycle
        evaluation.region.parent = region
    visible = visible_scores(user, evaluations, breakdowns=False, bands={cycle.framework_id: bands})
    kabkota = results_portal.province_kabkota([region.code]).get(region.code, [])
    status: ProvilaStatus | None
    if published:  # the reasons of a sealed final score name no points (`province_results`)
        groups = results_portal.province_results(visible, bands, rule, {region.code: kabkota})
        status = groups[0].status if groups else None
        lines = groups[0].blockers if groups else []
        blockers = [
            {
                "code": b.code,
                "name": b.name,
                "reason": wording.blocker_reason(b.reason),
                "points_needed": b.points_needed,
            }
            for b in lines
        ]
    else:
        status, _basis = provila_estimate(rule, visible, bands, kabkota)
        found = status.blockers if status is not None else []
        blockers = [
            {
                "code": b.code,
                "name": b.name,
                "reason": wording.blocker_reason(b.reason),
                "points_needed": b.points_needed,
            }
            for b in found
        ]
    if status is None:
        raise HttpError(404, gettext("Provinsi ini tidak memiliki kabupaten/kota."))
    return {
        "province_code": region.code,
        "province_name": region.name,
        "cycle_code": cycle.code,
        "published": published,
        "estimate": not published,
        "eligible": status.eligible,
        "min_band": _predicate_out(status.min_band),
        "total": status.total,
        "meeting": status.meeting,
        "summary": wording.provila_summary(status),
        "blockers": blockers,
    }


@router.get(
    "/regions/{code}/targets",
    response={200: list[PredicateTargetOut], **ERRORS},
    summary="Target predikat kab/kota di wilayah ini dan kekurangan poinnya",
)
def targets(request: HttpRequest, code: str) -> Any:
    """A kab/kota's target, or those of every kab/kota of a province; for whoever reads the kab/kota's results
    (404 outside the caller's regions). Scores only as the seal allows."""
    user = api_user(request)
    access.require(user, Action.EVALUATION_VIEW, code)
    region = Region.objects.filter(code=code, level__in=[Level.KABKOTA, Level.PROVINSI]).first()
    if region is None:
        raise HttpError(404, gettext("Kabupaten/kota atau provinsi tidak ditemukan."))
    return [vars(t) for t in region_targets(user, region)]
