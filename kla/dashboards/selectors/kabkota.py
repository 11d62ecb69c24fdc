"""The kab/kota dashboard: completeness by cluster and agency, the EM against the gate and the target, returned
items, follow-ups due, the RAD budget planned against realised, and the predicate history. Scores come only through
`visible_scores` (the EM, which the kab/kota, its province and the ministry all see; verified stages as the seal
allows); the predicate history lists released years only, plus this cycle's predicate when the seal shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kla.accounts.models import User
from kla.dashboards import figures
from kla.dashboards.selectors.common import Budget, budgets_by_year
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.selectors import EvaluationProgress, evaluation_progress
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.regions.models import Region
from kla.results.models import PredicateRecord, Target
from kla.results.selectors.regions import predicate_history, target_of
from kla.results.selectors.scores import VisibleScores, stage_columns, visible_scores
from kla.taskforce import selectors as taskforce


@dataclass
class KabkotaDashboard:
    region: Region
    cycle: Cycle
    evaluation: Evaluation | None
    progress: EvaluationProgress | None = None
    visible: VisibleScores | None = None
    bands: list[BandRule] = field(default_factory=list)
    target: Target | None = None
    target_band: BandRule | None = None
    follow_ups: taskforce.DuePanel | None = None
    budgets: dict[int, Budget] = field(default_factory=dict)
    history: list[PredicateRecord] = field(default_factory=list)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def em(self) -> Decimal | None:
        """The EM score: the snapshot once submitted, else the live sum of the answers' points."""
        if self.evaluation is None or self.progress is None:
            return None
        if self.visible is not None and self.visible.get("em") is not None:
            return self.visible.get("em")
        return self.progress.total_points

    @property
    def returned(self) -> int:
        return sum(1 for i in self.progress.indicators if i.entry.status == "returned") if self.progress else 0

    @property
    def score_columns(self) -> list[tuple[str, str, Decimal | None]]:
        if self.visible is None:
            return []
        return [(s, label, self.visible.get(s)) for s, label in stage_columns([self.visible])]


def kabkota_dashboard(user: User, region: Region, cycle: Cycle) -> KabkotaDashboard:
    """Everything the kab/kota dashboard shows; a fixed number of queries (about 14)."""
    evaluation = (
        Evaluation.objects.filter(cycle=cycle, region=region).select_related("cycle__framework", "region").first()
    )
    board = KabkotaDashboard(region=region, cycle=cycle, evaluation=evaluation)
    board.bands = band_rules(cycle.framework_id)
    board.target = target_of(region.code)
    if board.target is not None:
        board.target_band = next((b for b in board.bands if b.code == board.target.band_code), None)
    if evaluation is not None:
        board.progress = evaluation_progress(evaluation)
        board.visible = visible_scores(user, [evaluation], breakdowns=False, bands={cycle.framework_id: board.bands})[0]
    board.follow_ups = taskforce.overdue_for_region(region.code, today=taskforce.today())
    board.budgets = budgets_by_year(region.code)
    board.history = predicate_history(region.code, timezone.now())
    board.charts = _charts(board)
    return board


def _charts(board: KabkotaDashboard) -> dict[str, dict[str, Any]]:
    charts: dict[str, dict[str, Any]] = {}
    if board.progress is not None:
        clusters = board.progress.clusters
        charts["clusters"] = figures.chart(
            [g.label for g in clusters], [figures.Series("%", tuple(float(g.percent) for g in clusters))]
        )
        agencies = board.progress.agencies
        if agencies:
            charts["agencies"] = figures.chart(
                [g.label for g in agencies], [figures.Series("%", tuple(float(g.percent) for g in agencies))]
            )
        marks = [("EM", board.em), (_("Ambang batas"), board.progress.gate)]
        if board.target_band is not None:
            marks.append((_("Target: %(band)s") % {"band": board.target_band.name}, board.target_band.min_score))
        charts["gate"] = figures.chart(
            [label for label, _ in marks], [figures.Series(_("Nilai"), tuple(figures.number(v) for _, v in marks))]
        )
    if board.budgets:
        years = [str(y) for y in board.budgets]
        charts["budget"] = figures.chart(
            years,
            [
                figures.Series(_("Rencana"), tuple(figures.number(b.planned) for b in board.budgets.values())),
                figures.Series(_("Realisasi"), tuple(figures.number(b.realised) for b in board.budgets.values())),
            ],
            horizontal=False,
        )
    if board.history:
        order = {b.code: i + 1 for i, b in enumerate(board.bands)}
        charts["history"] = figures.chart(
            [str(r.year) for r in board.history],
            [figures.Series(_("Tingkat predikat"), tuple(float(order.get(r.band_code, 0)) for r in board.history))],
            horizontal=False,
            kind="line",
        )
    return charts
