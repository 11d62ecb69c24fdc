"""/api/v1 for RAD KLA: a region's action plans, a plan's tree with targets and budgets, its budget for a year, and
the writes an agency and a secretariat need, through the gates of `kla.rad.access`, the selectors and the services.

Reads accept a token or the browser session; writes need a token. Another region's plan, node or output answers 404,
like an id that does not exist. Amounts are exact decimals written as strings ("1250000000.00"), never floats.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from kla.api.auth import TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.rad_schemas import (
    RadBudgetCell,
    RadBudgetIn,
    RadBudgetOut,
    RadLeafOut,
    RadNodeIn,
    RadOutputIn,
    RadOutputOut,
    RadPlanIn,
    RadPlanOut,
    RadPlanTreeOut,
    RadRealisationIn,
    RadRealisationOut,
    RadTargetOut,
    RadTargetsIn,
    RadYearFilter,
)
from kla.api.schemas import Error, Id
from kla.indicators.models import Framework
from kla.rad import access, selectors, services
from kla.rad.analytics import Row
from kla.rad.models import Node, Plan, Realisation, Version
from kla.rad.selectors import NodeView, PlanTree

router = Router(auth=TokenOrSession(), tags=["RAD KLA"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _version(version: Version) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "based_on": version.based_on_id,
        "basis_kind": version.basis_kind,
        "basis_number": version.basis_number,
        "basis_date": version.basis_date.isoformat() if version.basis_date else None,
    }


def _plan(plan: Plan, versions: list[Version]) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "region_code": plan.region_id,
        "region_name": plan.region.name,
        "framework": plan.framework.code,
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "versions": [_version(v) for v in sorted(versions, key=lambda v: v.number)],
    }


def _node(view: NodeView) -> dict[str, Any]:
    node = view.node
    return {
        "id": node.pk,
        "key": str(node.key),
        "level": node.level,
        "code": node.code,
        "name": node.name,
        "agency_id": node.agency_id,
        "agency": node.agency.short_name if node.agency is not None else None,
        "planned": _money(view.planned()),
        "outputs": [
            {
                "id": o.output.pk,
                "key": str(o.output.key),
                "name": o.output.name,
                "unit": o.output.unit,
                "targets": [{"year": y, "value": str(v)} for y, v in sorted(o.targets.items())],
            }
            for o in view.outputs
        ],
        "budget": [
            {"year": y, "source": s, "amount": _money(a)}
            for y, by_source in sorted(view.budget.items())
            for s, a in sorted(by_source.items())
        ],
        "children": [_node(child) for child in view.children],
    }


def _tree(tree: PlanTree, versions: list[Version]) -> dict[str, Any]:
    return {
        **_plan(tree.plan, versions),
        "version": _version(tree.version),
        "planned": _money(tree.planned()),
        "clusters": [
            {
                "id": c.cluster.pk,
                "name": c.cluster.name,
                "planned": _money(c.planned()),
                "indicators": [
                    {
                        "id": i.indicator.pk,
                        "code": i.indicator.code,
                        "name": i.indicator.name,
                        "planned": _money(i.planned()),
                        "programmes": [_node(p) for p in i.programmes],
                    }
                    for i in c.indicators
                ],
            }
            for c in tree.clusters
        ],
    }


def _part(row: Row) -> dict[str, str]:
    return {"planned": _money(row.planned), "realised": _money(row.realised)}


def _draft(plan: Plan) -> Version:
    draft = Version.objects.filter(plan=plan, status=Version.Status.DRAFT).first()
    if draft is None:
        raise HttpError(
            422,
            gettext(
                "Rencana ini tidak memiliki draf. Mulai revisi terlebih dahulu untuk mengubah rencana yang ditetapkan."
            ),
        )
    return draft


def _realisation(row: Realisation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "activity_key": str(row.activity_key),
        "year": row.year,
        "quarter": row.quarter,
        "spent": {s.source: _money(s.amount) for s in row.spends.all()},
        "achieved": {str(a.output_key): str(a.value) for a in row.achievements.all()},
        "notes": row.notes,
        "overspend_explanation": row.overspend_explanation,
    }


# --- reads -----------------------------------------------------------------------------------------------------------


@router.get("/regions/{code}/action-plans", response={200: list[RadPlanOut], **ERRORS}, summary="RAD KLA satu wilayah")
@paginate(Pagination)
def rad_plans(request: HttpRequest, code: str) -> Any:
    """The region's plans, newest period first, with their versions."""
    region = access.get_region_for_user(api_user(request), code)
    plans = list(selectors.plan_list(region))
    for plan in plans:
        plan.region = region
    return [_plan(p, list(p.versions.all())) for p in plans]


@router.get("/action-plans/{plan_id}", response={200: RadPlanTreeOut, **ERRORS}, summary="Satu RAD KLA: pohon rencana")
def rad_plan_detail(request: HttpRequest, plan_id: Id) -> Any:
    """Cluster → indicator → programme → activity → sub-activity of the version in force (the draft before the
    first adoption), with outputs, targets per year and the budget per year and source."""
    plan = access.get_plan_for_user(api_user(request), plan_id)
    versions = list(Version.objects.filter(plan=plan))
    version = selectors.current_version(plan)
    if version is None:  # pragma: no cover - a plan is created with its first version
        raise HttpError(404, str(access.NOT_FOUND))
    version.plan = plan
    return _tree(selectors.plan_tree(version), versions)


