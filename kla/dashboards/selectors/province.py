"""The province dashboard: its kab/kota side by side (stage, completeness, the scores the seal lets the viewer see),
the Provinsi Layak Anak status with its blockers, the laggards and the child-rights budget (the RAD KLA of its
kab/kota and its own, this year). A fixed number of queries whatever the number of kab/kota."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kla.accounts.models import User
from kla.dashboards import figures
from kla.dashboards.selectors.common import (
    Budget,
    answered_by_evaluation,
    budgets_by_region,
    question_count,
    stage_labels,
)
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.workflow import STATE_LABELS
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import maps, provila
from kla.results.selectors import portal
from kla.results.selectors.scores import VisibleScores, stage_columns, visible_scores
from kla.verification.selectors import provila_estimate


@dataclass
class KabkotaRow:
    code: str
    name: str
    visible: VisibleScores | None
    progress: figures.Progress
    scores: list[Decimal | None]
    budget: Budget | None

    stage: str = ""  # the stage's label ("" without an evaluation in the cycle)


@dataclass(frozen=True)
class BlockerRow:
    code: str
    name: str
    reason: str
    points_needed: Decimal | None


@dataclass
class ProvinceDashboard:
    region: Region
    cycle: Cycle
    rows: list[KabkotaRow]
    columns: list[tuple[str, str]]
    status: provila.ProvilaStatus | None = None
    blockers: list[BlockerRow] = field(default_factory=list)
    estimate: bool = False
    laggards: list[figures.Progress] = field(default_factory=list)
    stages: list[figures.Count] = field(default_factory=list)
    own_budget: Budget | None = None
    budget_year: int = 0
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    tile_map: maps.TileMap | None = None

    @property
    def budget_total(self) -> Budget:
        parts = [r.budget for r in self.rows if r.budget] + ([self.own_budget] if self.own_budget else [])
        return Budget(
            sum((b.planned for b in parts), Decimal("0.00")), sum((b.realised for b in parts), Decimal("0.00"))
        )


def province_dashboard(user: User, region: Region, cycle: Cycle, *, year: int | None = None) -> ProvinceDashboard:
    """Everything the province dashboard shows (about 10 queries, whatever the number of kab/kota); the RAD KLA
    budget of `year` (this year by default)."""
    kabkota = list(Region.objects.filter(parent=region, level=Level.KABKOTA).order_by("name").only("code", "name"))
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle, region__parent=region).select_related("region").order_by("region__name")
    )
    for evaluation in evaluations:  # one cycle, one province: shared, not joined into every row
        evaluation.cycle = cycle
        evaluation.region.parent = region
    bands = band_rules(cycle.framework_id)
    visible = visible_scores(user, evaluations, breakdowns=False, bands={cycle.framework_id: bands})
    by_region = {v.evaluation.region_id: v for v in visible}
    columns = stage_columns(visible)
    questions = question_count(cycle.framework_id)
    answered = answered_by_evaluation([e.pk for e in evaluations])
    year = year or timezone.localdate().year
    budgets = budgets_by_region([k.code for k in kabkota] + [region.code], year)
    rows = []
    labels = stage_labels()
    for kk in kabkota:
        v = by_region.get(kk.code)
        done = answered.get(v.evaluation.pk, 0) if v else 0
        rows.append(
            KabkotaRow(
                code=kk.code,
                name=kk.name,
                visible=v,
                progress=figures.Progress(kk.code, kk.name, done, questions if v else 0),
                scores=[v.get(s) if v else None for s, _ in columns],
                budget=budgets.get(kk.code),
                stage=labels.get(v.evaluation.status, v.evaluation.status) if v else "",
            )
        )
    board = ProvinceDashboard(region, cycle, rows, columns, own_budget=budgets.get(region.code), budget_year=year)
    names = [(k.code, k.name) for k in kabkota]
    _provila(board, visible, bands, names)
    groups = portal.province_results(visible, bands, None)  # the map: predicates as the seal shows them (no query)
    if groups:
        board.tile_map = maps.province_map(groups[0], bands, names)
    in_progress = [r.progress for r in rows if r.visible and r.visible.evaluation.status == Evaluation.Status.DRAFT]
    board.laggards = figures.laggards(in_progress)
    counts: dict[str, int] = {}
    for v in visible:
        counts[v.evaluation.status] = counts.get(v.evaluation.status, 0) + 1
    board.stages = figures.ordered_counts(counts, [(s.value, _(label)) for s, label in STATE_LABELS.items()])
    board.charts = _charts(board)
    return board


def _provila(board: ProvinceDashboard, visible: list[VisibleScores], bands: list[Any], kabkota: list[Any]) -> None:
    """The status as `verification/province` (an estimate before publication) and the results portal (after) show
    it: where the seal hides a final score but shows the predicate, the blockers name no points."""
    rule = provila.ProvinceRule.from_json(board.cycle.framework.province_rule)
    if rule is None:
        return
    if board.cycle.is_published():
        groups = portal.province_results(visible, bands, rule, {board.region.code: kabkota})
        board.status = groups[0].status if groups else None
        board.blockers = [
            BlockerRow(b.code, b.name, b.reason, b.points_needed) for b in (groups[0].blockers if groups else [])
        ]
        return
    status, basis = provila_estimate(rule, visible, bands, kabkota)
    board.status, board.estimate = status, bool(basis) or status is not None
    found = status.blockers if status is not None else []
    board.blockers = [BlockerRow(b.code, b.name, b.reason, b.points_needed) for b in found]


def _charts(board: ProvinceDashboard) -> dict[str, dict[str, Any]]:
    charts = {
        "progress": figures.chart(
            [r.name for r in board.rows],
            [figures.Series(_("% terjawab"), tuple(float(r.progress.percent) for r in board.rows))],
        ),
        "stages": figures.chart(
            [c.label for c in board.stages if c.n],
            [figures.Series(_("Kabupaten/kota"), tuple(float(c.n) for c in board.stages if c.n))],
        ),
    }
    if board.columns:
        charts["scores"] = figures.chart(
            [r.name for r in board.rows],
            [
                figures.Series(label, tuple(figures.number(r.scores[i]) for r in board.rows))
                for i, (_s, label) in enumerate(board.columns)
            ],
        )
    return charts
