"""Answers as stored → typed values: the exact limits and the exact refusals (kla.indicators.answers)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kla.indicators.answers import AnswerError, PercentageAnswer, parse_answer
from kla.indicators.points import to_cent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"number": "1000000000000"}, D(10) ** 12),  # exactly the maximum is a number like any other
        ({"number": 1_000_000_000_000}, D(10) ** 12),
        ({"number": "999999999999.9999"}, D("999999999999.9999")),
        ({"number": "0"}, D(0)),
    ],
)
def test_numbers_up_to_and_including_the_maximum_are_read(raw: dict[str, object], expected: D) -> None:
    assert parse_answer("number", raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"number": "1000000000000.0001"}, "Angka terlalu besar (1000000000000.0001)"),
        ({"number": "-0.0001"}, "Angka tidak boleh negatif (-0.0001)"),
        ({"yes": "ya"}, "Jawaban Ya/Tidak harus true atau false"),
        ({"numerator": "x", "denominator": "10"}, "Pembilang 'x' bukan angka"),
        ({"numerator": "10", "denominator": "-1"}, "Penyebut tidak boleh negatif (-1)"),
        ({"numerator": 1, "denominator": 2, "pembilang": 1, "catatan": ""}, None),
    ],
)
def test_refusals_say_exactly_what_is_wrong(raw: dict[str, object], message: str | None) -> None:
    answer_type = "number" if "number" in raw else "yes_no" if "yes" in raw else "percentage"
    with pytest.raises(AnswerError) as info:
        parse_answer(answer_type, raw)
    expected = message or "Kolom tidak dikenal: catatan, pembilang; jawaban percentage memakai: numerator, denominator"
    assert info.value.message_id == expected


def test_a_percentage_is_rounded_half_up_to_hundredths() -> None:
    # 1/8 = 12.5 % exactly; 1/3 = 33.333… %; 2/3 = 66.666… %; 0.125/1 = 12.5 %; 1.2345/10 = 12.345 % → 12.35 (not 12.34)
    assert PercentageAnswer(D(1), D(8)).percent == D("12.50")
    assert PercentageAnswer(D(1), D(3)).percent == D("33.33")
    assert PercentageAnswer(D(2), D(3)).percent == D("66.67")
    assert PercentageAnswer(D("1.2345"), D(10)).percent == D("12.35")
    assert PercentageAnswer(D(5), D(0)).percent is None


@pytest.mark.parametrize(
    ("value", "rounded"), [("2.345", "2.35"), ("2.344", "2.34"), ("2.355", "2.36"), ("0.005", "0.01")]
)
def test_fractional_points_round_half_up_never_to_the_even_neighbour(value: str, rounded: str) -> None:
    assert to_cent(D(value)) == D(rounded)
    assert str(to_cent(D(value))) == rounded
