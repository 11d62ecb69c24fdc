"""/api/v1: another interface onto the same selectors and access gates as the web pages.

Lists answer ``{"count": N, "items": [...]}`` with ``?limit=&offset=``; errors answer ``{"detail": "..."}``.
"""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import paginate
from pydantic import BaseModel

from kla.accounts import access
from kla.api.activities import router as activity_router
from kla.api.agencies import router as agency_router
from kla.api.auth import SAFE_METHODS, ApiAuthError, PublicOrToken, TokenOrSession, api_user
from kla.api.dashboards import router as dashboard_router
from kla.api.evaluations import router as evaluation_router
from kla.api.notifications import router as notification_router
from kla.api.pagination import Pagination
from kla.api.rad import router as rad_router
from kla.api.reports import router as reports_router
from kla.api.results import router as results_router
from kla.api.schemas import (
    ClusterOut,
    Error,
    FrameworkDetail,
    FrameworkSummary,
    IndicatorOut,
    MembershipOut,
    MeOut,
    QuestionOut,
    RegionDetail,
    RegionOut,
    RegionRef,
)
from kla.api.taskforce import router as taskforce_router
from kla.api.verification import router as verification_router
from kla.core import typed_numbers
from kla.core.storage import Unavailable
from kla.core.validation_messages import describe_error, field_path
from kla.indicators import selectors as framework_selectors
from kla.indicators.models import Cluster, Framework, Indicator
from kla.regions import selectors as region_selectors
from kla.regions.levels import Level
from kla.regions.models import Region


class KlaApi(NinjaAPI):
    """The schema says what `PublicOrToken` does: the token is optional (`security: [{}, {"PublicOrToken": []}]`,
    the empty requirement meaning "no authentication"), so clients and schema-driven tools do not insist on one."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        public: dict[str, list[str]] = {PublicOrToken.__name__: []}
        for operations in schema["paths"].values():
            for operation in operations.values():
                if public in operation.get("security", []):
                    operation["security"] = [{}, *operation["security"]]
        return schema


api = KlaApi(
    title="API Platform KLA",
    version="1",
    description=(
        "API Platform Kabupaten/Kota Layak Anak. Autentikasi: header `Authorization: Bearer <token>` dengan token "
        "pribadi (halaman 'Akun saya' atau `manage.py create_api_token`). Data rujukan (wilayah, instrumen) "
        "terbuka tanpa token."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads assets from a CDN; the schema is at /api/v1/openapi.json
    auth=PublicOrToken(),
)

# 400: a body or query Django refuses to read (SuspiciousOperation); 401: a bad token.
ERRORS: dict[int, Any] = {400: Error, 401: Error, 404: Error, 422: Error}


@api.exception_handler(ApiAuthError)
def _auth_error(request: HttpRequest, exc: ApiAuthError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=401)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": gettext("Autentikasi diperlukan.")}, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or gettext("Tidak ditemukan.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or gettext("Akses ditolak.")}, status=403)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    skip = ("query", "path", "body", "filters", "pagination")
    if (get_language() or "").startswith("en"):  # pydantic's own messages are English
        problems = [f"{field_path(tuple(e.get('loc') or ()), skip)}: {e.get('msg', '')}" for e in exc.errors]
    else:
        problems = [describe_error(e, skip=skip) for e in exc.errors]
    return api.create_response(request, {"detail": gettext("Parameter tidak sah: ") + "; ".join(problems)}, status=422)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # e.g. more files than DATA_UPLOAD_MAX_NUMBER_FILES in one request
    return api.create_response(
        request, {"detail": gettext("Permintaan ditolak: ") + (str(exc) or gettext("tidak sah"))}, status=400
    )


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(Unavailable)
def _storage(request: HttpRequest, exc: Unavailable) -> HttpResponse:
    """A full (507) or failing (503) media volume, or no verdict from the virus scanner (503): nothing was stored;
    the client may retry later."""
    response = api.create_response(request, {"detail": str(exc.message)}, status=exc.status)
    if exc.status == 503:
        response["Retry-After"] = "60"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, BaseModel):
        return _has_nul(value.model_dump())
    if isinstance(value, UploadedFile):
        return _has_nul(value.name or "")
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul(view: Callable[..., Any]) -> Callable[..., Any]:
    """Text with a NUL character never reaches a view: PostgreSQL can neither compare nor store one (a server error).
    A path with one names nothing (404); a write whose input holds one is refused as invalid (422). The reads' query
    filters handle it themselves (a region code is checked, the search text drops it)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if "\x00" in request.path_info:
            raise Http404(gettext("Tidak ditemukan."))
        if request.method not in SAFE_METHODS and _has_nul(kwargs):
            raise HttpError(422, gettext("Parameter tidak sah: teks tidak boleh memuat karakter NUL (\\u0000)."))
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(_refuse_nul)  # after Ninja has validated the input, before any view reads it


def _indonesian_numbers(view: Callable[..., Any]) -> Callable[..., Any]:
    """Numbers sent as text are read the Indonesian way whatever Accept-Language says (`kla.core.typed_numbers`)."""

    @wraps(view)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with typed_numbers.reading("id"):
            return view(request, *args, **kwargs)

    return reading


api.add_decorator(_indonesian_numbers)


