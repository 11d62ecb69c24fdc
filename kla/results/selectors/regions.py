"""Reads of one kab/kota's results: who may read and set its target, its predicate history, and its standing
(the latest score it may be judged by, per indicator, for the gap to its target)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action, Role
from kla.evaluations.models import Evaluation
from kla.evaluations.seal import ScoreStage, Viewer, redact
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results.models import PredicateRecord, Target
from kla.results.selectors import region_rows
from kla.results.selectors.scores import VisibleScores, visible_scores
from kla.results.targets import IndicatorStanding

TARGET_SETTERS = frozenset({Role.SECRETARIAT, Role.PROVINCE_REVIEWER, Role.MINISTRY_ADMIN})


def can_set_target(user: User, region_code: str) -> bool:
    """Who may set a kab/kota's target predicate (the same roles `services.target_set` accepts)."""
    return bool(access.roles_over(user, region_code) & TARGET_SETTERS)


def get_kabkota_for_user(user: User, code: str) -> Region:
    """A kab/kota whose results the user may read (EVALUATION_VIEW over it); 404 otherwise."""
    access.require(user, Action.EVALUATION_VIEW, code)
    region = region_rows.region(code, Level.KABKOTA)
    if region is None:
        raise Http404(gettext("Kabupaten/kota tidak ditemukan."))
    return region


def released_predicates(now: dt.datetime | None = None) -> QuerySet[PredicateRecord]:
    """Predicate records anybody may read: imported years, and cycles whose results have been released."""
    now = now or timezone.now()
    released = Q(source=PredicateRecord.Source.IMPORT) | Q(
        cycle__published_at__isnull=False, cycle__release_at__lte=now
    )
    return PredicateRecord.objects.filter(released)


def predicate_history(region_code: str, now: dt.datetime | None = None) -> list[PredicateRecord]:
    """A region's predicates by year: imported years, and cycles whose results have been released (one query)."""
    return region_rows.predicate_history(region_code, now or timezone.now())


@dataclass(frozen=True)
class PublicPredicate:
    """One year of a kab/kota's predicate history as the public sees it: the score only from a released cycle
    that publishes its final scores (never an imported score, as the public API)."""

    region_code: str
    year: int
    band_code: str
    band_name: str
    source: str
    cycle_code: str
    cycle_name: str
    score: Decimal | None


def public_history(*, region: str | None = None, province: str | None = None) -> list[PublicPredicate]:
    """The released predicate history of one kab/kota or of every kab/kota of a province, by region and year
    (one query)."""
    sources = dict(PredicateRecord.Source.choices)
    out = []
    rows = region_rows.released_history(region=region, province=province, now=timezone.now())
    for code, year, band_code, band_name, stored, source, cycle_code, cycle_name, public_details in rows:
        score = None
        if stored is not None and source == PredicateRecord.Source.CYCLE and cycle_code is not None:
            shown = redact({ScoreStage.FINAL: stored}, Viewer.PUBLIC, published=True, public_details=public_details)
            score = shown.get(ScoreStage.FINAL)
        out.append(
            PublicPredicate(
                region_code=code,
                year=year,
                band_code=band_code,
                band_name=band_name,
                source=str(sources.get(source, source)),
                cycle_code=cycle_code or "",
                cycle_name=cycle_name or "",
                score=score,
            )
        )
    return out


def target_of(region_code: str) -> Target | None:
    return region_rows.target(region_code)


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


def region_standing(user: User, region_code: str, now: dt.datetime | None = None) -> RegionStanding:
    """The final score of the latest published cycle if the viewer may see it, else the EM of the latest evaluation.

    Scores come only through `visible_scores`; agencies are those assigned in the latest evaluation; `bands` are
    those of the latest evaluation's framework (the target is set against them). 4 queries, 5 when the latest
    published cycle used another framework.
    """
    now = now or timezone.now()
    evaluations = region_rows.evaluations(region_code)
    result = RegionStanding(evaluations)
    if not evaluations:
        return result
    latest = evaluations[0]
    result.bands = region_rows.band_rules(latest.cycle.framework_id)
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
    result.standings = region_rows.standings(result.visible.evaluation.pk, latest.pk, parts)
    return result


@dataclass(frozen=True)
class TargetLine:
    """A kab/kota's target predicate and how far its latest visible score is from it (the API's targets list)."""

    region_code: str
    region_name: str
    target: dict[str, str] | None
    year: int | None
    note: str
    score: Decimal | None
    score_stage: str | None
    points_needed: Decimal | None
    reached: bool | None


def region_targets(user: User, region: Region, now: dt.datetime | None = None) -> list[TargetLine]:
    """The target of a kab/kota, or of every kab/kota of a province, with the latest score `user` may see (the final
    score of a released cycle, else the EM of the latest evaluation) and the points still needed. A fixed number of
    queries whatever the number of kab/kota (one more per framework in use)."""
    now = now or timezone.now()
    kabkota = [region] if region.level == Level.KABKOTA else list(region.children.filter(level=Level.KABKOTA))
    codes = [r.code for r in kabkota]
    targets = {t.region_id: t for t in Target.objects.filter(region_id__in=codes)}
    latest: dict[str, Evaluation] = {}
    evaluations = (
        Evaluation.objects.filter(region_id__in=codes)
        .select_related("cycle__framework")
        .order_by("region_id", "-cycle__year", "-cycle__created_at", "-pk")
    )
    for evaluation in evaluations:
        latest.setdefault(evaluation.region_id, evaluation)
    bands: dict[int, list[BandRule]] = {}
    for evaluation in latest.values():
        if evaluation.cycle.framework_id not in bands:
            bands[evaluation.cycle.framework_id] = band_rules(evaluation.cycle.framework_id)
    visible = {v.evaluation.region_id: v for v in visible_scores(user, list(latest.values()), now, bands=bands)}
    out = []
    for kk in kabkota:
        target, seen = targets.get(kk.code), visible.get(kk.code)
        stage = next((s for s in (ScoreStage.FINAL, ScoreStage.EM) if seen is not None and s in seen.scores), None)
        score = seen.scores[stage] if seen is not None and stage is not None else None
        framework = latest[kk.code].cycle.framework_id if kk.code in latest else None
        band = next((b for b in bands.get(framework or 0, []) if target and b.code == target.band_code), None)
        needed = max(Decimal(0), band.min_score - score) if band is not None and score is not None else None
        out.append(
            TargetLine(
                region_code=kk.code,
                region_name=kk.name,
                target={"code": target.band_code, "name": band.name if band else target.band_code} if target else None,
                year=target.year if target else None,
                note=target.note if target else "",
                score=score,
                score_stage=stage.value if stage is not None else None,
                points_needed=needed,
                reached=needed == 0 if needed is not None else None,
            )
        )
    return out
