"""Reads of scores, always through the seal (`kla.evaluations.seal`), with a fixed number of queries.

`visible_scores` is the only reader of stage scores for display: every page, export and API answer that shows a
score gets it from here (directly or through the selectors built on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import NATIONAL_ROLES, Role
from kla.core.compiled import CompiledQuery
from kla.evaluations.models import Evaluation
from kla.evaluations.seal import SCORE_STAGE_LABELS, ScoreStage, Viewer, visible_predicate, visible_stages
from kla.evaluations.workflow import State
from kla.indicators.models import Question
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.results.models import StageScore
from kla.results.outcomes import result_label


def viewer_for(user: User | AnonymousUser, region_code: str) -> Viewer:
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
    def result_label(self) -> str:
        """The predicate, or why there is none: "Tidak memenuhi ambang batas", "Belum berpredikat" (determined
        below the lowest band) or "Belum selesai dievaluasi" (never "tanpa predikat" for one still in progress)."""
        return gettext(result_label(State(self.evaluation.status), self.predicate.name if self.predicate else None))

    @property
    def sealed(self) -> bool:
        """True while verified results exist that this viewer may not see yet."""
        return not self.published and self.viewer != Viewer.MINISTRY


def visible_scores(
    user: User | AnonymousUser,
    evaluations: Sequence[Evaluation],
    now: dt.datetime | None = None,
    *,
    breakdowns: bool = True,
    bands: Mapping[int, list[BandRule]] | None = None,
) -> list[VisibleScores]:
    """The scores each evaluation's viewer may see; one query for all stage scores of the list, and one for the
    predicate bands of each framework not given in `bands` (framework id → its bands, as the caller read them).

    `breakdowns=False` leaves the per-indicator explanations in the database (long lists that show totals only:
    reading `rows[...].breakdown` or `.computed_at` then costs a query per row). Only the stages some viewer of the
    list may see, and the final score (for the predicate, which the seal then hides or shows), are read.
    """
    now = now or timezone.now()
    seen: list[tuple[Evaluation, Viewer, bool, frozenset[ScoreStage]]] = []
    needed: set[ScoreStage] = {ScoreStage.FINAL}  # the predicate is read from the final score (then sealed)
    for evaluation in evaluations:
        published = evaluation.cycle.is_published(now)
        viewer = viewer_for(user, evaluation.region_id)
        allowed = visible_stages(viewer, published=published, public_details=evaluation.cycle.public_details)
        needed |= allowed
        seen.append((evaluation, viewer, published, allowed))
    by_eval: dict[int, list[StageScore]] = {}
    for row in _stage_rows([e.pk for e in evaluations], needed, breakdowns):
        by_eval.setdefault(row.evaluation_id, []).append(row)
    bands_by_framework: dict[int, list[BandRule]] = dict(bands or {})
    out = []
    for evaluation, viewer, published, allowed in seen:
        cycle = evaluation.cycle
        result = VisibleScores(evaluation=evaluation, viewer=viewer, published=published)
        if ScoreStage.EM in allowed and evaluation.em_score is not None:
            result.scores[ScoreStage.EM] = evaluation.em_score
        for row in by_eval.get(evaluation.pk, []):
            if row.score_stage in allowed:
                result.scores[row.score_stage] = row.total
                result.rows[row.score_stage] = row
        if cycle.framework_id not in bands_by_framework:
            bands_by_framework[cycle.framework_id] = band_rules(cycle.framework_id)
        final = next((r.total for r in by_eval.get(evaluation.pk, []) if r.stage == ScoreStage.FINAL), None)
        finals = {ScoreStage.FINAL: final} if final is not None else {}
        result.predicate = visible_predicate(
            finals, bands_by_framework[cycle.framework_id], viewer, published=published
        )
        out.append(result)
    return out


COMPILED_UP_TO = 4  # evaluations read by a query compiled once per process and shape (a region's page: one or two)
_COMPILED: dict[tuple[int, tuple[str, ...] | None, bool], CompiledQuery[StageScore]] = {}


def _stage_query(ids: Sequence[int], stages: tuple[str, ...] | None, breakdowns: bool) -> QuerySet[StageScore]:
    """The stage scores of the evaluations `ids`, of `stages` (None: all)."""
    rows = StageScore.objects.filter(evaluation__in=list(ids))
    if stages is not None:  # rows no viewer of the list may see are not read at all
        rows = rows.filter(stage__in=stages)
    return rows if breakdowns else rows.defer("breakdown", "computed_at")


def _stage_rows(ids: list[int], needed: set[ScoreStage], breakdowns: bool) -> list[StageScore]:
    """The stage scores of the evaluations `ids` in `needed` (one query). For a few evaluations (a region's page, a
    score sheet) the query is compiled once per process and shape, then only run."""
    if not ids:
        return []
    stages = tuple(sorted(needed)) if needed != set(ScoreStage) else None
    if len(ids) > COMPILED_UP_TO:
        return list(_stage_query(ids, stages, breakdowns))
    shape = (len(ids), stages, breakdowns)
    compiled = _COMPILED.get(shape)
    if compiled is None:
        compiled = _COMPILED.setdefault(
            shape, CompiledQuery(lambda *pks: _stage_query(pks, stages, breakdowns), *([int] * len(ids)))
        )
    return compiled.fetch(*ids)


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


def question_texts(framework_id: int) -> dict[str, str]:
    """Question code → text for a framework's score-sheet details (one query)."""
    return dict(Question.objects.filter(indicator__framework_id=framework_id).values_list("code", "text"))
