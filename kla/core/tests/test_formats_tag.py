"""`{% load formats %}`: one way for numbers, money, sizes, dates and times on every page, per language and zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

INSTANT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def render(text: str, language: str = "id", zone: str = "Asia/Jakarta", **context: object) -> str:
    with translation.override(language), timezone.override(zone):
        return Template("{% load formats %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("text", "indonesian", "english"),
    [
        ("{{ v|number }}", "1.234,5", "1,234.5"),
        ("{{ v|number:2 }}", "1.234,50", "1,234.50"),
        ('{{ v|number:"-2" }}', "1.234,50", "1,234.50"),
        ('{{ w|number:"-2" }}', "45", "45"),
        ("{{ w|number:2 }}", "45,00", "45.00"),
        ("{{ w|percent }}", "45,00%", "45.00%"),
        ("{{ v|rupiah }}", "Rp 1.234,50", "Rp 1,234.50"),
        ("{{ n|size }}", "1,5 MB", "1.5 MB"),
        ("{{ day|long_date }}", "7 Desember 2026", "7 December 2026"),
        ("{{ day|short_date }}", "7 Des 2026", "7 Dec 2026"),
        ("{{ at|datetime }}", "7 Desember 2026 pukul 16.00 WIB", "7 December 2026 at 16:00 WIB"),
        ("{{ at|short_datetime }}", "7 Des 2026 16.00 WIB", "7 Dec 2026 16:00 WIB"),
        ("{{ at|clock }}", "16.00 WIB", "16:00 WIB"),
    ],
)
def test_each_filter_in_both_languages(text: str, indonesian: str, english: str) -> None:
    values = {"v": Decimal("1234.5"), "w": Decimal("45.00"), "n": 1_500_000, "day": dt.date(2026, 12, 7)}
    assert render(text, "id", at=INSTANT, **values) == indonesian
    assert render(text, "en", at=INSTANT, **values) == english


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Jakarta", "7 Des 2026 16.00 WIB"),
        ("Asia/Makassar", "7 Des 2026 17.00 WITA"),
        ("Asia/Jayapura", "7 Des 2026 18.00 WIT"),
    ],
)
def test_an_instant_reads_in_the_active_zone_with_its_label(zone: str, expected: str) -> None:
    assert render("{{ at|short_datetime }} · {% zone_label %}", zone=zone, at=INSTANT) == (
        f"{expected} · {expected.rsplit(' ', 1)[1]}"
    )


def test_the_date_of_an_instant_is_its_date_in_the_zone() -> None:
    late = dt.datetime(2026, 12, 7, 16, 30, tzinfo=dt.UTC)  # 23.30 WIB, already 8 December in WITA and WIT
    assert render("{{ at|short_date }}", zone="Asia/Jakarta", at=late) == "7 Des 2026"
    assert render("{{ at|long_date }}", zone="Asia/Jayapura", at=late) == "8 Desember 2026"


def test_a_naive_time_is_read_in_the_active_zone() -> None:
    assert render("{{ at|clock }}", zone="Asia/Makassar", at=dt.datetime(2026, 12, 7, 16, 0)) == "16.00 WITA"


@pytest.mark.parametrize(
    "text",
    ["{{ x|number }}", "{{ x|percent }}", "{{ x|rupiah }}", "{{ x|size }}", "{{ x|long_date }}", "{{ x|datetime }}"],
)
def test_nothing_reads_as_a_dash(text: str) -> None:
    assert render(text, x=None) == "–"


def test_a_form_value_is_written_in_the_page_language_and_read_back_there() -> None:
    from kla.core.formatting import parse_number

    for language, expected in (("id", "1.234,50"), ("en", "1,234.50")):
        shown = render("{{ v|input_number }}", language, v=Decimal("1234.5"))
        assert shown == expected and parse_number(shown, language) == Decimal("1234.5")
    assert render("{{ v|input_number }}", "en", v=Decimal("45.00")) == "45"
    assert render("{{ v|input_number }}", v=None) == ""


@pytest.mark.parametrize(("language", "expected"), [("id", "1,1250"), ("en", "1.1250")])
def test_a_form_value_that_would_be_ambiguous_gets_a_trailing_zero(language: str, expected: str) -> None:
    from kla.core.formatting import parse_number

    shown = render("{{ v|input_number:3 }}", language, v=Decimal("1.125"))
    assert shown == expected and parse_number(shown, language) == Decimal("1.125")
