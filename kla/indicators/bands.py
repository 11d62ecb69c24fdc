"""Predicate bands and the self-assessment gate. Pure module: no Django import.

Bands are framework data (Pratama 500–600, Madya 601–700, …) read as lower bounds: a score holds the highest band
whose minimum it reaches. The gate (500) must be passed strictly for an evaluation to go on to verification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from kla.core.formatting import format_number
from kla.indicators.points import CENT, ZERO


@dataclass(frozen=True, slots=True)
class BandRule:
    code: str
    name: str
    min_score: Decimal
    max_score: Decimal


def predicate_for(score: Decimal, bands: Sequence[BandRule]) -> BandRule | None:
    """The highest band whose minimum the score reaches, or None below the lowest band.

    Bands are read as lower bounds: with Pratama 500–600 and Madya 601–700, a score of 600.50 is still Pratama
    (it has not reached 601). A score above the top band's maximum is refused, as it cannot come from the
    instrument.
    """
    ordered = sorted(bands, key=lambda b: b.min_score)
    if ordered and score > ordered[-1].max_score:
        raise ValueError(f"nilai {format_number(score)} melebihi nilai maksimum {format_number(ordered[-1].max_score)}")
    found: BandRule | None = None
    for band in ordered:
        if score >= band.min_score:
            found = band
    return found


def passes_gate(em_score: Decimal, min_exclusive: Decimal) -> bool:
    """The self-assessment (EM) score must be strictly above the gate (500) to proceed to verification."""
    return em_score > min_exclusive


def gap_to_gate(total: Decimal, gate_min_exclusive: Decimal) -> Decimal:
    """Points still needed to be strictly above the gate, 0 when above. Scores move in steps of 0.01, so strictly
    above 500 means reaching 500.01: a total of 500 is 0.01 short."""
    target = gate_min_exclusive.quantize(CENT, ROUND_FLOOR) + CENT
    return max(ZERO, target - total).quantize(CENT)


def points_to_next_band(score: Decimal, bands: Sequence[BandRule]) -> tuple[BandRule, Decimal] | None:
    """The next band above the score and the points still missing to reach it, or None at the top."""
    for band in sorted(bands, key=lambda b: b.min_score):
        if band.min_score > score:
            return band, band.min_score - score
    return None
