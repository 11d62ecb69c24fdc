"""A plan's realisation per activity and quarter, and what a revision changed against the adopted figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kla.rad import analytics
from kla.rad.analytics import Planned
from kla.rad.models import BudgetLine, Plan, Realisation, Version

ZERO = Decimal("0.00")


@dataclass(slots=True)
class QuarterFigures:
    """One recorded quarter of one activity: its row (notes, explanation, who and when) and its figures."""

    realisation: Realisation
    by_source: dict[str, Decimal] = field(default_factory=dict)
    achieved: dict[str, Decimal] = field(default_factory=dict)  # output key → value

    @property
    def spent(self) -> Decimal:
        return sum(self.by_source.values(), ZERO)


def realisation_table(plan: Plan, year: int) -> dict[str, dict[int, QuarterFigures]]:
    """Activity key → quarter → what was recorded in `year` (three queries whatever the number of activities)."""
    rows = (
        Realisation.objects.filter(plan=plan, year=year)
        .select_related("recorded_by")
        .prefetch_related("spends", "achievements")
        .order_by("quarter", "id")
    )
    table: dict[str, dict[int, QuarterFigures]] = {}
    for row in rows:
        figures = QuarterFigures(
            row,
            by_source={s.source: s.amount for s in row.spends.all()},
            achieved={str(a.output_key): a.value for a in row.achievements.all()},
        )
        table.setdefault(str(row.activity_key), {})[row.quarter] = figures
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
