"""Typed numbers in both styles (issue 21, item 4): Indonesian pages read ``1.500`` and ``1,5``, English pages
``1,500`` and ``1.5``; each style refuses the other's ambiguous thousand with a hint that says how to write it
either way. ``kla.core.typed_numbers`` picks the style from the active language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kla.core import formatting as f
from kla.core import typed_numbers

# (typed, Indonesian reading, English reading); None: refused in that style
READINGS = [
    ("1.500", Decimal("1500"), None),  # English: ambiguous
    ("1,500", None, Decimal("1500")),  # Indonesian: ambiguous
    ("1,500.5", None, Decimal("1500.5")),
    ("1.500,5", Decimal("1500.5"), None),
    ("1.5", None, Decimal("1.5")),
    ("1,5", Decimal("1.5"), None),
    ("1.250.000", Decimal("1250000"), None),
    ("1,250,000", None, Decimal("1250000")),
    ("Rp 1,250,000", None, Decimal("1250000")),
    ("Rp 1.250.000", Decimal("1250000"), None),
    ("Rp1,250,000.50", None, Decimal("1250000.50")),
    ("Rp. 1,500", None, Decimal("1500")),
    ("-Rp 5,000", None, Decimal("-5000")),
    ("-Rp 5.000", Decimal("-5000"), None),
    ("-2.25", None, Decimal("-2.25")),
    ("-2,25", Decimal("-2.25"), None),
    ("−1,500", None, Decimal("-1500")),  # a typographic minus
    ("+7", Decimal("7"), Decimal("7")),
    ("  45 ", Decimal("45"), Decimal("45")),
    ("45", Decimal("45"), Decimal("45")),
    ("0.250", Decimal("250"), Decimal("0.250")),  # English: a whole part of zero is never a thousand
    ("0,250", Decimal("0.250"), Decimal("250")),
    ("1,250.500", None, Decimal("1250.500")),  # a thousands mark before the decimal: not ambiguous
    ("1.250,500", Decimal("1250.500"), None),
    ("1.2500", None, Decimal("1.2500")),
    ("1\u00a0500", None, None),  # a no-break space is a space
]


@pytest.mark.parametrize(("text", "indonesian", "english"), READINGS)
def test_each_style_reads_its_own_way(text: str, indonesian: Decimal | None, english: Decimal | None) -> None:
    for style, expected in (("id", indonesian), ("en", english)):
        if expected is None:
            with pytest.raises(f.NumberInputError):
                f.parse_number(text, style)
        else:
            assert f.parse_number(text, style) == expected


@pytest.mark.parametrize(
    ("text", "code", "hint"),
    [
        ("", "empty", "Isi angkanya terlebih dahulu."),
        ("1.250", "ambiguous", "Tulis 1,250 jika maksudnya ribuan, atau 1.25 jika maksudnya bilangan desimal."),
        ("12.000", "ambiguous", "Tulis 12,000 jika maksudnya ribuan, atau 12.0 jika"),
        ("-1.250", "ambiguous", "Tulis 1,250 jika maksudnya ribuan"),
        ("Rp 1.250", "ambiguous", "Tulis 1,250"),
        ("1,5", "decimal_comma", "koma memisahkan ribuan, titik menandai desimal. Tulis 1.5 untuk bilangan desimal."),
        ("1,50", "decimal_comma", "Tulis 1.50"),
        ("1.250.000", "invalid", "Gunakan satu titik untuk desimal, misalnya 1,234.5."),
        ("1.", "invalid", "satu titik"),
        ("1 500", "invalid", "Pisahkan ribuan dengan koma, bukan spasi: 1,500."),
        ("12,34,567", "invalid", "Tulis angka seperti 1,500 (seribu lima ratus) atau 1.5 (satu setengah)."),
        ("abc", "invalid", "bukan angka"),
        ("1e5", "invalid", "bukan angka"),
    ],
)
def test_english_refusals_say_how_to_write_it(text: str, code: str, hint: str) -> None:
    with pytest.raises(f.NumberInputError) as caught:
        f.parse_number(text, "en")
    assert caught.value.code == code
    assert hint in caught.value.message
    assert caught.value.message == caught.value.template % caught.value.params


def test_the_indonesian_messages_are_unchanged() -> None:
    with pytest.raises(f.NumberInputError) as caught:
        f.parse_number("1,250")
    assert caught.value.message == (
        '"1,250" dapat dibaca dua cara. Tulis 1.250 jika maksudnya ribuan, atau 1,25 jika maksudnya bilangan desimal.'
    )
    with pytest.raises(f.NumberInputError) as caught:
        f.parse_number("abc", "id")
    assert (
        caught.value.message
        == '"abc" bukan angka. Tulis angka seperti 1.500 (seribu lima ratus) atau 1,5 (satu setengah).'
    )


def test_a_refusal_is_said_through_a_translation() -> None:
    with pytest.raises(f.NumberInputError) as caught:
        f.parse_number("1.250", "en")
    said = caught.value.said_with(lambda template: template.replace("dapat dibaca dua cara", "could be read two ways"))
    assert said.code == "ambiguous" and said.message.startswith('"1.250" could be read two ways. Tulis 1,250')
    assert str(said) == said.message and said.template == caught.value.template


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=3, allow_nan=False, allow_infinity=False))
def test_a_form_value_reads_back_in_its_style(value: Decimal) -> None:
    for style in ("id", "en"):
        assert f.parse_number(f.format_typed(value, lang=style), style) == value


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False))
def test_money_reads_back_in_its_style(value: Decimal) -> None:
    for style in ("id", "en"):
        assert f.parse_number(f.format_rupiah(value, lang=style), style) == value


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [("en", "1,500.5", Decimal("1500.5")), ("en-gb", "1.5", Decimal("1.5")), ("id", "1.500,5", Decimal("1500.5"))],
)
def test_the_active_language_picks_the_style(language: str, typed: str, expected: Decimal) -> None:
    with translation.override(language):
        assert typed_numbers.style() == ("en" if language.startswith("en") else "id")
        assert typed_numbers.read_number(typed) == expected


def test_a_fixed_style_wins_over_the_language() -> None:
    with translation.override("en"), typed_numbers.reading("id"):
        assert typed_numbers.read_number("1.500") == Decimal("1500")
    with translation.override("en"):
        assert typed_numbers.style() == "en"


def test_a_refusal_on_an_english_page_keeps_its_code_and_english_examples() -> None:
    with translation.override("en"):
        with pytest.raises(f.NumberInputError) as caught:
            typed_numbers.read_number("1.250")
        assert caught.value.code == "ambiguous"
        assert "1,250" in caught.value.message and "1.25" in caught.value.message
        assert caught.value.message == translation.gettext(caught.value.template) % caught.value.params
        assert typed_numbers.said(caught.value) == caught.value.message
        assert typed_numbers.typed(Decimal("1250000.5")) == "1,250,000.5"
        assert typed_numbers.typed(None) == ""
