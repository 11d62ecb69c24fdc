"""Dashboard figures from aggregates: chart data, stage order, days-in-stage buckets, laggards. Pure module: no
Django import.

A chart is drawn by static/js/charts.js from the JSON built here (`chart`), and the table beside it is rendered from
the same rows, so the table is always the truth behind the picture. Nothing here reads a score: callers pass only
what the seal let the viewer see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Days an evaluation has stayed in its current stage: the lower bounds of the buckets (labelled by the caller).
STUCK_BUCKETS: tuple[int, ...] = (0, 7, 30, 60)
# States in which nothing moves any more: never "stuck".
CLOSED_STATES = frozenset({"published", "below_gate", "determined"})


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: tuple[float, ...]


def chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    kind: str = "bar",
    horizontal: bool = True,
    stacked: bool = False,
    title: str = "",
) -> dict[str, Any]:
    """The JSON a canvas reads (`<canvas data-chart=…>` + a json_script block): labels, datasets, layout."""
    return {
        "type": kind,
        "title": title,
        "horizontal": horizontal,
        "stacked": stacked,
        "labels": list(labels),
        "datasets": [{"label": s.label, "values": list(s.values)} for s in series],
    }


def number(value: Decimal | int | None) -> float:
    """A figure for the chart (the table shows the exact value); nothing known draws as 0."""
    return float(value) if value is not None else 0.0


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    label: str
    n: int


def ordered_counts(
    counts: Mapping[str, int], order: Sequence[tuple[str, str]], *, keep_zero: bool = True
) -> list[Count]:
    """Counts in the given (key, label) order; keys outside the order follow under their own name."""
    out = [Count(key, label, counts.get(key, 0)) for key, label in order if keep_zero or counts.get(key, 0)]
    known = {key for key, _ in order}
    out += [Count(key, key, n) for key, n in sorted(counts.items()) if key not in known]
    return out


def bucket_of(days: int) -> int:
    """The index in STUCK_BUCKETS of `days` in the stage."""
    index = 0
    for i, low in enumerate(STUCK_BUCKETS):
        if days >= low:
            index = i
    return index


def bucket_bounds() -> list[tuple[int, int | None]]:
    """Each bucket as (from, to) days, `to` excluded; the last is open (None)."""
    bounds = list(STUCK_BUCKETS)
    return [(low, bounds[i + 1] if i + 1 < len(bounds) else None) for i, low in enumerate(bounds)]


def percent(part: int, whole: int) -> int:
    """Rounded down, so 99,6% never shows as complete; an empty whole counts as complete."""
    return 100 * part // whole if whole else 100


@dataclass(frozen=True, slots=True)
class Progress:
    code: str
    name: str
    answered: int
    questions: int

    @property
    def percent(self) -> int:
        return percent(self.answered, self.questions)


def laggards(rows: Iterable[Progress], *, limit: int = 5, below: int = 100) -> list[Progress]:
    """The kab/kota furthest behind: lowest completeness first (then name), only those below `below` percent."""
    behind = [r for r in rows if r.percent < below]
    return sorted(behind, key=lambda r: (r.percent, r.name))[:limit]


def predicate_matrix(
    rows: Iterable[tuple[int, str, int]], band_order: Sequence[str]
) -> tuple[list[int], list[str], dict[tuple[int, str], int]]:
    """(year, band name, count) rows → years ascending, band names (known order first), and the count per cell."""
    cells: dict[tuple[int, str], int] = {}
    years: set[int] = set()
    names: list[str] = [b for b in band_order]
    for year, band, n in rows:
        years.add(year)
        cells[(year, band)] = cells.get((year, band), 0) + n
        if band not in names:
            names.append(band)
    used = [b for b in names if any((y, b) in cells for y in years)]
    return sorted(years), used, cells
