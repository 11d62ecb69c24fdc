"""The two field-verification rules a cycle may choose: any change of predicate, or the published rule (a rise of
one level or more). Pure: no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kla.evaluations.workflow import (
    FIELD_RULE_LABELS,
    FieldRule,
    WorkflowConfig,
    needs_field_verification,
    transitions_for,
)
from kla.indicators.bands import BandRule

BANDS = (  # given out of order: levels follow the minimum scores, not the list
    BandRule("madya", "Madya", D(601), D(700)),
    BandRule("pratama", "Pratama", D(500), D(600)),
    BandRule("kla", "KLA", D(901), D(1000)),
    BandRule("nindya", "Nindya", D(701), D(800)),
    BandRule("utama", "Utama", D(801), D(900)),
)


@pytest.mark.parametrize(
    ("score", "previous", "expected"),
    [
        (D("650"), "madya", False),  # same level
        (D("600.50"), "pratama", False),  # below 601: still Pratama
        (D("701"), "madya", True),  # one level up
        (D("950"), "pratama", True),  # four levels up
        (D("600"), "madya", False),  # one level down: not under the published rule
        (D("500"), "kla", False),
        (D("499.99"), "pratama", False),  # below every band: no predicate to verify
        (D("650"), None, True),  # no previous predicate: reaching a band is a rise
        (D("500"), None, True),
        (D("499.99"), None, False),
        (D("1000"), "kla", False),  # the top cannot rise
        (D("650"), "pratama-lama", True),  # a previous predicate the bands do not know cannot be compared
    ],
)
def test_level_rise(score: D, previous: str | None, expected: bool) -> None:
    assert needs_field_verification(FieldRule.LEVEL_RISE, score, previous, BANDS) is expected


@pytest.mark.parametrize(
    ("score", "previous", "expected"),
    [
        (D("650"), "madya", False),
        (D("701"), "madya", True),
        (D("600"), "madya", True),  # a fall is a change
        (D("650"), None, True),
        (D("499.99"), "pratama", False),
    ],
)
def test_level_change(score: D, previous: str | None, expected: bool) -> None:
    assert needs_field_verification(FieldRule.LEVEL_CHANGE, score, previous, BANDS) is expected


@pytest.mark.parametrize("previous", [None, "pratama", "kla"])
def test_rules_differ_only_on_a_fall(previous: str | None) -> None:
    for score in (D(500), D(650), D(750), D(850), D(950)):
        change = needs_field_verification(FieldRule.LEVEL_CHANGE, score, previous, BANDS)
        rise = needs_field_verification(FieldRule.LEVEL_RISE, score, previous, BANDS)
        assert rise <= change  # every rise is a change


def test_without_bands_nobody_goes() -> None:
    assert needs_field_verification(FieldRule.LEVEL_RISE, D(800), None, []) is False


def test_level_rise_is_cycle_data() -> None:
    config = WorkflowConfig.from_json({"field_rule": "level_rise"})
    assert config.field_rule is FieldRule.LEVEL_RISE
    assert config.to_json()["field_rule"] == "level_rise"
    assert any(t.step == "start_field" for t in transitions_for(config))
    assert "satu tingkat atau lebih" in FIELD_RULE_LABELS[FieldRule.LEVEL_RISE]
    assert "kab/kota" not in " ".join(FIELD_RULE_LABELS.values())