@api.get("/", response={200: dict[str, str], **ERRORS}, tags=["umum"], summary="Tentang API ini")
def index(request: HttpRequest) -> Any:
    return {"name": "API Platform KLA", "version": "1", "openapi": request.build_absolute_uri("openapi.json")}


# --- regions -----------------------------------------------------------------------------------------------------


class RegionFilter(Schema):
    parent: str | None = None
    level: Literal["provinsi", "kabkota", "kecamatan", "desa"] | None = None
    q: str = ""


def _region_out(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "parent_code": region.parent_id,
    }


@api.get("/regions/", response={200: list[RegionOut], **ERRORS}, tags=["wilayah"], summary="Daftar wilayah")
@paginate(Pagination)
def regions(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    """Regions by direct parent (`?parent=16` → the kab/kota of Sumatera Selatan) and/or level."""
    access.can_view_reference_data(request.user)
    if filters.parent is not None:
        region_selectors.region_get(filters.parent)  # 404 with a message for an unknown or malformed code
    qs = region_selectors.region_list(
        parent=filters.parent,
        level=Level(filters.level) if filters.level else None,
        q=filters.q.replace("\x00", "").strip()[:60],
    )
    return qs.values("code", "name", "level", "kind", parent_code=F("parent_id"))


@api.get("/regions/{code}", response={200: RegionDetail, **ERRORS}, tags=["wilayah"], summary="Rincian wilayah")
def region_detail(request: HttpRequest, code: str) -> Any:
    access.can_view_reference_data(request.user)
    region = region_selectors.region_get(code)
    parent = region.parent
    return {
        **_region_out(region),
        "parent": RegionRef(code=parent.code, name=parent.name, level=parent.level) if parent else None,
        "children_count": region.children.count(),
    }


# --- frameworks --------------------------------------------------------------------------------------------------


@api.get(
    "/frameworks/", response={200: list[FrameworkSummary], **ERRORS}, tags=["instrumen"], summary="Daftar instrumen"
)
@paginate(Pagination)
def frameworks(request: HttpRequest) -> Any:
    access.can_view_reference_data(request.user)
    return framework_selectors.framework_list().values(
        "code", "year", "name", "name_en", "level", "weights_status", "max_total", indicator_count=Count("indicators")
    )


@api.get(
    "/frameworks/{code}",
    response={200: FrameworkDetail, **ERRORS},
    tags=["instrumen"],
    summary="Rincian instrumen: klaster, indikator, pertanyaan, predikat",
)
def framework_detail(request: HttpRequest, code: str) -> Any:
    access.can_view_reference_data(request.user)
    fw: Framework = framework_selectors.framework_get(code)
    clusters = [_cluster_out(cluster) for cluster in fw.clusters.all()]
    return {
        "code": fw.code,
        "year": fw.year,
        "name": fw.name,
        "name_en": fw.name_en,
        "level": fw.level,
        "weights_status": fw.weights_status,
        "max_total": fw.max_total,
        "indicator_count": sum(len(c.indicators) for c in clusters),
        "source": fw.source,
        "weights_note": fw.weights_note,
        "weights_note_en": fw.weights_note_en,
        "gate_min_exclusive": fw.gate_min_exclusive,
        "province_rule": fw.province_rule,
        "bands": [
            {"code": b.code, "name": b.name, "min_score": b.min_score, "max_score": b.max_score} for b in fw.bands.all()
        ],
        "clusters": clusters,
    }


def _cluster_out(cluster: Cluster) -> ClusterOut:
    indicators = [_indicator_out(ind) for ind in cluster.indicators.all()]
    return ClusterOut(
        code=cluster.code,
        number=cluster.number,
        name=cluster.name,
        name_en=cluster.name_en,
        max_points=sum((i.max_points for i in indicators), Decimal(0)),
        indicators=indicators,
    )


def _indicator_out(ind: Indicator) -> IndicatorOut:
    return IndicatorOut(
        number=ind.number,
        code=ind.code,
        name=ind.name,
        name_en=ind.name_en,
        short_name=ind.short_name,
        max_points=ind.max_points,
        agencies=ind.agencies,
        questions=[
            QuestionOut(
                code=q.code,
                text=q.text,
                text_en=q.text_en,
                answer_type=q.answer_type,
                max_points=q.max_points,
                guidance=q.guidance,
                rubric=q.spec,
            )
            for q in ind.questions.all()
        ],
    )


# --- the caller --------------------------------------------------------------------------------------------------


@api.get(
    "/me",
    response={200: MeOut, **ERRORS},
    auth=TokenOrSession(),
    tags=["akun"],
    summary="Pengguna yang sedang memakai API dan perannya",
)
def me(request: HttpRequest) -> Any:
    user = api_user(request)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "memberships": [
            MembershipOut(
                role=m.role,
                role_label=m.role_label,
                region_code=m.region_id,
                agency=m.agency.short_name if m.agency is not None else None,
            )
            for m in access.memberships(user)
        ],
    }


api.add_router("/", agency_router)
api.add_router("/", evaluation_router)
api.add_router("/", verification_router)
api.add_router("/", results_router)
api.add_router("/", reports_router)
api.add_router("/", taskforce_router)
api.add_router("/", activity_router)
api.add_router("/", rad_router)
api.add_router("/", notification_router)
api.add_router("/", dashboard_router)
