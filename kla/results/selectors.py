"""Reads of scores and results, always through the seal (`kla.evaluations.seal`), with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kla.accounts import access
from kla.accounts.roles import NATIONAL_ROLES, Action, Role
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation
from kla.evaluations.seal import SCORE_STAGE_LABELS, ScoreStage, Viewer, visible_predicate, visible_stages
from kla.indicators.models import Question
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results.models import PredicateRecord, StageScore, Target
from kla.results.provila import KabKotaStanding, ProvilaStatus, ProvinceRule, province_status
from kla.results.targets import IndicatorStanding


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


def visible_scores(
    user: Any,
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
    stage_rows = StageScore.objects.filter(evaluation__in=[e.pk for e in evaluations])
    if needed != set(ScoreStage):  # rows no viewer of the list may see are not read at all
        stage_rows = stage_rows.filter(stage__in=sorted(needed))
    if not breakdowns:
        stage_rows = stage_rows.defer("breakdown", "computed_at")
    for row in stage_rows:
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


# --- pages of kla.results.views --------------------------------------------------------------------------------

TARGET_SETTERS = frozenset({Role.SECRETARIAT, Role.PROVINCE_REVIEWER, Role.MINISTRY_ADMIN})


def can_set_target(user: Any, region_code: str) -> bool:
    """Who may set a kab/kota's target predicate (the same roles `services.target_set` accepts)."""
    return bool(access.roles_over(user, region_code) & TARGET_SETTERS)


def get_kabkota_for_user(user: Any, code: str) -> Region:
    """A kab/kota whose results the user may read (EVALUATION_VIEW over it); 404 otherwise."""
    access.require(user, Action.EVALUATION_VIEW, code)
    region = Region.objects.filter(code=code, level=Level.KABKOTA).select_related("parent").first()
    if region is None:
        raise Http404("Kabupaten/kota tidak ditemukan.")
    return region


def question_texts(framework_id: int) -> dict[str, str]:
    """Question code → text for a framework's score-sheet details (one query)."""
    return dict(Question.objects.filter(indicator__framework_id=framework_id).values_list("code", "text"))


def responsible_agencies(evaluation: Evaluation) -> dict[str, tuple[str, ...]]:
    """Indicator code → short names of the agencies assigned to it in `evaluation` (one query)."""
    out: dict[str, list[str]] = {}
    rows = Assignment.objects.filter(entry__evaluation=evaluation).values_list(
        "entry__indicator__code", "agency__short_name"
    )
    for code, short in rows.order_by("agency__short_name"):
        out.setdefault(code, []).append(short)
    return {code: tuple(names) for code, names in out.items()}


def target_of(region_code: str) -> Target | None:
    return Target.objects.filter(region_id=region_code).first()


@dataclass
class RegionStanding:
    """A kab/kota's latest score this viewer may see, per indicator, for the gap to its target."""

    evaluations: list[Evaluation]  # newest cycle first
    bands: list[BandRule] = field(default_factory=list)  # the predicate bands of the latest evaluation's framework
    visible: VisibleScores | None = None  # the evaluation whose score is used
    stage: ScoreStage | None = None  # FINAL (latest published cycle) or EM (estimate from the latest evaluation)
    standings: list[IndicatorStanding] = field(default_factory=list)

    @property
    def latest(self) -> Evaluation | None:
        return self.evaluations[0] if self.evaluations else None

    @property
    def score(self) -> Decimal | None:
        return self.visible.scores.get(self.stage) if self.visible and self.stage else None

    @property
    def estimated(self) -> bool:
        return self.stage == ScoreStage.EM


def region_standing(user: Any, region_code: str, now: dt.datetime | None = None) -> RegionStanding:
    """The final score of the latest published cycle if the viewer may see it, else the EM of the latest evaluation.

    Scores come only through `visible_scores`; agencies are those assigned in the latest evaluation; `bands` are
    those of the latest evaluation's framework (the target is set against them). 5 queries, 6 when the latest
    published cycle used another framework.
    """
    now = now or timezone.now()
    evaluations = list(
        Evaluation.objects.filter(region_id=region_code)
        .select_related("cycle__framework")
        .order_by("-cycle__year", "-cycle__created_at", "-pk")
    )
    result = RegionStanding(evaluations)
    if not evaluations:
        return result
    latest = evaluations[0]
    result.bands = band_rules(latest.cycle.framework_id)
    published = next((e for e in evaluations if e.cycle.is_published(now)), None)
    candidates = [latest] + ([published] if published is not None and published.pk != latest.pk else [])
    bands = {latest.cycle.framework_id: result.bands}
    visible = {v.evaluation.pk: v for v in visible_scores(user, candidates, now, bands=bands)}
    if published is not None and ScoreStage.FINAL in visible[published.pk].scores:
        result.visible, result.stage = visible[published.pk], ScoreStage.FINAL
    elif ScoreStage.EM in visible[latest.pk].scores:
        result.visible, result.stage = visible[latest.pk], ScoreStage.EM
    else:
        return result
    assert result.visible is not None
    if result.stage == ScoreStage.EM:
        parts = (result.visible.evaluation.em_snapshot or {}).get("indicators", {})
    else:
        parts = result.visible.rows[ScoreStage.FINAL].breakdown.get("indicators", {})
    agencies = responsible_agencies(latest)
    entries = (
        Entry.objects.filter(evaluation=result.visible.evaluation)
        .select_related("indicator__cluster")
        .order_by("indicator__position")
    )
    for entry in entries:
        indicator = entry.indicator
        part = parts.get(indicator.code)
        result.standings.append(
            IndicatorStanding(
                code=indicator.code,
                name=indicator.display_name,
                cluster=indicator.cluster.display_name,
                points=Decimal(str(part["points"])) if part else Decimal("0.00"),
                max_points=indicator.max_points,
                agencies=agencies.get(indicator.code, ()),
            )
        )
    return result


