"""Budget analytics of a RAD KLA on plain values, in exact decimal arithmetic. Pure module: no Django import.

The selectors hand in what the database holds as plain facts: the activities (by stable key, with their agency,
cluster and indicator), the planned amounts (key × year × source) and the realised ones (key × year × quarter ×
source). Every breakdown attributes each amount to exactly one row, so the rows of a breakdown always sum to its
total (a realised amount whose activity is no longer in the plan goes to the `REMOVED` row rather than vanish).
Sums are of `Decimal`s, never floats; only the share of the region's budget is a division (rounded half-up to
`SHARE_PLACES` decimals of a percent).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kla.rad.rules import QUARTERS, SOURCE_LABELS, Source, quarter_ended

ZERO = Decimal("0.00")
SHARE_PLACES = 4
SHARE_QUANTUM = Decimal("0.0001")  # SHARE_PLACES decimals of a percent


@dataclass(frozen=True, slots=True)
class Ref:
    """Something a breakdown groups by (an agency, a source, a cluster, an indicator): id, label, sort position."""

    id: int | str
    label: str
    position: int = 0


REMOVED = Ref("removed", "Kegiatan yang tidak ada lagi dalam rencana", 1_000_000)


@dataclass(frozen=True, slots=True)
class Activity:
    """A funded node of the plan (activity or sub-activity) by its stable key."""

    key: str
    label: str
    agency: Ref
    cluster: Ref
    indicator: Ref


@dataclass(frozen=True, slots=True)
class Planned:
    key: str
    year: int
    source: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Realised:
    key: str
    year: int
    quarter: int
    source: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Row:
    ref: Ref
    planned: Decimal
    realised: Decimal


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A year's (or, with `year` None, the whole period's) child-rights budget, planned and realised."""

    year: int | None
    planned: Decimal
    realised: Decimal
    by_agency: tuple[Row, ...]
    by_source: tuple[Row, ...]
    by_cluster: tuple[Row, ...]
    by_indicator: tuple[Row, ...]
    region_budget: Decimal | None
    share_percent: Decimal | None  # planned ÷ region budget × 100; None without a region budget


@dataclass(frozen=True, slots=True)
class Missing:
    """A funded activity with no realisation recorded for a quarter that has ended."""

    key: str
    year: int
    quarter: int


@dataclass(frozen=True, slots=True)
class Overspend:
    key: str
    year: int
    planned: Decimal
    realised: Decimal


@dataclass(frozen=True, slots=True)
class Change:
    """A planned amount that differs between two versions (a revision against the adopted figures)."""

    key: str
    year: int
    source: str
    before: Decimal
    after: Decimal


_SOURCE_REFS = {known.value: Ref(known.value, SOURCE_LABELS[known], i) for i, known in enumerate(Source)}


def source_ref(source: str) -> Ref:
    """A source by its position in `Source` (made once: a budget page asks for one per line)."""
    found = _SOURCE_REFS.get(source)
    return found if found is not None else Ref(source, source, len(SOURCE_LABELS))


def _sorted(totals: dict[Ref, list[Decimal]]) -> tuple[Row, ...]:
    rows = (Row(ref, planned, realised) for ref, (planned, realised) in totals.items())
    return tuple(sorted(rows, key=lambda r: (r.ref.position, r.ref.label, str(r.ref.id))))


