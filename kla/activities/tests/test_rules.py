import datetime as dt

from kla.activities import rules


def test_dates_end_not_before_start() -> None:
    assert rules.dates_refusal(dt.date(2026, 1, 2), dt.date(2026, 1, 2)) is None
    assert "lebih awal" in (rules.dates_refusal(dt.date(2026, 1, 2), dt.date(2026, 1, 1)) or "")


def test_period_whole_years_of_the_plan() -> None:
    assert rules.period_refusal(dt.date(2025, 1, 1), dt.date(2029, 12, 31), 2025, 2029) is None
    assert "2025–2029" in (rules.period_refusal(dt.date(2024, 12, 31), dt.date(2025, 1, 2), 2025, 2029) or "")
    assert rules.period_refusal(dt.date(2029, 12, 31), dt.date(2030, 1, 1), 2025, 2029) is not None


def test_counts_non_negative_and_capped() -> None:
    assert rules.count_refusal("girls_0_5", 0) is None
    assert rules.count_refusal("adults", None) is None
    assert rules.count_refusal("adults", rules.COUNT_CAP) is None
    negative = rules.count_refusal("boys_13_17", -1) or ""
    assert "Anak laki-laki 13–17 tahun" in negative and "negatif" in negative
    assert "10.000.000" in (rules.count_refusal("adults", rules.COUNT_CAP + 1) or "")


def test_counts_refusals_by_field_and_unknown_names() -> None:
    out = rules.counts_refusals({"girls_6_12": -3, "adults": 4, "cats": 1})
    assert set(out) == {"girls_6_12", "cats"}


def test_reached_totals() -> None:
    got = rules.reached({"girls_0_5": 1, "girls_13_17": 2, "boys_6_12": 3, "adults": 4})
    assert (got.girls, got.boys, got.children, got.adults, got.total) == (3, 3, 6, 4, 10)
    assert rules.reached({}).total == 0


def test_labels() -> None:
    assert rules.count_label("girls_6_12") == "Anak perempuan 6–12 tahun"
    assert rules.count_label("adults") == "Orang dewasa"
    assert len(rules.COUNT_FIELDS) == 7


def test_location_inside_the_kabkota() -> None:
    assert rules.location_refusal("16.71.01", "16.71") is None
    assert rules.location_refusal("16.71.01.1001", "16.71") is None
    assert "di luar" in (rules.location_refusal("16.73.01", "16.71") or "")
    assert "kecamatan" in (rules.location_refusal("16.71", "16.71") or "")
    assert "kecamatan" in (rules.location_refusal("16", "16.71") or "")
    assert "kecamatan" in (rules.location_refusal("bukan-kode", "16.71") or "")
