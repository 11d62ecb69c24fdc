"""/api/v1/dashboards/{level}/{code}?cycle=: the figures of a dashboard, from the same selectors, gates and seal as
the pages (`kla.dashboards`). `level` is kabkota, provinsi or nasional (code `id` for the nation)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kla.api.auth import TokenOrSession, api_user
from kla.api.schemas import Error
from kla.dashboards import access
from kla.dashboards.selectors import common
from kla.dashboards.selectors.kabkota import KabkotaDashboard, kabkota_dashboard
from kla.dashboards.selectors.national import NationalDashboard, national_dashboard
from kla.dashboards.selectors.province import ProvinceDashboard, province_dashboard
from kla.evaluations.models import Cycle

router = Router(auth=TokenOrSession(), tags=["dasbor"])
ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error}
NATION = "id"


class DatasetOut(Schema):
    label: str
    values: list[float]


class ChartOut(Schema):
    type: str
    title: str
    horizontal: bool
    stacked: bool
    labels: list[str]
    datasets: list[DatasetOut]


class DashboardOut(Schema):
    level: str
    code: str
    name: str
    cycle_code: str
    cycle_name: str
    published: bool
    summary: dict[str, Any]
    charts: dict[str, ChartOut]


def _out(level: str, code: str, name: str, cycle: Cycle, summary: dict[str, Any], charts: Any) -> dict[str, Any]:
    return {
        "level": level,
        "code": code,
        "name": name,
        "cycle_code": cycle.code,
        "cycle_name": cycle.name,
        "published": cycle.is_published(),
        "summary": summary,
        "charts": charts,
    }


def _kabkota(board: KabkotaDashboard) -> dict[str, Any]:
    progress = board.progress
    return {
        "status": board.evaluation.status if board.evaluation else None,
        "answered_percent": progress.percent if progress else None,
        "em": board.em,
        "gate": progress.gate if progress else None,
        "target": board.target_band.name if board.target_band else None,
        "scores": {stage: value for stage, _label, value in board.score_columns},
        "predicate": board.visible.predicate.name if board.visible and board.visible.predicate else None,
        "returned": board.returned,
        "follow_ups_overdue": board.follow_ups.overdue if board.follow_ups else 0,
    }


def _province(board: ProvinceDashboard) -> dict[str, Any]:
    status = board.status
    return {
        "kabkota": len(board.rows),
        "provila_eligible": status.eligible if status else None,
        "provila_summary": status.summary() if status else None,
        "provila_estimate": board.estimate,
        "blockers": [{"code": b.code, "name": b.name, "reason": b.reason} for b in board.blockers],
        "laggards": [{"code": p.code, "name": p.name, "percent": p.percent} for p in board.laggards],
        "budget_year": board.budget_year,
        "budget_planned": board.budget_total.planned,
        "budget_realised": board.budget_total.realised,
    }


def _national(board: NationalDashboard) -> dict[str, Any]:
    return {
        "evaluations": board.page.paginator.count,
        "provinces": len(board.provinces),
        "stages": {c.key: c.n for c in board.stages},
        "provinces_by_status": {c.key: c.n for c in board.province_status_counts},
    }


@router.get(
    "/dashboards/{level}/{code}",
    response={200: DashboardOut, **ERRORS},
    url_name="dashboard",
    summary="Angka dasbor kab/kota, provinsi atau nasional (melalui segel hasil)",
)
def dashboard(
    request: HttpRequest, level: Literal["kabkota", "provinsi", "nasional"], code: str, cycle: str = ""
) -> Any:
    """The figures behind the charts of a dashboard. Scope as the pages: a kab/kota's secretariat, its province,
    the ministry; a province's reviewers and the ministry; the nation (`code` = `id`) for the ministry only."""
    user = api_user(request)
    if level == "nasional":
        if code.lower() != NATION:
            raise Http404(_('Gunakan kode "id" untuk tingkat nasional.'))
        access.require_national(user)
        chosen = common.pick_cycle(common.cycles(), cycle or None)
        national = national_dashboard(user, chosen)
        return _out(level, NATION, "Indonesia", chosen, _national(national), national.charts)
    region = access.get_kabkota(user, code) if level == "kabkota" else access.get_province(user, code)
    chosen = common.pick_cycle(common.cycles(), cycle or None)
    if level == "kabkota":
        board = kabkota_dashboard(user, region, chosen)
        return _out(level, region.code, region.name, chosen, _kabkota(board), board.charts)
    prov = province_dashboard(user, region, chosen)
    return _out(level, region.code, region.name, chosen, _province(prov), prov.charts)
