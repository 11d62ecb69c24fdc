"""Impossible answers score nothing, and an answer with a warning waits for its explanation (issue 21, item 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.indicators.scoring import (
    CHECK_NUMERATOR,
    PercentageAnswer,
    QuestionRule,
    SoftWarning,
    needs_explanation,
    parse_answer,
    score_indicator,
    score_question,
    soft_warnings,
)

FAST = settings(max_examples=300, deadline=None)
TODAY = date(2024, 7, 23)
COVERAGE = QuestionRule.from_spec(  # higher is better
    "4.1", "percentage", "25", {"thresholds": [{"at_least": "90", "points": "25"}, {"at_least": "0", "points": "5"}]}
)
STUNTING = QuestionRule.from_spec(  # lower is better: 120 % must not read as "very bad but something"
    "9.1", "percentage", "20", {"thresholds": [{"at_most": "200", "points": "20"}]}
)


@pytest.mark.parametrize(
    ("rule", "raw", "points"),
    [
        (COVERAGE, {"numerator": "120", "denominator": "100"}, "0"),
        (COVERAGE, {"numerator": "1200", "denominator": "1000"}, "0"),
        # 100.00001 % rounds to 100,00 %, but the numerator is still above the denominator
        (COVERAGE, {"numerator": "1000.0001", "denominator": "1000"}, "0"),
        (STUNTING, {"numerator": "120", "denominator": "100"}, "0"),
        (COVERAGE, {"numerator": "100", "denominator": "100"}, "25"),  # exactly 100 % is possible
        (COVERAGE, {"numerator": "95", "denominator": "100"}, "25"),
        (COVERAGE, {"numerator": "5", "denominator": "100"}, "5"),
        (STUNTING, {"numerator": "100", "denominator": "100"}, "20"),
    ],
)
def test_a_numerator_above_its_denominator_scores_nothing(rule: QuestionRule, raw: dict[str, Any], points: str) -> None:
    score = score_question(rule, raw)
    assert score.points == D(points)
    assert score.answered  # saved and answered: what the user typed is kept, only the points are withheld
    assert (CHECK_NUMERATOR in score.explanation) is (D(str(raw["numerator"])) > D(str(raw["denominator"])))


def test_the_explanation_says_why_and_what_to_fix() -> None:
    score = score_question(COVERAGE, {"numerator": "1200", "denominator": "1000"})
    assert score.explanation == (
        "Persentase 1.200/1.000 = 120,00% melebihi 100% → 0 poin dari 25. "
        "Pembilang lebih besar dari penyebut: periksa kembali datanya."
    )
    assert not score.error  # not an invalid answer: a flagged one


def test_the_indicator_total_leaves_the_impossible_answer_out() -> None:
    answers = {"4.1": {"numerator": "120", "denominator": "100"}, "9.1": {"numerator": "10", "denominator": "100"}}
    indicator = score_indicator("4", D(45), [COVERAGE, STUNTING], answers)
    assert (indicator.total, indicator.answered) == (D(20), 2)


@pytest.mark.parametrize(
    ("warnings", "justification", "needed"),
    [
        ([], "", False),
        ([], "apa saja", False),
        ([SoftWarning("numerator_gt_denominator", "…")], "", True),
        ([SoftWarning("numerator_gt_denominator", "…")], "  \n\t ", True),  # blanks explain nothing
        ([SoftWarning("numerator_gt_denominator", "…")], "Data Dukcapil termasuk pendatang.", False),
        ([{"code": "future_date", "message": "…"}], "", True),  # as stored on an answer (JSON)
    ],
)
def test_an_answer_with_a_warning_needs_an_explanation(warnings: list[Any], justification: str, needed: bool) -> None:
    assert needs_explanation(warnings, justification) is needed


# ------------------------------------------------------------------------------------------------ property tests

AMOUNT = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False)
POINTS = st.decimals(min_value=-5, max_value=60, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def percentage_rules(draw: st.DrawFn) -> QuestionRule:
    direction = draw(st.sampled_from(["at_least", "at_most"]))
    thresholds = [
        {direction: str(draw(st.decimals(0, 1000, places=2))), "points": str(draw(POINTS))}
        for _ in range(draw(st.integers(1, 4)))
    ]
    return QuestionRule.from_spec("q", "percentage", draw(st.decimals(0, 50, places=2)), {"thresholds": thresholds})


@FAST
@given(rule=percentage_rules(), numerator=AMOUNT, denominator=AMOUNT)
def test_property_no_percentage_above_100_ever_scores(rule: QuestionRule, numerator: D, denominator: D) -> None:
    raw = {"numerator": str(numerator), "denominator": str(denominator)}
    score = score_question(rule, raw)
    value = parse_answer("percentage", raw)
    assert isinstance(value, PercentageAnswer)
    if value.percent is not None and value.percent > 100:
        assert score.points == 0
    if numerator > denominator > 0:  # a denominator of 0 has its own explanation and warning
        assert score.points == 0 and score.answered
        assert CHECK_NUMERATOR in score.explanation
        # flagged: the answer carries a warning, so it waits for an explanation or a correction
        assert [w.code for w in soft_warnings(rule, value, today=TODAY)] == ["numerator_gt_denominator"]
        assert needs_explanation(soft_warnings(rule, value, today=TODAY), "")


@FAST
@given(rule=percentage_rules(), denominator=st.decimals(min_value="0.0001", max_value=10**9, places=4))
def test_property_possible_percentages_score_by_the_rubric_alone(rule: QuestionRule, denominator: D) -> None:
    """Up to 100 % the rule changes nothing: the best threshold met gives the points, clamped to [0, max]."""
    for numerator in (D(0), denominator / 2, denominator):
        value = PercentageAnswer(numerator.quantize(D("0.0001")), denominator)
        raw = {"numerator": str(value.numerator), "denominator": str(denominator)}
        percent = value.percent
        assert percent is not None
        met = [t.points for t in rule.thresholds if t.met_by(percent)]
        expected = min(max(max(met, default=D(0)), D(0)), rule.max_points)
        score = score_question(rule, raw)
        assert score.points == expected.quantize(D("0.01"))
        assert CHECK_NUMERATOR not in score.explanation