def _group(planned: list[Planned], realised: list[Realised], ref_of: Callable[[str, str], Ref]) -> tuple[Row, ...]:
    totals: dict[Ref, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for p in planned:
        totals[ref_of(p.key, p.source)][0] += p.amount
    for r in realised:
        totals[ref_of(r.key, r.source)][1] += r.amount
    return _sorted(totals)


def share_percent(planned: Decimal, region_budget: Decimal | None) -> Decimal | None:
    if region_budget is None or region_budget <= 0:
        return None
    return (planned * 100 / region_budget).quantize(SHARE_QUANTUM, rounding=ROUND_HALF_UP)


def breakdown(
    activities: Iterable[Activity],
    planned: Iterable[Planned],
    realised: Iterable[Realised],
    *,
    year: int | None,
    region_budget: Decimal | None = None,
) -> Breakdown:
    """Planned and realised per agency, source, cluster and indicator for `year` (None: every year)."""
    by_key = {a.key: a for a in activities}
    plan = [p for p in planned if year is None or p.year == year]
    real = [r for r in realised if year is None or r.year == year]

    def attribute(field: str) -> Callable[[str, str], Ref]:
        def ref_of(key: str, source: str) -> Ref:
            activity = by_key.get(key)
            return REMOVED if activity is None else getattr(activity, field)

        return ref_of

    total_planned = sum((p.amount for p in plan), ZERO)
    total_realised = sum((r.amount for r in real), ZERO)
    return Breakdown(
        year=year,
        planned=total_planned,
        realised=total_realised,
        by_agency=_group(plan, real, attribute("agency")),
        by_source=_group(plan, real, lambda key, source: source_ref(source)),
        by_cluster=_group(plan, real, attribute("cluster")),
        by_indicator=_group(plan, real, attribute("indicator")),
        region_budget=region_budget,
        share_percent=share_percent(total_planned, region_budget) if year is not None else None,
    )


def planned_by_key(planned: Iterable[Planned], year: int | None = None) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in planned:
        if year is None or p.year == year:
            totals[p.key] += p.amount
    return dict(totals)


def realised_by_key(realised: Iterable[Realised], year: int | None = None) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in realised:
        if year is None or r.year == year:
            totals[r.key] += r.amount
    return dict(totals)


# --- flags -----------------------------------------------------------------------------------------------------------


def unfunded_indicators(
    indicators: Iterable[Ref], activities: Iterable[Activity], planned: Iterable[Planned], year: int | None = None
) -> list[Ref]:
    """The indicators no activity with a positive planned amount serves (in `year`; None: in any year)."""
    funded_keys = {key for key, amount in planned_by_key(planned, year).items() if amount > 0}
    funded = {a.indicator for a in activities if a.key in funded_keys}
    return [ref for ref in indicators if ref not in funded]


def agencies_without_allocation(
    agencies: Iterable[Ref], activities: Iterable[Activity], planned: Iterable[Planned], year: int
) -> list[Ref]:
    """The agencies with nothing planned for `year` (the secretariat asks them before the budget is drawn up)."""
    amounts = planned_by_key(planned, year)
    allocated = {a.agency for a in activities if amounts.get(a.key, ZERO) > 0}
    return [ref for ref in agencies if ref not in allocated]


def missing_realisation(
    activities: Iterable[Activity],
    planned: Iterable[Planned],
    reported: Iterable[tuple[str, int, int]],
    *,
    today: dt.date,
) -> list[Missing]:
    """Activities funded in a year with no realisation recorded for a quarter of that year that has ended.

    `reported` holds (key, year, quarter) of every recorded quarter (a quarter reported with nothing spent counts)."""
    done = set(reported)
    keys = {a.key for a in activities}
    funded = sorted({(p.key, p.year) for p in planned if p.amount > 0 and p.key in keys}, key=lambda k: (k[1], k[0]))
    return [
        Missing(key, year, quarter)
        for key, year in funded
        for quarter in QUARTERS
        if quarter_ended(year, quarter, today) and (key, year, quarter) not in done
    ]


def overspends(planned: Iterable[Planned], realised: Iterable[Realised], year: int) -> list[Overspend]:
    """Activities whose realisation in `year` exceeds what was planned for it (allowed, flagged and explained)."""
    plan = planned_by_key(planned, year)
    real = realised_by_key(realised, year)
    return [
        Overspend(key, year, plan.get(key, ZERO), spent)
        for key, spent in sorted(real.items())
        if spent > plan.get(key, ZERO)
    ]


def changes(before: Iterable[Planned], after: Iterable[Planned]) -> list[Change]:
    """Planned amounts (key × year × source) that differ between two versions; an amount missing on one side is 0."""

    def totals(items: Iterable[Planned]) -> dict[tuple[str, int, str], Decimal]:
        out: dict[tuple[str, int, str], Decimal] = defaultdict(lambda: ZERO)
        for p in items:
            out[(p.key, p.year, p.source)] += p.amount
        return out

    old, new = totals(before), totals(after)
    return [
        Change(key, year, source, old.get(k, ZERO), new.get(k, ZERO))
        for k in sorted(set(old) | set(new), key=lambda k: (k[1], k[0], k[2]))
        for key, year, source in [k]
        if old.get(k, ZERO) != new.get(k, ZERO)
    ]
