"""The national dashboard (the ministry only): every kab/kota and province of a cycle through the stages.

Charts draw from aggregates (counts per stage, per predicate and year, provinces by status, days in the current
stage, verdicts per verifier); the kab/kota table is paginated (scores and completeness read for the page shown).
A fixed number of queries whatever the number of kab/kota.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kla.accounts.models import User
from kla.dashboards import figures, kept
from kla.dashboards.selectors.national_table import Row, Table
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.workflow import STATE_LABELS
from kla.indicators.selectors import band_rules
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results import maps, provila
from kla.results.models import PredicateRecord
from kla.results.selectors import portal
from kla.results.selectors.scores import visible_scores
from kla.verification.models import Verdict

PAGE_SIZE = 50
STATE_ORDER = [(s.value, label) for s, label in STATE_LABELS.items()]


@dataclass(frozen=True, slots=True)
class StatusFigures:
    """What the national dashboard shows of a province's Provinsi Layak Anak status (the full status, with every
    kab/kota's standing, stays on the province's own dashboard): small, as it is kept in the cache."""

    eligible: bool
    meeting: int
    total: int


@dataclass
class ProvinceLine:
    code: str
    name: str
    kabkota: int
    stages: dict[str, int]
    status: StatusFigures | None = None

    @property
    def in_review(self) -> int:
        """Kab/kota submitted and not yet determined (in one of the verification stages)."""
        return sum(n for state, n in self.stages.items() if state not in figures.CLOSED_STATES | {"draft"})


@dataclass
class Workload:
    name: str
    verdicts: int
    evaluations: int


@dataclass(frozen=True, slots=True)
class ProvinceChoice:
    code: str
    name: str


@dataclass(frozen=True)
class Outline:
    """What every request reads of the summary: the provinces of the filter and the kab/kota table's order (kept
    apart from the summary, which is read only when its rendered HTML is not kept, and by the API)."""

    provinces: list[ProvinceChoice]
    order: list[tuple[int, str]]


@dataclass
class NationalDashboard:
    cycle: Cycle
    table: Table
    outline: Outline
    load: Callable[[], NationalSummary]  # the summary, from the cache or built
    cache_key: str = ""  # the summary's key (kla.dashboards.kept): its rendered HTML is kept under it too
    cache_seconds: int = kept.TTL_SECONDS

    @cached_property
    def summary(self) -> NationalSummary:
        return self.load()

    @property
    def stages(self) -> list[figures.Count]:
        return self.summary.stages

    @property
    def provinces(self) -> list[ProvinceLine]:
        return self.summary.provinces

    @property
    def predicate_years(self) -> list[int]:
        return self.summary.predicate_years

    @property
    def predicate_bands(self) -> list[str]:
        return self.summary.predicate_bands

    @property
    def predicate_cells(self) -> dict[tuple[int, str], int]:
        return self.summary.predicate_cells

    @property
    def stuck(self) -> list[tuple[str, str, list[int]]]:  # state, label, count per bucket
        return self.summary.stuck

    @property
    def workload(self) -> list[Workload]:
        return self.summary.workload

    @property
    def tile_map(self) -> maps.TileMap:
        return self.summary.tile_map

    @cached_property
    def charts(self) -> dict[str, dict[str, Any]]:
        return _charts(self)

    @property
    def page(self) -> Page[int]:
        return self.table.page

    @property
    def rows(self) -> list[Row]:
        return self.table.rows

    @property
    def province_status_counts(self) -> list[figures.Count]:
        checked = [p for p in self.provinces if p.status is not None]
        eligible = sum(1 for p in checked if p.status and p.status.eligible)
        return [
            figures.Count("eligible", _("Memenuhi syarat"), eligible),
            figures.Count("not_yet", _("Belum memenuhi syarat"), len(checked) - eligible),
        ]

    @property
    def bucket_labels(self) -> list[str]:
        out = []
        for low, high in figures.bucket_bounds():
            if high is None:
                out.append(_("%(low)s hari atau lebih") % {"low": low})
            elif low == 0:
                out.append(_("kurang dari %(high)s hari") % {"high": high})
            else:
                out.append(_("%(low)s–%(high)s hari") % {"low": low, "high": high - 1})
        return out

    @property
    def predicate_rows(self) -> list[tuple[int, list[int]]]:
        return [(y, [self.predicate_cells.get((y, b), 0) for b in self.predicate_bands]) for y in self.predicate_years]


@dataclass
class NationalSummary:
    """The figures that scan every kab/kota of the cycle: the same for every viewer with the same grants, so kept
    in the cache (`kla.dashboards.kept`) by the data's fingerprint and the viewer's grants."""

    stages: list[figures.Count]
    provinces: list[ProvinceLine]
    predicate_years: list[int]
    predicate_bands: list[str]
    predicate_cells: dict[tuple[int, str], int]
    stuck: list[tuple[str, str, list[int]]]
    workload: list[Workload]
    tile_map: maps.TileMap
    order: list[tuple[int, str]]  # every evaluation's id and province code, in the kab/kota table's order


def national_summary(user: User, cycle: Cycle, now: dt.datetime) -> NationalSummary:
    """Built from aggregates and one seal-checked read of every evaluation of the cycle (about 10 queries)."""
    evaluations = Evaluation.objects.filter(cycle=cycle)
    counts = dict(evaluations.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    stages = figures.ordered_counts(counts, [(state, _(label)) for state, label in STATE_ORDER])
    provinces, tile_map = _provinces(user, cycle)
    records = PredicateRecord.objects.exclude(band_name="").values_list("year", "band_name").annotate(n=Count("pk"))
    years, names, cells = figures.predicate_matrix(records, [b.name for b in band_rules(cycle.framework_id)])
    ordered = evaluations.order_by("region__parent__name", "region__name").values_list("pk", "region__parent_id")
    order = [(pk, parent or "") for pk, parent in ordered]
    return NationalSummary(
        stages, provinces, years, names, cells, _stuck(evaluations, now), _workload(cycle), tile_map, order
    )


def national_dashboard(
    user: User, cycle: Cycle, page_number: int | str | None = 1, *, province: str = "", keyed: kept.Keyed | None = None
) -> NationalDashboard:
    """The summary from the cache (one query to key it, `keyed` when the caller read it already; about 11 more to
    build it) and a page of the kab/kota table (one query for its key, three more to build it when its HTML is not
    kept); scores still pass `visible_scores`. `province` limits the kab/kota table (not the charts) to one
    province."""
    now = timezone.now()
    cache_key = keyed.key if keyed is not None else kept.key("national", user, cycle)

    def load() -> NationalSummary:
        return kept.kept(cache_key, lambda: national_summary(user, cycle, now))

    outline = kept.kept(f"{cache_key}:outline", lambda: _outline(load()))
    ids = [pk for pk, parent in outline.order if not province or parent == province]
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    table = Table(user, cycle, page, now, cache_key, province)
    return NationalDashboard(cycle, table, outline, load, cache_key=cache_key)


def _outline(summary: NationalSummary) -> Outline:
    return Outline([ProvinceChoice(p.code, p.name) for p in summary.provinces], summary.order)


def _provinces(user: User, cycle: Cycle) -> tuple[list[ProvinceLine], maps.TileMap]:
    """Every province: its kab/kota per stage and its Provinsi Layak Anak status (from the scores the viewer sees)."""
    provinces = list(Region.objects.filter(level=Level.PROVINSI).order_by("name").only("code", "name"))
    kabkota = portal.province_kabkota([p.code for p in provinces])
    per_stage = (
        Evaluation.objects.filter(cycle=cycle)
        .values_list("region__parent_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stages: dict[str, dict[str, int]] = {}
    for parent, status, n in per_stage:
        stages.setdefault(parent or "", {})[status] = n
    lines = {
        p.code: ProvinceLine(p.code, p.name, len(kabkota.get(p.code, [])), stages.get(p.code, {})) for p in provinces
    }
    rule = provila.ProvinceRule.from_json(cycle.framework.province_rule)
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle)
        .select_related("region__parent")
        .defer("em_snapshot", "missing_at_submission")
    )
    for evaluation in evaluations:
        evaluation.cycle = cycle
    bands = band_rules(cycle.framework_id)
    visible = visible_scores(user, evaluations, breakdowns=False, bands={cycle.framework_id: bands})
    groups = portal.province_results(visible, bands, rule, kabkota)
    for group in groups:
        if group.code in lines and group.status is not None:
            status = group.status
            lines[group.code].status = StatusFigures(status.eligible, status.meeting, status.total)
    tile_map = maps.national_map(groups, {p.code: p.name for p in provinces})
    return list(lines.values()), tile_map


def _stuck(evaluations: Any, now: dt.datetime) -> list[tuple[str, str, list[int]]]:
    """Per open state, how many evaluations have stayed in it for each bucket of days (one aggregate query)."""
    bounds = list(figures.STUCK_BUCKETS)
    aggregates = {}
    for i, low in enumerate(bounds):
        q = Q(status_changed_at__lte=now - dt.timedelta(days=low))
        if i + 1 < len(bounds):
            q &= Q(status_changed_at__gt=now - dt.timedelta(days=bounds[i + 1]))
        if i == 0:  # never moved since it was opened: counted as fresh
            q |= Q(status_changed_at__isnull=True)
        aggregates[f"b{i}"] = Count("pk", filter=q)
    rows = evaluations.exclude(status__in=figures.CLOSED_STATES).values("status").annotate(**aggregates).order_by()
    found = {r["status"]: [r[f"b{i}"] for i in range(len(bounds))] for r in rows}
    return [(state, _(label), found[state]) for state, label in STATE_ORDER if state in found]


def _workload(cycle: Cycle) -> list[Workload]:
    """Verdicts given in the cycle per verifier, and on how many evaluations (one aggregate query)."""
    rows = (
        Verdict.objects.filter(entry__evaluation__cycle=cycle, decided_by__isnull=False)
        .values("decided_by__username", "decided_by__first_name", "decided_by__last_name")
        .annotate(n=Count("pk"), evaluations=Count("entry__evaluation", distinct=True))
        .order_by("-n", "decided_by__username")
    )
    out = []
    for r in rows:
        name = f"{r['decided_by__first_name']} {r['decided_by__last_name']}".strip() or r["decided_by__username"]
        out.append(Workload(name, r["n"], r["evaluations"]))
    return out


def _charts(board: NationalDashboard) -> dict[str, dict[str, Any]]:
    charts = {
        "stages": figures.chart(
            [c.label for c in board.stages],
            [figures.Series(_("Kabupaten/kota"), tuple(float(c.n) for c in board.stages))],
        ),
        "provinces": figures.chart(
            [c.label for c in board.province_status_counts],
            [figures.Series(_("Provinsi"), tuple(float(c.n) for c in board.province_status_counts))],
        ),
        "stuck": figures.chart(
            [label for _, label, _ in board.stuck],
            [
                figures.Series(bucket, tuple(float(counts[i]) for _, _, counts in board.stuck))
                for i, bucket in enumerate(board.bucket_labels)
            ],
            stacked=True,
        ),
    }
    if board.predicate_years:
        charts["predicates"] = figures.chart(
            [str(y) for y in board.predicate_years],
            [
                figures.Series(
                    band, tuple(float(board.predicate_cells.get((y, band), 0)) for y in board.predicate_years)
                )
                for band in board.predicate_bands
            ],
            horizontal=False,
            stacked=True,
        )
    if board.workload:
        charts["workload"] = figures.chart(
            [w.name for w in board.workload],
            [figures.Series(_("Keputusan"), tuple(float(w.verdicts) for w in board.workload))],
        )
    return charts
