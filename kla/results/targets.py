"""Gap to a target predicate: how many points a region still needs, and which indicators can supply them.

A region's latest visible score is given per indicator (`IndicatorStanding`). `gap_to_target` compares the total
with the minimum of a target band (e.g. Madya, 601) and ranks the indicators by the points still open in them
(max_points − points), so a Gugus Tugas sees where the missing points can come from and which agencies answer
for them. Bands are read as lower bounds, as in `kla.indicators.bands.predicate_for`.

Pure module: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kla.core.formatting import format_number
from kla.indicators.bands import BandRule, predicate_for
from kla.indicators.points import ZERO

_PARTS = re.compile(r"\d+|\D+")


@dataclass(frozen=True, slots=True)
class IndicatorStanding:  # one indicator of a region's latest visible score
    code: str
    name: str
    cluster: str
    points: Decimal
    max_points: Decimal
    agencies: tuple[str, ...]  # short names of the responsible agencies


@dataclass(frozen=True, slots=True)
class Opportunity:  # an indicator with points still open
    code: str
    name: str
    cluster: str
    points: Decimal
    max_points: Decimal
    attainable: Decimal  # max_points − points, never negative
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class TargetGap:
    score: Decimal
    current: BandRule | None
    target: BandRule
    points_needed: Decimal  # max(0, target.min_score − score)
    reached: bool
    opportunities: list[Opportunity]  # attainable > 0 only, most attainable first, then by code
    enough: bool  # the open points add up to at least points_needed

    def covering(self) -> list[Opportunity]:
        """The shortest prefix of the ranking whose open points reach points_needed; all when not enough."""
        if self.reached:
            return []
        total = ZERO
        for i, item in enumerate(self.opportunities):
            total += item.attainable
            if total >= self.points_needed:
                return self.opportunities[: i + 1]
        return list(self.opportunities)

    def summary(self) -> str:
        """One Indonesian sentence (or two) for the page, e.g. 'Perlu 73,40 poin lagi untuk predikat Madya …'."""
        if self.reached:
            return f"Target {self.target.name} sudah tercapai (nilai {format_number(self.score, 2)})."
        head = (
            f"Perlu {format_number(self.points_needed, 2)} poin lagi untuk predikat {self.target.name} "
            f"(minimal {format_number(self.target.min_score)})."
        )
        if self.enough:
            return f"{head} {len(self.covering())} indikator teratas dapat menutup kekurangan ini."
        open_points = sum((o.attainable for o in self.opportunities), ZERO)
        return f"{head} Seluruh poin yang masih terbuka ({format_number(open_points, 2)}) belum cukup."


def _code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    # Natural order: indicator "2" before "10"; digits and text never compare with each other.
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _PARTS.findall(code))


def gap_to_target(
    score: Decimal, standings: Iterable[IndicatorStanding], bands: Sequence[BandRule], target_code: str
) -> TargetGap:
    """Points still needed for the `target_code` band and the indicators ranked by the points open in them.

    Raises ValueError for a target code that is not among `bands` (and, via `predicate_for`, for a score above
    the top band's maximum).
    """
    target = next((b for b in bands if b.code == target_code), None)
    if target is None:
        raise ValueError(f"Predikat target '{target_code}' tidak dikenal.")
    opportunities = [
        Opportunity(s.code, s.name, s.cluster, s.points, s.max_points, attainable, s.agencies)
        for s in standings
        if (attainable := max(ZERO, s.max_points - s.points)) > 0
    ]
    opportunities.sort(key=lambda o: (-o.attainable, _code_key(o.code), o.code))
    needed = max(ZERO, target.min_score - score)
    return TargetGap(
        score=score,
        current=predicate_for(score, bands),
        target=target,
        points_needed=needed,
        reached=needed == 0,
        opportunities=opportunities,
        enough=sum((o.attainable for o in opportunities), ZERO) >= needed,
    )
