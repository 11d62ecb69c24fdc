"""A plan's budget for a year, planned and realised, with the flags the secretariat sees before the evaluation opens:
the database's rows turned into the plain facts of `kla.rad.analytics` in seven queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from kla.core.compiled_rows import CompiledRows
from kla.indicators.models import Indicator
from kla.rad import analytics, rules
from kla.rad.analytics import Activity, Planned, Realised, Ref
from kla.rad.models import BudgetLine, Node, Plan, Realisation, RegionBudget, Spend, Version
from kla.rad.selectors.plans import current_version

NO_AGENCY = Ref(0, "Tanpa penanggung jawab", 1_000_000)


@dataclass(frozen=True, slots=True)
class BudgetReport:
    plan: Plan
    version: Version | None
    year: int
    breakdown: analytics.Breakdown
    activities: dict[str, Activity]
    unfunded_indicators: list[Ref]
    next_year: int | None  # the year after today's, when it lies within the plan's period
    agencies_without_next_year: list[Ref]
    missing_realisation: list[analytics.Missing]
    overspends: list[analytics.Overspend]


def indicator_ref(indicator: Indicator) -> Ref:
    return Ref(indicator.pk, f"{indicator.code} {indicator.short_name or indicator.name}", indicator.position)


def _indicator_ref(pk: int, code: str, short_name: str, name: str, position: int) -> Ref:
    """`indicator_ref` from a row's values (no model instance)."""
    return Ref(pk, f"{code} {short_name or name}", position)


INDICATOR_VALUES = ("pk", "code", "short_name", "name", "position")


# the report's reads, compiled once per process (kla/core/compiled_rows.py): only the ids and numbers change
_NODES = CompiledRows(
    lambda plan: (
        Node.objects.filter(version__plan_id=plan, level__in=sorted(rules.FUNDED_LEVELS))
        .order_by("version__number", "id")
        .values_list(
            "version__number",
            "key",
            "name",
            "version_id",
            "agency_id",
            "agency__short_name",
            "indicator__cluster_id",
            "indicator__cluster__name",
            "indicator__cluster__position",
            *(f"indicator__{f}" for f in INDICATOR_VALUES),
        )
    ),
    int,
)
_LINES = CompiledRows(
    lambda version: BudgetLine.objects.filter(node__version_id=version).values_list(
        "node__key", "year", "source", "amount"
    ),
    int,
)
_SPENDS = CompiledRows(
    lambda plan: Spend.objects.filter(realisation__plan_id=plan).values_list(
        "realisation__activity_key", "realisation__year", "realisation__quarter", "source", "amount"
    ),
    int,
)
_REPORTED = CompiledRows(
    lambda plan: Realisation.objects.filter(plan_id=plan).values_list("activity_key", "year", "quarter"), int
)
_REGION_BUDGETS = CompiledRows(
    lambda region: RegionBudget.objects.filter(region_id=region).values_list("year", "amount"), str
)
_INDICATORS = CompiledRows(
    lambda framework: (
        Indicator.objects.filter(framework_id=framework).order_by("position").values_list(*INDICATOR_VALUES)
    ),
    int,
)


def _activities(plan: Plan, version: Version) -> tuple[dict[str, Activity], set[Ref]]:
    """Every funded-level node's facts by key, the latest version up to `version` winning (so realisation of an
    activity removed by a revision still counts for the agency that spent it); and the agencies of `version`. Plain
    rows: a node with its agency, indicator and cluster is one tuple, not four model instances."""
    nodes = [row[1:] for row in _NODES.fetch(plan.pk) if row[0] <= version.number]  # up to `version`
    facts: dict[str, Activity] = {}
    agencies: set[Ref] = set()
    for key, name, version_id, agency_id, short, cluster_id, cluster_name, cluster_position, *indicator in nodes:
        agency = Ref(agency_id, short) if agency_id is not None else NO_AGENCY
        facts[str(key)] = Activity(
            key=str(key),
            label=name,
            agency=agency,
            cluster=Ref(cluster_id, cluster_name, cluster_position),
            indicator=_indicator_ref(*indicator),
        )
        if version_id == version.pk:
            agencies.add(agency)
    return facts, agencies


def _rows(plan: Plan, version: Version | None) -> tuple[list[Planned], list[Realised], list[tuple[str, int, int]]]:
    """(planned lines of `version`, realised spends of the plan, reported quarters of the plan): three queries."""
    planned = (
        [Planned(str(key), y, source, amount) for key, y, source, amount in _LINES.fetch(version.pk)]
        if version is not None
        else []
    )
    realised = [
        Realised(str(key), y, quarter, source, amount) for key, y, quarter, source, amount in _SPENDS.fetch(plan.pk)
    ]
    reported = [(str(key), y, q) for key, y, q in _REPORTED.fetch(plan.pk)]
    return planned, realised, reported


def budget_report(
    plan: Plan, year: int, *, version: Version | None = None, today: dt.date | None = None
) -> BudgetReport:
    """The breakdown of `year` (per agency, source, cluster and indicator; the parts sum to the total), the share
    of the region's budget, and the flags. `version` defaults to the one in force (or the draft before adoption)."""
    today = today or timezone.localdate()
    version = version or current_version(plan)
    facts, agencies = _activities(plan, version) if version is not None else ({}, set())
    planned, realised, reported = _rows(plan, version)
    region_budget: Decimal | None = region_budgets(plan.region_id, (year,)).get(year)
    indicators = [_indicator_ref(*row) for row in _INDICATORS.fetch(plan.framework_id)]
    current = list({p.key: facts[p.key] for p in planned if p.key in facts}.values())
    next_year = today.year + 1 if plan.start_year <= today.year + 1 <= plan.end_year else None
    without_next = (
        analytics.agencies_without_allocation(sorted(agencies, key=lambda r: r.label), current, planned, next_year)
        if next_year is not None
        else []
    )
    return BudgetReport(
        plan=plan,
        version=version,
        year=year,
        breakdown=analytics.breakdown(facts.values(), planned, realised, year=year, region_budget=region_budget),
        activities=facts,
        unfunded_indicators=analytics.unfunded_indicators(indicators, current, planned, year),
        next_year=next_year,
        agencies_without_next_year=without_next,
        missing_realisation=(
            analytics.missing_realisation(current, planned, reported, today=today)
            if version is not None and version.status == Version.Status.ADOPTED
            else []
        ),
        overspends=analytics.overspends(planned, realised, year),
    )


def region_budgets(region_code: str, years: tuple[int, ...]) -> dict[int, Decimal]:
    """The region's total budget (APBD) entered for each of `years` (one query; a year not entered is absent)."""
    return {year: amount for year, amount in _REGION_BUDGETS.fetch(region_code) if year in years}
