"""Reads of published results: the released cycles, what a viewer may see of a cycle's kab/kota, and each
province's standing against the PROVILA rule (the public portal and the API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts.models import User
from kla.core.compiled import CompiledQuery
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.seal import ScoreStage, visible_stages
from kla.evaluations.workflow import State
from kla.indicators.scoring import BandRule
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import tilegrid
from kla.results.provila import KabKotaStanding, ProvilaStatus, ProvinceRule, Standing, province_status
from kla.results.selectors.scores import VisibleScores, visible_scores

# Read on every public request: compiled once per process (building the queryset cost more than running it).
_PUBLISHED: CompiledQuery[Cycle] = CompiledQuery(
    lambda: Cycle.objects.filter(published_at__isnull=False).select_related("framework").order_by("-year")
)
_CYCLE: CompiledQuery[Cycle] = CompiledQuery(
    lambda code: Cycle.objects.select_related("framework").filter(code=code), str
)


def published_cycles(now: dt.datetime | None = None) -> list[Cycle]:
    """The cycles whose results have been released by `now`, newest year first (one query: the cycles with a
    confirmed publication, the release time compared here)."""
    now = now or timezone.now()
    return [c for c in _PUBLISHED.fetch() if c.release_at is not None and c.release_at <= now]


def published_cycle_get(code: str, now: dt.datetime | None = None) -> Cycle:
    """A cycle whose results have been released, with its framework; 404 before the release (its existence is not
    hidden). Read on every public request."""
    found = _CYCLE.fetch(code)  # the code is unique
    cycle = found[0] if found else None
    if cycle is None:
        raise Http404(gettext("Siklus evaluasi tidak ditemukan."))
    if not cycle.is_published(now):
        raise Http404(gettext("Hasil belum diumumkan."))
    return cycle


def cycle_provinces(cycle: Cycle) -> list[Region]:
    return list(
        Region.objects.filter(level=Level.PROVINSI, children__evaluations__cycle=cycle).distinct().order_by("code")
    )


def province_kabkota(province_codes: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Every kab/kota of these provinces as (code, name), by province code (one query)."""
    out: dict[str, list[tuple[str, str]]] = {}
    rows = Region.objects.filter(level=Level.KABKOTA, parent_id__in=list(province_codes)).order_by("code")
    for parent, code, name in rows.values_list("parent_id", "code", "name"):
        out.setdefault(parent, []).append((code, name))
    return out


def kabkota_standing(v: VisibleScores) -> tuple[KabKotaStanding, BandRule | None, bool]:
    """One evaluation's standing against the PROVILA rule from what its viewer sees: (standing, predicate, whether
    the final score is hidden and only the predicate's lower bound stands for it, never to be shown)."""
    region = v.evaluation.region
    if v.evaluation.status == State.BELOW_GATE:
        return KabKotaStanding(region.code, region.name, v.scores.get(ScoreStage.EM), Standing.BELOW_GATE), None, False
    final = v.scores.get(ScoreStage.FINAL)
    stages = visible_stages(v.viewer, published=v.published, public_details=v.evaluation.cycle.public_details)
    if ScoreStage.FINAL in stages:
        return KabKotaStanding(region.code, region.name, final), v.predicate, False
    # the predicate's lower bound decides "meets the rule" only; it is never shown as a score
    bound = v.predicate.min_score if v.predicate is not None else None
    return KabKotaStanding(region.code, region.name, bound), v.predicate, True


def missing_kabkota(standings: Sequence[KabKotaStanding], kabkota: Sequence[tuple[str, str]]) -> list[KabKotaStanding]:
    """The province's kab/kota that have no evaluation in the cycle, as standings that block the status."""
    seen = {s.code for s in standings}
    return [KabKotaStanding(code, name, None, Standing.NO_EVALUATION) for code, name in kabkota if code not in seen]


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
    user: User | AnonymousUser,
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
    code: str
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

    @property
    def total(self) -> int:
        """The kab/kota the province counts: all of them when the PROVILA rule is checked, else those evaluated."""
        return self.status.total if self.status is not None else len(self.rows)

    @property
    def share(self) -> int | None:
        """The percentage of those kab/kota with a predicate the viewer sees (rounded down)."""
        return tilegrid.share_percent(self.with_predicate, self.total)


def province_results(
    visible: Sequence[VisibleScores],
    bands: Sequence[BandRule],
    rule: ProvinceRule | None,
    kabkota: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> list[ProvinceResult]:
    """Group a cycle's visible results by province and check each against the PROVILA rule (pure, no query).

    Every kab/kota of the province counts (`kabkota`: province code → its kab/kota, from `province_kabkota`): one
    without an evaluation in the cycle, or stopped at the EM gate, is a blocker. Where the seal hides a final score
    but shows the predicate, the predicate alone decides whether the kab/kota meets the rule, and no points are named
    (they would reveal the hidden score).
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
            standing, predicate, is_hidden = kabkota_standing(v)
            if is_hidden:
                hidden[standing.code] = predicate
            standings.append(standing)
        standings += missing_kabkota(standings, (kabkota or {}).get(group.code, ()))
        try:
            group.status = province_status(rule, standings, bands)
        except ValueError:
            continue
        min_band = group.status.min_band
        for b in group.status.blockers:
            if b.code in hidden:
                band = hidden[b.code]
                reason = f"Predikat {band.name} di bawah {min_band.name}" if band else "Belum berpredikat"
                group.blockers.append(BlockerLine(b.code, b.name, reason, None))
            else:
                group.blockers.append(BlockerLine(b.code, b.name, b.reason, b.points_needed))
    return out
