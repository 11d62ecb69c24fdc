"""Reads of scores and results, always through the seal (`kla.evaluations.seal`), with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kla.accounts import access
from kla.accounts.roles import NATIONAL_ROLES, Role
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import SCORE_STAGE_LABELS, ScoreStage, Viewer, visible_predicate, visible_stages
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.results.models import PredicateRecord, StageScore


def viewer_for(user: Any, region_code: str) -> Viewer:
    """How the user stands towards a kab/kota's results (the seal decides what each standing may see)."""
    roles = access.roles_over(user, region_code)
    if roles & NATIONAL_ROLES:
        return Viewer.MINISTRY
    if Role.PROVINCE_REVIEWER in roles:
        return Viewer.PROVINCE
    if roles & {Role.SECRETARIAT, Role.OPD_OPERATOR}:
        return Viewer.REGION
    return Viewer.PUBLIC


@dataclass
class VisibleScores:
    """What one viewer may see of one evaluation: scores by stage and the predicate (None when sealed)."""

    evaluation: Evaluation
    viewer: Viewer
    published: bool
    scores: dict[ScoreStage, Decimal] = field(default_factory=dict)
    rows: dict[ScoreStage, StageScore] = field(default_factory=dict)
    predicate: BandRule | None = None

    def get(self, stage: str) -> Decimal | None:
        return self.scores.get(ScoreStage(stage))

    @property
    def sealed(self) -> bool:
        """True while verified results exist that this viewer may not see yet."""
        return not self.published and self.viewer != Viewer.MINISTRY


def visible_scores(user: Any, evaluations: Sequence[Evaluation], now: dt.datetime | None = None) -> list[VisibleScores]:
    """The scores each evaluation's viewer may see; one query for all stage scores of the list."""
    now = now or timezone.now()
    by_eval: dict[int, list[StageScore]] = {}
    for row in StageScore.objects.filter(evaluation__in=[e.pk for e in evaluations]):
        by_eval.setdefault(row.evaluation_id, []).append(row)
    bands_by_framework: dict[int, list[BandRule]] = {}
    out = []
    for evaluation in evaluations:
        cycle = evaluation.cycle
        published = cycle.is_published(now)
        viewer = viewer_for(user, evaluation.region_id)
        allowed = visible_stages(viewer, published=published, public_details=cycle.public_details)
        result = VisibleScores(evaluation=evaluation, viewer=viewer, published=published)
        if ScoreStage.EM in allowed and evaluation.em_score is not None:
            result.scores[ScoreStage.EM] = evaluation.em_score
        for row in by_eval.get(evaluation.pk, []):
            if row.score_stage in allowed:
                result.scores[row.score_stage] = row.total
                result.rows[row.score_stage] = row
        if cycle.framework_id not in bands_by_framework:
            bands_by_framework[cycle.framework_id] = band_rules(cycle.framework)
        final = next((r.total for r in by_eval.get(evaluation.pk, []) if r.stage == ScoreStage.FINAL), None)
        finals = {ScoreStage.FINAL: final} if final is not None else {}
        result.predicate = visible_predicate(
            finals, bands_by_framework[cycle.framework_id], viewer, published=published
        )
        out.append(result)
    return out


@dataclass
class SheetRow:
    code: str
    name: str
    max_points: Decimal
    points: dict[ScoreStage, Decimal]
    details: dict[ScoreStage, dict[str, Any]]


def score_sheet(visible: VisibleScores) -> list[SheetRow]:
    """Per indicator, the points of each visible stage and their explanation (inputs → method → points)."""
    indicators = list(visible.evaluation.entries.select_related("indicator").order_by("indicator__position"))
    em = (visible.evaluation.em_snapshot or {}).get("indicators", {}) if ScoreStage.EM in visible.scores else {}
    em_points = {code: Decimal(str(part["points"])) for code, part in em.items()}
    rows = []
    for entry in indicators:
        code = entry.indicator.code
        points: dict[ScoreStage, Decimal] = {}
        details: dict[ScoreStage, dict[str, Any]] = {}
        if code in em_points:
            points[ScoreStage.EM] = em_points[code]
        for stage, row in visible.rows.items():
            part = row.breakdown.get("indicators", {}).get(code)
            if part is not None:
                points[stage] = Decimal(part["points"])
                details[stage] = part
        rows.append(SheetRow(code, entry.indicator.name, entry.indicator.max_points, points, details))
    return rows


def stage_columns(visible: Iterable[VisibleScores]) -> list[tuple[str, str]]:
    """The stages any of these viewers may see, in workflow order, as (value, label) for table headers."""
    seen = {s for v in visible for s in v.scores}
    return [(s.value, SCORE_STAGE_LABELS[s]) for s in ScoreStage if s in seen]


def predicate_history(region_code: str, now: dt.datetime | None = None) -> list[PredicateRecord]:
    """A region's predicates by year: imported years, and cycles whose results have been released."""
    now = now or timezone.now()
    released = Q(source=PredicateRecord.Source.IMPORT) | Q(
        cycle__published_at__isnull=False, cycle__release_at__lte=now
    )
    return list(PredicateRecord.objects.filter(released, region_id=region_code).order_by("year"))


def published_cycles(now: dt.datetime | None = None) -> list[Cycle]:
    now = now or timezone.now()
    return list(
        Cycle.objects.filter(published_at__isnull=False, release_at__lte=now)
        .select_related("framework")
        .order_by("-year")
    )
