"""One scorer per answer type: rounding, rubrics without thresholds, and what a refused answer keeps (scorers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from kla.indicators.answers import AnswerError
from kla.indicators.framework_schema import AnswerType
from kla.indicators.rubrics import QuestionRule
from kla.indicators.scorers import SCORERS, score_question, soft_warnings

TODAY = date(2024, 7, 23)
FRACTIONS = QuestionRule.from_spec(
    "f.1",
    "option",
    "5",
    {"options": [{"code": "a", "points": "2.345"}, {"code": "b", "points": "2.344"}, {"code": "c", "points": "4.995"}]},
)
COUNT = QuestionRule.from_spec("c.1", "number", "10", {"thresholds": [{"at_least": "3", "points": "7.125"}]})
BARE = QuestionRule.from_spec("b.1", "number", "10", {})  # a number the rubric gives no threshold to


@pytest.mark.parametrize(
    ("rule", "raw", "points", "explanation"),
    [
        (FRACTIONS, {"option": "a"}, "2.35", "Pilihan 'a' → 2,35 poin dari 5"),
        (FRACTIONS, {"option": "b"}, "2.34", "Pilihan 'b' → 2,34 poin dari 5"),
        (FRACTIONS, {"option": "c"}, "5.00", "Pilihan 'c' → 5 poin dari 5"),
        (COUNT, {"number": "3"}, "7.13", "Angka 3 ≥ 3 → 7,13 poin dari 10"),
    ],
)
def test_fractional_rubric_points_round_half_up(
    rule: QuestionRule, raw: dict[str, str], points: str, explanation: str
) -> None:
    score = score_question(rule, raw)
    assert (str(score.points), score.explanation) == (points, explanation)


def test_a_number_without_thresholds_scores_zero_and_says_so() -> None:
    score = score_question(BARE, {"number": "5"})
    assert score.explanation == "Angka 5: tidak memenuhi ambang terendah (-) → 0 poin dari 10"
    assert (score.points, score.answered) == (D("0.00"), True)


def test_an_answer_that_no_longer_fits_keeps_the_question_and_its_maximum() -> None:
    score = score_question(FRACTIONS, {"option": "z"})
    assert (score.code, score.max_points, score.points, score.answered) == ("f.1", D(5), D("0.00"), False)
    assert score.error == "Pilihan 'z' tidak dikenal; pilihan yang ada: a, b, c"
    assert (
        score.explanation
        == "Jawaban tidak valid (Pilihan 'z' tidak dikenal; pilihan yang ada: a, b, c) → 0 poin dari 5"
    )


def test_the_option_scorer_refuses_a_code_the_rubric_does_not_have() -> None:
    with pytest.raises(AnswerError) as info:
        SCORERS[AnswerType.OPTION].score(FRACTIONS, "z")
    assert info.value.message_id == "Pilihan 'z' tidak dikenal; pilihan yang ada: a, b, c"


def test_a_very_large_number_without_a_unit_asks_to_check_the_unit_in_general() -> None:
    [warning] = soft_warnings(BARE, D(2_000_000), today=TODAY)
    assert warning.message == (
        "Angka 2.000.000 tidak lazim besar (lebih dari 1.000.000). Periksa satuan dan salah ketik, atau tulis "
        "penjelasan bila angkanya memang benar."
    )
    assert soft_warnings(BARE, date(2024, 7, 23), today=TODAY) == []
