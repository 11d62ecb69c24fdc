"""A region's plans, the version to show, and a version's tree (cluster → indicator → programme → activity →
sub-activity) with outputs, targets and budget per year and source: five queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.indicators.models import Cluster, Indicator
from kla.rad.models import BudgetLine, Node, Output, Plan, Target, Version
from kla.regions.models import Region

ZERO = Decimal("0.00")


def plan_list(region: Region) -> QuerySet[Plan]:
    """The region's plans, newest period first, with their versions (two queries when iterated)."""
    return Plan.objects.filter(region=region).select_related("framework").prefetch_related("versions")


# the reads every plan page repeats, compiled once per process (kla/core/compiled.py, compiled_rows.py)
_LIVE_VERSIONS: CompiledQuery[Version] = CompiledQuery(
    lambda plan: Version.objects.filter(plan_id=plan).exclude(status=Version.Status.SUPERSEDED), int
)
_NODES: CompiledQuery[Node] = CompiledQuery(
    lambda version: (
        Node.objects.filter(version_id=version)
        .select_related("agency", "indicator__cluster")
        .order_by("position", "id")
    ),
    int,
)
_OUTPUTS: CompiledQuery[Output] = CompiledQuery(
    lambda version: Output.objects.filter(node__version_id=version).order_by("position", "id"), int
)
_TARGETS = CompiledRows(
    lambda version: (
        Target.objects.filter(output__node__version_id=version)
        .order_by("year")
        .values_list("output_id", "year", "value")
    ),
    int,
)
_LINES = CompiledRows(
    lambda version: (
        BudgetLine.objects.filter(node__version_id=version)
        .order_by("year", "source")
        .values_list("node_id", "year", "source", "amount")
    ),
    int,
)


def current_version(plan: Plan) -> Version | None:
    """The version in force, or (before the first adoption) the draft; None for a plan without versions."""
    versions = sorted(_LIVE_VERSIONS.fetch(plan.pk), key=lambda v: (v.status != Version.Status.ADOPTED, v.number))
    if not versions:
        return None
    versions[0].plan = plan  # as `filter(plan=plan)` would have set it
    return versions[0]


@dataclass(slots=True)
class OutputView:
    output: Output
    targets: dict[int, Decimal] = field(default_factory=dict)


@dataclass(slots=True)
class NodeView:
    node: Node
    outputs: list[OutputView] = field(default_factory=list)
    budget: dict[int, dict[str, Decimal]] = field(default_factory=dict)  # year → source → amount
    children: list[NodeView] = field(default_factory=list)

    def planned(self, year: int | None = None) -> Decimal:
        """Its own budget lines and those below it, for `year` (None: every year)."""
        own = sum(
            (a for y, by_source in self.budget.items() if year is None or y == year for a in by_source.values()),
            ZERO,
        )
        return own + sum((child.planned(year) for child in self.children), ZERO)


@dataclass(slots=True)
class IndicatorView:
    indicator: Indicator
    programmes: list[NodeView] = field(default_factory=list)

    def planned(self, year: int | None = None) -> Decimal:
        return sum((p.planned(year) for p in self.programmes), ZERO)


@dataclass(slots=True)
class ClusterView:
    cluster: Cluster
    indicators: list[IndicatorView] = field(default_factory=list)

    def planned(self, year: int | None = None) -> Decimal:
        return sum((i.planned(year) for i in self.indicators), ZERO)


@dataclass(slots=True)
class PlanTree:
    plan: Plan
    version: Version
    years: tuple[int, ...]
    clusters: list[ClusterView]

    def planned(self, year: int | None = None) -> Decimal:
        return sum((c.planned(year) for c in self.clusters), ZERO)


def _node_views(version: Version) -> dict[int, NodeView]:
    views: dict[int, NodeView] = {}
    for node in _NODES.fetch(version.pk):
        node.version = version  # as `filter(version=version)` would have set it
        views[node.pk] = NodeView(node)
    outputs = {o.pk: OutputView(o) for o in _OUTPUTS.fetch(version.pk)}
    # targets and budget lines are only numbers here: rows, not model instances
    for output_id, year, value in _TARGETS.fetch(version.pk):
        outputs[output_id].targets[year] = value
    for out in outputs.values():
        views[out.output.node_id].outputs.append(out)
    for node_id, year, source, amount in _LINES.fetch(version.pk):
        views[node_id].budget.setdefault(year, {})[source] = amount
    for view in views.values():
        if view.node.parent_id is not None:
            views[view.node.parent_id].children.append(view)
    return views


def plan_tree(version: Version, *, all_indicators: bool = False) -> PlanTree:
    """The version's tree grouped by cluster and indicator (in the instrument's order); with `all_indicators` every
    indicator of the instrument appears, those without a programme too. Four queries (five with
    `all_indicators`), plus the version's plan if it was not read with it."""
    plan = version.plan
    views = _node_views(version)
    by_indicator: dict[int, list[NodeView]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for view in views.values():
        if view.node.parent_id is None:
            by_indicator[view.node.indicator_id].append(view)
            indicators[view.node.indicator_id] = view.node.indicator
    if all_indicators:
        for indicator in Indicator.objects.filter(framework_id=plan.framework_id).select_related("cluster"):
            indicators.setdefault(indicator.pk, indicator)
    clusters: dict[int, ClusterView] = {}
    for indicator in sorted(indicators.values(), key=lambda i: (i.cluster.position, i.position)):
        cluster = clusters.setdefault(indicator.cluster_id, ClusterView(indicator.cluster))
        cluster.indicators.append(IndicatorView(indicator, by_indicator.get(indicator.pk, [])))
    return PlanTree(plan=plan, version=version, years=plan.years, clusters=list(clusters.values()))