def published_cycle_get(code: str, now: dt.datetime | None = None) -> Cycle:
    """A cycle whose results have been released, with its framework; 404 before the release (its existence is not
    hidden). Read on every public request."""
    cycle = Cycle.objects.select_related("framework").filter(code=code).first()
    if cycle is None:
        raise Http404("Siklus evaluasi tidak ditemukan.")
    if not cycle.is_published(now):
        raise Http404("Hasil belum diumumkan.")
    return cycle


def cycle_provinces(cycle: Cycle) -> list[Region]:
    return list(
        Region.objects.filter(level=Level.PROVINSI, children__evaluations__cycle=cycle).distinct().order_by("code")
    )


# what a nationwide list shows of each evaluation (its region and province, the EM total the seal may allow)
_RESULT_FIELDS = (
    "id",
    "cycle_id",
    "region_id",
    "status",
    "em_score",
    "region__name",
    "region__level",
    "region__parent_id",
)


def cycle_results(
    user: Any,
    cycle: Cycle,
    *,
    province: str | None = None,
    q: str = "",
    limit: int | None = None,
    bands: list[BandRule] | None = None,
) -> list[VisibleScores]:
    """What the user may see of a cycle's kab/kota (predicates; totals where the seal allows), 3 + 1 queries
    (3 when the caller passes the cycle's `bands`, which it read for its own use).

    The per-indicator breakdowns stay in the database: a nationwide list only needs totals.
    """
    qs = Evaluation.objects.filter(cycle=cycle).select_related("region").only(*_RESULT_FIELDS).order_by("region_id")
    if province:
        qs = qs.filter(region__parent_id=province)
    if q:
        qs = qs.filter(Q(region__name__icontains=q) | Q(region__code__startswith=q))
    evaluations = list(qs[:limit] if limit else qs)
    # every row belongs to `cycle` and to one of a few dozen provinces: share those objects instead of joining
    # them into each of up to 514 rows
    provinces = {p.code: p for p in Region.objects.filter(level=Level.PROVINSI).only("code", "name", "level")}
    for evaluation in evaluations:
        evaluation.cycle = cycle
        if (parent := provinces.get(evaluation.region.parent_id or "")) is not None:
            evaluation.region.parent = parent
    known = {cycle.framework_id: bands} if bands is not None else None
    return visible_scores(user, evaluations, breakdowns=False, bands=known)


@dataclass(frozen=True)
class BlockerLine:
    name: str
    reason: str
    points_needed: Decimal | None


@dataclass
class ProvinceResult:
    code: str
    name: str
    rows: list[VisibleScores]
    status: ProvilaStatus | None = None
    blockers: list[BlockerLine] = field(default_factory=list)

    @property
    def with_predicate(self) -> int:
        return sum(1 for v in self.rows if v.predicate is not None)


def province_results(
    visible: Sequence[VisibleScores], bands: Sequence[BandRule], rule: ProvinceRule | None
) -> list[ProvinceResult]:
    """Group a cycle's visible results by province and check each against the PROVILA rule (pure, no query).

    Where the seal hides a final score but shows the predicate, the predicate alone decides whether the kab/kota
    meets the rule, and no points are named (they would reveal the hidden score).
    """
    groups: dict[str, ProvinceResult] = {}
    for v in visible:
        parent = v.evaluation.region.parent
        code, name = (parent.code, parent.name) if parent else ("", "")
        groups.setdefault(code, ProvinceResult(code, name, [])).rows.append(v)
    out = list(groups.values())
    if rule is None:
        return out
    for group in out:
        standings = []
        hidden: dict[str, BandRule | None] = {}
        for v in group.rows:
            region = v.evaluation.region
            final = v.scores.get(ScoreStage.FINAL)
            stages = visible_stages(v.viewer, published=v.published, public_details=v.evaluation.cycle.public_details)
            if ScoreStage.FINAL not in stages:
                hidden[region.code] = v.predicate
                # the predicate's lower bound decides "meets the rule" only; it is never shown as a score
                final = v.predicate.min_score if v.predicate is not None else None
            standings.append(KabKotaStanding(region.code, region.name, final))
        try:
            group.status = province_status(rule, standings, bands)
        except ValueError:
            continue
        min_band = group.status.min_band
        for b in group.status.blockers:
            if b.code in hidden:
                band = hidden[b.code]
                reason = f"Predikat {band.name} di bawah {min_band.name}" if band else "Belum memperoleh predikat"
                group.blockers.append(BlockerLine(b.name, reason, None))
            else:
                group.blockers.append(BlockerLine(b.name, b.reason, b.points_needed))
    return out
