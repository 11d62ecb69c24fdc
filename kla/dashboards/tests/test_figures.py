"""The pure dashboard figures: chart JSON, ordered counts, days-in-stage buckets, laggards, predicates per year."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kla.dashboards import figures


def test_chart_keeps_labels_and_series_in_order() -> None:
    data = figures.chart(["a", "b"], [figures.Series("x", (1.0, 2.0)), figures.Series("y", (3.0, 4.0))], stacked=True)
    assert data == {
        "type": "bar",
        "title": "",
        "horizontal": True,
        "stacked": True,
        "labels": ["a", "b"],
        "datasets": [{"label": "x", "values": [1.0, 2.0]}, {"label": "y", "values": [3.0, 4.0]}],
    }


def test_number_draws_nothing_known_as_zero() -> None:
    assert figures.number(None) == 0.0
    assert figures.number(Decimal("12.50")) == 12.5


def test_ordered_counts_follow_the_order_then_unknown_keys() -> None:
    counts = figures.ordered_counts({"b": 2, "z": 1}, [("a", "A"), ("b", "B")])
    assert [(c.key, c.label, c.n) for c in counts] == [("a", "A", 0), ("b", "B", 2), ("z", "z", 1)]
    assert [c.key for c in figures.ordered_counts({"b": 2}, [("a", "A"), ("b", "B")], keep_zero=False)] == ["b"]


def test_bucket_bounds() -> None:
    assert [figures.bucket_of(d) for d in (0, 6, 7, 29, 30, 59, 60, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]


@given(st.integers(min_value=0, max_value=10_000))
def test_every_day_count_falls_in_the_bucket_whose_lower_bound_it_reaches(days: int) -> None:
    index = figures.bucket_of(days)
    low, high = figures.bucket_bounds()[index]
    assert low <= days and (high is None or days < high)


def test_percent_rounds_down_and_an_empty_whole_is_complete() -> None:
    assert figures.percent(199, 200) == 99
    assert figures.percent(0, 0) == 100
    assert figures.percent(1, 3) == 33


def test_laggards_lowest_first_only_below_the_bar() -> None:
    rows = [
        figures.Progress("1", "B", 5, 10),
        figures.Progress("2", "A", 5, 10),
        figures.Progress("3", "C", 10, 10),
        figures.Progress("4", "D", 1, 10),
    ]
    assert [r.code for r in figures.laggards(rows)] == ["4", "2", "1"]
    assert [r.code for r in figures.laggards(rows, limit=1)] == ["4"]


def test_predicate_matrix_orders_years_and_known_bands_first() -> None:
    years, bands, cells = figures.predicate_matrix(
        [(2025, "Madya", 3), (2024, "Pratama", 2), (2025, "Lain", 1), (2024, "Pratama", 1)],
        ["Pratama", "Madya", "Nindya"],
    )
    assert years == [2024, 2025]
    assert bands == ["Pratama", "Madya", "Lain"]  # a band nobody holds is left out
    assert cells == {(2025, "Madya"): 3, (2024, "Pratama"): 3, (2025, "Lain"): 1}
