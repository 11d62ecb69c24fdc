"""The one formatting module: numbers, sizes, dates and times as Indonesians write and read them."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kla.core import formatting as f

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0, None, "0"),
        (1200, None, "1.200"),
        (1234567, None, "1.234.567"),
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("45.00"), None, "45"),
        (Decimal("12.50"), None, "12,5"),
        (Decimal("45"), 2, "45,00"),
        (Decimal("1234.565"), 2, "1.234,57"),  # half up, not banker's rounding
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("-1500.5"), 1, "-1.500,5"),
        (2.5, None, "2,5"),
        (Decimal("1E+3"), None, "1.000"),
    ],
)
def test_format_number_indonesian(value, places, expected):
    assert f.format_number(value, places) == expected


def test_format_number_english_and_empty():
    assert f.format_number(Decimal("1234.5"), 2, lang="en") == "1,234.50"
    assert f.format_number(None) == "–"
    assert f.format_number(None, empty="") == ""


def test_percent_and_count():
    assert f.format_percent(Decimal("120")) == "120,00%"
    assert f.format_percent(Decimal("45.5"), 1) == "45,5%"
    assert f.format_percent(Decimal("45.5"), 1, lang="en") == "45.5%"
    assert f.format_percent(None) == "–"
    assert f.format_count(91600) == "91.600"
    assert f.format_count(91600, lang="en") == "91,600"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 bita"),
        (1023, "1023 bita"),
        (1024, "1 KB"),
        (1536, "1,5 KB"),
        (50 * 1024**2, "50 MB"),
        (50 * 1024**2 + 1, "50,1 MB"),  # rounded up: just over a limit never reads as the limit
        (int(1.5 * 1024**3), "1,5 GB"),
    ],
)
def test_format_size(n, expected):
    assert f.format_size(n) == expected


def test_format_size_english():
    assert f.format_size(1536, lang="en") == "1.5 KB"
    assert f.format_size(12, lang="en") == "12 bytes"


def test_dates():
    day = dt.date(2026, 12, 7)
    assert f.format_date(day) == "7 Desember 2026"
    assert f.format_date_short(day) == "7 Des 2026"
    assert f.format_date(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    assert f.format_date_short(dt.date(2026, 8, 17)) == "17 Agu 2026"
    assert f.format_date(day, lang="en") == "7 December 2026"
    assert f.format_date_short(day, lang="en") == "7 Dec 2026"


def test_datetimes_in_each_zone():
    instant = dt.datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert f.format_datetime(instant) == "7 Desember 2026 pukul 16.00 WIB"
    assert f.format_datetime(instant, f.WITA) == "7 Desember 2026 pukul 17.00 WITA"
    assert f.format_datetime(instant, f.WIT) == "7 Desember 2026 pukul 18.00 WIT"
    assert f.format_datetime_short(instant) == "7 Des 2026 16.00 WIB"
    assert f.format_datetime(instant, lang="en") == "7 December 2026 at 16:00 WIB"
    assert f.format_time(instant, f.WIT) == "18.00 WIT"


def test_datetime_crossing_midnight_takes_the_local_date():
    instant = dt.datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    assert f.format_datetime_short(instant, f.WIB) == "1 Jan 2027 00.30 WIB"
    assert f.format_datetime_short(instant, f.WIB, lang="en") == "1 Jan 2027 00:30 WIB"


def test_naive_datetime_refused():
    with pytest.raises(ValueError, match="zona"):
        f.format_datetime(dt.datetime(2026, 12, 7, 9, 0))


def test_zone_labels():
    assert [f.zone_label(z) for z in (f.WIB, f.WITA, f.WIT)] == ["WIB", "WITA", "WIT"]
    assert f.zone_label("UTC") == "UTC"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500", Decimal("1500")),
        ("2.000", Decimal("2000")),
        ("1.250.000.000", Decimal("1250000000")),
        ("1.250.000.000,50", Decimal("1250000000.50")),
        ("Rp 1.250.000.000", Decimal("1250000000")),
        ("Rp1.250.000", Decimal("1250000")),
        ("Rp. 1.500", Decimal("1500")),
        ("1,5", Decimal("1.5")),
        ("1.234,5", Decimal("1234.5")),
        ("0,250", Decimal("0.250")),
        ("1,2500", Decimal("1.2500")),
        ("45", Decimal("45")),
        ("  45 ", Decimal("45")),
        ("-2,25", Decimal("-2.25")),
        ("+7", Decimal("7")),
        ("1.250,500", Decimal("1250.500")),
    ],
)
def test_parse_number_reads_indonesian(text, expected):
    assert f.parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "hint"),
    [
        ("", "empty", "Isi angkanya"),
        ("   ", "empty", "Isi angkanya"),
        ("1,250", "ambiguous", "Tulis 1.250 jika maksudnya ribuan, atau 1,25"),
        ("12,000", "ambiguous", "Tulis 12.000"),
        ("1.5", "decimal_point", "Tulis 1,5"),
        ("3.14159", "decimal_point", "Tulis 3,14159"),
        ("1.50", "decimal_point", "Tulis 1,50"),
        ("1.2345", "decimal_point", "Tulis 1,2345"),
        ("12.34.567", "invalid", "1.500"),
        ("abc", "invalid", "bukan angka"),
        ("1 500", "invalid", "bukan spasi"),
        ("1,5,5", "invalid", "satu koma"),
        ("1,", "invalid", "satu koma"),
        ("1e5", "invalid", "bukan angka"),
    ],
)
def test_parse_number_refuses_with_a_hint(text, code, hint):
    with pytest.raises(f.NumberInputError) as caught:
        f.parse_number(text)
    assert caught.value.code == code
    assert hint in caught.value.message
    assert caught.value.message.endswith(".")


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False))
def test_round_trip_of_two_decimal_amounts(value):
    assert f.parse_number(f.format_number(value, 2)) == value


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_of_whole_numbers(value):
    assert f.parse_number(f.format_number(value)) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1250000000"), "Rp 1.250.000.000"),
        (Decimal("1250000000.00"), "Rp 1.250.000.000"),
        (Decimal("1250000000.5"), "Rp 1.250.000.000,50"),
        (Decimal("0.05"), "Rp 0,05"),
        (0, "Rp 0"),
        (Decimal("-5000"), "-Rp 5.000"),
        (Decimal("-0.5"), "-Rp 0,50"),
        (Decimal("0.005"), "Rp 0,01"),
    ],
)
def test_format_rupiah(value, expected):
    assert f.format_rupiah(value) == expected


def test_format_rupiah_english_and_empty():
    assert f.format_rupiah(Decimal("1250000.5"), lang="en") == "Rp 1,250,000.50"
    assert f.format_rupiah(None) == "–" and f.format_rupiah(None, empty="") == ""


@given(st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2))
def test_format_rupiah_reads_back(value):
    assert f.parse_number(f.format_rupiah(value)) == value