@router.get(
    "/action-plans/{plan_id}/budget", response={200: RadBudgetOut, **ERRORS}, summary="Anggaran RAD KLA per tahun"
)
def rad_plan_budget(request: HttpRequest, plan_id: Id, filters: Query[RadYearFilter]) -> Any:
    """Planned and realised per agency, source and cluster for `year`; every list sums exactly to the total."""
    plan = access.get_plan_for_user(api_user(request), plan_id)
    year = filters.year or min(max(timezone.localdate().year, plan.start_year), plan.end_year)
    if not plan.start_year <= year <= plan.end_year:
        raise HttpError(
            422,
            gettext("Tahun %(year)s di luar periode rencana (%(start_year)s–%(end_year)s).")
            % {"year": year, "start_year": plan.start_year, "end_year": plan.end_year},
        )
    breakdown = selectors.budget_report(plan, year).breakdown
    return {
        "year": year,
        "total": {"planned": _money(breakdown.planned), "realised": _money(breakdown.realised)},
        "by_agency": [
            {"agency": r.ref.label, "agency_id": r.ref.id if isinstance(r.ref.id, int) and r.ref.id else None}
            | _part(r)
            for r in breakdown.by_agency
        ],
        "by_source": [{"source": str(r.ref.id), "label": r.ref.label} | _part(r) for r in breakdown.by_source],
        "by_cluster": [{"cluster": r.ref.label, "cluster_id": r.ref.id} | _part(r) for r in breakdown.by_cluster],
        "share_of_region_budget": str(breakdown.share_percent) if breakdown.share_percent is not None else None,
    }


# --- writes ----------------------------------------------------------------------------------------------------------


@router.post("/regions/{code}/action-plans", response={201: RadPlanTreeOut, **ERRORS}, summary="Susun RAD KLA baru")
def rad_plan_create(request: HttpRequest, code: str, payload: RadPlanIn) -> Any:
    """The secretariat creates its region's plan for a period (version 1, a draft)."""
    user = api_user(request)
    region = access.get_region_for_user(user, code, write=True)
    framework = Framework.objects.filter(code=payload.framework).first()
    if framework is None:
        raise HttpError(422, gettext("Instrumen tidak dikenal. Pilih kode instrumen dari /api/v1/frameworks/."))
    plan = services.plan_create(
        region=region,
        framework=framework,
        start_year=payload.start_year,
        end_year=payload.end_year,
        title=payload.title,
        by=user,
    )
    versions = list(Version.objects.filter(plan=plan))
    versions[0].plan = plan
    return Status(201, _tree(selectors.plan_tree(versions[0]), versions))


@router.post("/action-plans/{plan_id}/nodes", response={201: RadLeafOut, **ERRORS}, summary="Tambah program/kegiatan")
def rad_node_add(request: HttpRequest, plan_id: Id, payload: RadNodeIn) -> Any:
    """Add a programme, activity or sub-activity to the plan's draft."""
    user = api_user(request)
    plan = access.get_plan_for_user(user, plan_id, write=True)
    parent = access.get_node_for_user(user, payload.parent_id, write=True) if payload.parent_id else None
    node = services.node_add(
        version=_draft(plan),
        level=payload.level,
        name=payload.name,
        parent=parent,
        indicator_id=payload.indicator_id,
        agency_id=payload.agency_id,
        code=payload.code,
        by=user,
    )
    return Status(201, _node(NodeView(Node.objects.select_related("agency").get(pk=node.pk))))


@router.post(
    "/action-plan-nodes/{node_id}/outputs", response={201: RadOutputOut, **ERRORS}, summary="Tambah indikator keluaran"
)
def rad_output_add(request: HttpRequest, node_id: Id, payload: RadOutputIn) -> Any:
    user = api_user(request)
    node = access.get_node_for_user(user, node_id, write=True)
    output = services.output_add(node=node, name=payload.name, unit=payload.unit, by=user)
    return Status(
        201, {"id": output.pk, "key": str(output.key), "name": output.name, "unit": output.unit, "targets": []}
    )


@router.put(
    "/action-plan-nodes/{node_id}/budget", response={200: list[RadBudgetCell], **ERRORS}, summary="Tetapkan anggaran"
)
def rad_budget_set(request: HttpRequest, node_id: Id, payload: RadBudgetIn) -> Any:
    """Set an activity's (or sub-activity's) amount per year and source in the draft; answers every cell now held."""
    user = api_user(request)
    node = access.get_node_for_user(user, node_id, write=True)
    cells = {(c.year, c.source): c.amount for c in payload.cells}
    after = services.budget_set(node=node, budget=cells, by=user)
    return [{"year": y, "source": s, "amount": _money(a)} for (y, s), a in sorted(after.items())]


@router.put(
    "/action-plan-outputs/{output_id}/targets", response={200: list[RadTargetOut], **ERRORS}, summary="Tetapkan target"
)
def rad_targets_set(request: HttpRequest, output_id: Id, payload: RadTargetsIn) -> Any:
    user = api_user(request)
    output = access.get_output_for_user(user, output_id, write=True)
    after = services.targets_set(output=output, targets=dict(payload.targets), by=user)
    return [{"year": y, "value": str(v)} for y, v in sorted(after.items())]


@router.post(
    "/action-plan-nodes/{node_id}/realisations",
    response={200: RadRealisationOut, **ERRORS},
    summary="Catat realisasi satu triwulan",
)
def rad_realisation_record(request: HttpRequest, node_id: Id, payload: RadRealisationIn) -> Any:
    """A quarter's realisation of an activity of the plan in force, by the responsible agency's operator or the
    secretariat; recording the quarter again replaces it."""
    user = api_user(request)
    node = access.get_node_for_user(user, node_id, realise=True)
    achieved: dict[UUID | str, str] = {k: v for k, v in payload.achieved.items()}
    row = services.realisation_record(
        node=node,
        year=payload.year,
        quarter=payload.quarter,
        spent=payload.spent,
        achieved=achieved,
        notes=payload.notes,
        explanation=payload.explanation,
        by=user,
    )
    return _realisation(row)
