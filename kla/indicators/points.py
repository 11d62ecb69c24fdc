"""Points and percentages sit on a grid of 0.01, rounded half-up. Pure module: no Django import."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")


def to_cent(value: Decimal) -> Decimal:
    """`value` rounded half-up to 0.01: 2.345 → 2.35 and 2.344 → 2.34 (never to the even neighbour)."""
    return value.quantize(CENT, ROUND_HALF_UP)
