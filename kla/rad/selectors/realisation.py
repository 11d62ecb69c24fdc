"""A plan's realisation per activity and quarter, and what a revision changed against the adopted figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Value

from kla.core.compiled_rows import CompiledRows
from kla.rad import analytics
from kla.rad.analytics import Planned
from kla.rad.models import BudgetLine, Plan, Realisation, RealisationFile, Spend, Version
from kla.regions.models import Region

ZERO = Decimal("0.00")


@dataclass(slots=True)
class QuarterFigures:
    """One recorded quarter of one activity: its row (notes, explanation, who and when) and its figures."""

    realisation: Realisation
    by_source: dict[str, Decimal] = field(default_factory=dict)
    achieved: dict[str, Decimal] = field(default_factory=dict)  # output key → value
    files: list[RealisationFile] = field(default_factory=list)  # its evidence files (not removed)

    @property
    def spent(self) -> Decimal:
        return sum(self.by_source.values(), ZERO)


def realisation_table(plan: Plan, year: int) -> dict[str, dict[int, QuarterFigures]]:
    """Activity key → quarter → what was recorded in `year`, with its evidence files (four queries whatever the
    number of activities)."""
    files = RealisationFile.objects.filter(removed_at__isnull=True).order_by("uploaded_at", "id")
    rows = (
        Realisation.objects.filter(plan=plan, year=year)
        .select_related("recorded_by")
        .prefetch_related("spends", "achievements", Prefetch("files", queryset=files))
        .order_by("quarter", "id")
    )
    table: dict[str, dict[int, QuarterFigures]] = {}
    for row in rows:
        figures = QuarterFigures(
            row,
            by_source={s.source: s.amount for s in row.spends.all()},
            achieved={str(a.output_key): a.value for a in row.achievements.all()},
            files=list(row.files.all()),
        )
        table.setdefault(str(row.activity_key), {})[row.quarter] = figures
    return table


@dataclass(slots=True)
class QuarterSummary:
    """One recorded quarter as the year's table shows it: the amount spent, the overspend explanation, the files."""

    spent: Decimal
    explanation: str
    files: list[tuple[int, str]]  # (pk, name) of its evidence files (not removed), in upload order


# the year is a Value: a literal year would be range-checked against the placeholder (a negative number)
_SUMMARY_ROWS = CompiledRows(
    lambda plan, year: (
        Realisation.objects.filter(plan_id=plan, year=Value(year))
        .order_by("quarter", "id")
        .values_list("pk", "activity_key", "quarter", "overspend_explanation")
    ),
    int,
    int,
)
_SUMMARY_SPENDS = CompiledRows(
    lambda plan, year: Spend.objects.filter(realisation__plan_id=plan, realisation__year=Value(year)).values_list(
        "realisation_id", "amount"
    ),
    int,
    int,
)
_SUMMARY_FILES = CompiledRows(
    lambda plan, year: (
        RealisationFile.objects.filter(
            realisation__plan_id=plan, realisation__year=Value(year), removed_at__isnull=True
        )
        .order_by("uploaded_at", "id")
        .values_list("realisation_id", "pk", "name")
    ),
    int,
    int,
)


def realisation_summary(plan: Plan, year: int) -> dict[str, dict[int, QuarterSummary]]:
    """Activity key → quarter → what the year's table shows: three queries of plain rows (no model instances),
    compiled once per process."""
    by_id: dict[int, QuarterSummary] = {}
    table: dict[str, dict[int, QuarterSummary]] = {}
    for pk, key, quarter, explanation in _SUMMARY_ROWS.fetch(plan.pk, year):
        by_id[pk] = table.setdefault(str(key), {})[quarter] = QuarterSummary(ZERO, explanation, [])
    for realisation_id, amount in _SUMMARY_SPENDS.fetch(plan.pk, year):
        by_id[realisation_id].spent += amount
    for realisation_id, pk, name in _SUMMARY_FILES.fetch(plan.pk, year):
        by_id[realisation_id].files.append((pk, name))
    return table


def _planned(version: Version) -> list[Planned]:
    return [
        Planned(str(key), year, source, amount)
        for key, year, source, amount in BudgetLine.objects.filter(node__version=version).values_list(
            "node__key", "year", "source", "amount"
        )
    ]


def revision_changes(version: Version) -> list[analytics.Change]:
    """The planned amounts a revision changes against the version it revises (two queries; none for a first
    version)."""
    if version.based_on_id is None:
        return []
    base = Version(pk=version.based_on_id)
    return analytics.changes(_planned(base), _planned(version))


def region_realisation_files(region: Region, search: str = "") -> QuerySet[RealisationFile]:
    """The evidence files of the region's realisation (not removed), newest quarter first, for the evidence
    picker of the entry page; `search` matches the activity's name."""
    qs = RealisationFile.objects.filter(region=region, removed_at__isnull=True)
    if search:
        qs = qs.filter(label__icontains=search)
    return qs.select_related("realisation").order_by("-realisation__year", "-realisation__quarter", "-id")
