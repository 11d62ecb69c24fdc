from __future__ import annotations

from decimal import Decimal as D

import pytest

from kla.indicators.scoring import BandRule, passes_gate, points_to_next_band, predicate_for

BANDS = [
    BandRule("pratama", "Pratama", D(500), D(600)),
    BandRule("madya", "Madya", D(601), D(700)),
    BandRule("nindya", "Nindya", D(701), D(800)),
    BandRule("utama", "Utama", D(801), D(900)),
    BandRule("kla", "KLA", D(901), D(1000)),
]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", None),
        ("499.99", None),
        ("500", "pratama"),
        ("600", "pratama"),
        ("600.50", "pratama"),
        ("601", "madya"),
        ("697.40", "madya"),
        ("764.92", "nindya"),
        ("885.40", "utama"),
        ("901", "kla"),
        ("1000", "kla"),
    ],
)
def test_predicate_from_bands(score: str, expected: str | None) -> None:
    band = predicate_for(D(score), list(reversed(BANDS)))  # order of the input does not matter
    assert (band.code if band else None) == expected


def test_score_above_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="melebihi"):
        predicate_for(D("1000.01"), BANDS)


@pytest.mark.parametrize(("em", "passes"), [("500", False), ("500.01", True), ("973.90", True), ("120", False)])
def test_self_assessment_gate_is_strictly_above_500(em: str, passes: bool) -> None:
    assert passes_gate(D(em), D(500)) is passes


def test_points_to_next_band() -> None:
    assert points_to_next_band(D("587.5"), BANDS) == (BANDS[1], D("13.5"))
    assert points_to_next_band(D("950"), BANDS) is None
