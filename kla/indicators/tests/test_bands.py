"""Predicate bands (read as lower bounds), the self-assessment gate and the points still missing to the next band."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kla.indicators.bands import BandRule, gap_to_gate, passes_gate, points_to_next_band, predicate_for

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


def test_score_above_the_scale_is_refused_naming_the_top() -> None:
    with pytest.raises(ValueError, match=r"^nilai 1\.000,01 melebihi nilai maksimum 1\.000$"):
        predicate_for(D("1000.01"), list(reversed(BANDS)))
    assert predicate_for(D("1000.01"), []) is None  # no bands, no scale to leave


@pytest.mark.parametrize(("em", "passes"), [("500", False), ("500.01", True), ("973.90", True), ("120", False)])
def test_self_assessment_gate_is_strictly_above_500(em: str, passes: bool) -> None:
    assert passes_gate(D(em), D(500)) is passes


def test_points_to_next_band() -> None:
    assert points_to_next_band(D("587.5"), BANDS) == (BANDS[1], D("13.5"))
    assert points_to_next_band(D("499.99"), list(reversed(BANDS))) == (BANDS[0], D("0.01"))
    assert points_to_next_band(D("950"), BANDS) is None


@pytest.mark.parametrize(("score", "band", "missing"), [("601", 2, "100"), ("500", 1, "101"), ("901", None, None)])
def test_points_to_next_band_from_a_band_minimum_is_the_band_above(score: str, band: int | None, missing: str) -> None:
    # a score on a band's minimum holds that band: the next one is the band above, not the band it already holds
    expected = None if band is None else (BANDS[band], D(missing))
    assert points_to_next_band(D(score), BANDS) == expected


def test_gap_to_gate_rounds_an_odd_gate_down_to_the_grid_before_the_next_step() -> None:
    # strictly above 500.009 on the 0.01 grid is 500.01, whatever the rounding mode of the context
    assert gap_to_gate(D(500), D("500.009")) == D("0.01")
    assert gap_to_gate(D(500), D("500.005")) == D("0.01")
