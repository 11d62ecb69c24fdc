"""Budget analytics on plain values: exact sums per agency, source, cluster and indicator whose parts always add up to
the total; the share of the region's budget; the flags the secretariat sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kla.rad import analytics
from kla.rad.analytics import REMOVED, Activity, Planned, Realised, Ref

D = dt.date
PUPR, DINKES = Ref(1, "Dinas PUPR"), Ref(2, "Dinkes")
K1, K4 = Ref(11, "Klaster I", 1), Ref(14, "Klaster IV", 4)
I1, I2, I3 = Ref(101, "1 Akta kelahiran", 1), Ref(102, "2 Ruang bermain", 2), Ref(103, "3 Imunisasi", 3)
PLAY = Activity("a", "Ruang bermain ramah anak", PUPR, K4, I2)
PARK = Activity("b", "Taman kota ramah anak", PUPR, K4, I2)
IMMUNISE = Activity("c", "Imunisasi dasar lengkap", DINKES, K1, I3)
M = Decimal


def _plan() -> list[Planned]:
    return [
        Planned("a", 2025, "apbd_kabkota", M("1250000000.50")),
        Planned("a", 2025, "dak", M("300000000.00")),
        Planned("b", 2025, "business", M("0.10")),
        Planned("c", 2025, "apbd_kabkota", M("0.20")),
        Planned("c", 2026, "apbn", M("99.99")),
    ]


def _real() -> list[Realised]:
    return [
        Realised("a", 2025, 1, "apbd_kabkota", M("100000000.25")),
        Realised("a", 2025, 2, "dak", M("0.05")),
        Realised("gone", 2025, 1, "apbd_kabkota", M("7.00")),
        Realised("c", 2026, 1, "apbn", M("1.00")),
    ]


def test_a_year_broken_down_by_agency_source_cluster_and_indicator() -> None:
    report = analytics.breakdown([PLAY, PARK, IMMUNISE], _plan(), _real(), year=2025, region_budget=M("3100000001.60"))
    assert report.planned == M("1550000000.80")
    assert report.realised == M("100000007.30")
    assert [(r.ref, r.planned, r.realised) for r in report.by_agency] == [
        (PUPR, M("1550000000.60"), M("100000000.30")),
        (DINKES, M("0.20"), M("0.00")),
        (REMOVED, M("0.00"), M("7.00")),
    ]
    assert [r.ref.id for r in report.by_source] == ["apbd_kabkota", "dak", "business"]
    assert report.by_source[0].ref.label == "APBD kabupaten/kota"
    assert [r.ref for r in report.by_cluster] == [K1, K4, REMOVED]
    assert [r.ref for r in report.by_indicator] == [I2, I3, REMOVED]
    assert report.share_percent == M("50.0000")


def test_the_whole_period_has_no_share() -> None:
    report = analytics.breakdown([PLAY, IMMUNISE], _plan(), _real(), year=None, region_budget=M("100"))
    assert report.planned == M("1550000100.79") and report.share_percent is None


def test_the_share_needs_a_region_budget() -> None:
    assert analytics.share_percent(M("1"), None) is None
    assert analytics.share_percent(M("1"), M("0")) is None
    assert analytics.share_percent(M("1"), M("3")) == M("33.3333")
    assert analytics.share_percent(M("2"), M("3")) == M("66.6667")


def test_unknown_sources_keep_their_code_at_the_end() -> None:
    assert analytics.source_ref("hibah") == Ref("hibah", "hibah", 7)
    assert analytics.source_ref("dak") == Ref("dak", "DAK", 3)


_amounts = st.decimals(min_value=0, max_value=Decimal("999999999999999.99"), places=2)
_keys = st.sampled_from(["a", "b", "c", "gone"])
_sources = st.sampled_from(["apbd_kabkota", "apbn", "dak", "dana_desa", "other"])
_years = st.sampled_from([2025, 2026])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.builds(Planned, _keys, _years, _sources, _amounts), max_size=40),
    st.lists(st.builds(Realised, _keys, _years, st.sampled_from([1, 2, 3, 4]), _sources, _amounts), max_size=40),
    st.sampled_from([2025, 2026, None]),
)
def test_the_parts_of_every_breakdown_sum_exactly_to_the_total(
    planned: list[Planned], realised: list[Realised], year: int | None
) -> None:
    report = analytics.breakdown([PLAY, PARK, IMMUNISE], planned, realised, year=year)
    expected_planned = sum((p.amount for p in planned if year is None or p.year == year), Decimal(0))
    expected_realised = sum((r.amount for r in realised if year is None or r.year == year), Decimal(0))
    assert report.planned == expected_planned and report.realised == expected_realised
    for rows in (report.by_agency, report.by_source, report.by_cluster, report.by_indicator):
        assert sum((r.planned for r in rows), Decimal(0)) == report.planned
        assert sum((r.realised for r in rows), Decimal(0)) == report.realised
        assert len({r.ref for r in rows}) == len(rows)


def test_indicators_without_a_funded_activity() -> None:
    plan = [*_plan(), Planned("b", 2026, "apbn", M("0.00"))]
    assert analytics.unfunded_indicators([I1, I2, I3], [PLAY, PARK, IMMUNISE], plan, 2025) == [I1]
    assert analytics.unfunded_indicators([I1, I2, I3], [PLAY, PARK, IMMUNISE], plan, 2026) == [I1, I2]
    assert analytics.unfunded_indicators([I1, I2, I3], [PLAY, PARK, IMMUNISE], plan) == [I1]
    assert analytics.unfunded_indicators([I1, I2, I3], [], plan) == [I1, I2, I3]


def test_agencies_without_an_allocation_next_year() -> None:
    assert analytics.agencies_without_allocation([PUPR, DINKES], [PLAY, IMMUNISE], _plan(), 2026) == [PUPR]
    assert analytics.agencies_without_allocation([PUPR, DINKES], [PLAY, IMMUNISE], _plan(), 2025) == []
    assert analytics.agencies_without_allocation([PUPR, DINKES], [PLAY, IMMUNISE], _plan(), 2027) == [PUPR, DINKES]


def test_funded_activities_without_realisation_after_their_quarter_ended() -> None:
    reported = [("a", 2025, 1), ("a", 2025, 2), ("b", 2025, 1)]
    missing = analytics.missing_realisation([PLAY, PARK, IMMUNISE], _plan(), reported, today=D(2025, 7, 1))
    assert missing == [
        analytics.Missing("b", 2025, 2),
        analytics.Missing("c", 2025, 1),
        analytics.Missing("c", 2025, 2),
    ]
    # on the last day of a quarter it has not ended yet; an activity outside the facts is not asked for
    assert analytics.missing_realisation([PLAY], _plan(), reported, today=D(2025, 6, 30)) == []
    later = analytics.missing_realisation([IMMUNISE], _plan(), [], today=D(2026, 4, 1))
    assert [(m.year, m.quarter) for m in later] == [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1)]


def test_overspending_activities() -> None:
    real = [*_real(), Realised("b", 2025, 3, "business", M("0.11"))]
    assert analytics.overspends(_plan(), real, 2025) == [
        analytics.Overspend("b", 2025, M("0.10"), M("0.11")),
        analytics.Overspend("gone", 2025, M("0.00"), M("7.00")),
    ]
    assert analytics.overspends(_plan(), real, 2026) == []


def test_changes_between_the_adopted_and_the_revised_figures() -> None:
    revised = [p for p in _plan() if p.key != "b"] + [Planned("a", 2025, "dak", M("250000000.00"))]
    revised = [p for p in revised if not (p.key == "a" and p.source == "dak" and p.amount == M("300000000.00"))]
    revised.append(Planned("d", 2026, "apbn", M("5.00")))
    assert analytics.changes(_plan(), revised) == [
        analytics.Change("a", 2025, "dak", M("300000000.00"), M("250000000.00")),
        analytics.Change("b", 2025, "business", M("0.10"), M("0.00")),
        analytics.Change("d", 2026, "apbn", M("0.00"), M("5.00")),
    ]
    assert analytics.changes(_plan(), _plan()) == []


# --- the edges mutation testing asked for ----------------------------------------------------------------------------


def test_an_empty_breakdown_is_exact_zero_and_keeps_its_year_and_budget() -> None:
    report = analytics.breakdown([], [], [], year=2025, region_budget=M("10.00"))
    assert str(report.planned) == "0.00" and str(report.realised) == "0.00"
    assert report.year == 2025 and report.region_budget == M("10.00") and report.share_percent == M("0.0000")


def test_rows_with_the_same_position_and_label_are_ordered_by_id() -> None:
    twin_b, twin_a = Activity("x", "X", Ref(2, "Dinas"), K1, I1), Activity("y", "Y", Ref(1, "Dinas"), K1, I1)
    plan = [Planned("x", 2025, "apbn", M("1.00")), Planned("y", 2025, "apbn", M("2.00"))]
    report = analytics.breakdown([twin_b, twin_a], plan, [], year=2025)
    assert [r.ref.id for r in report.by_agency] == [1, 2]


def test_the_share_is_rounded_half_up_and_a_budget_of_one_rupiah_counts() -> None:
    assert analytics.share_percent(M("1"), M("2000000")) == M("0.0001")  # 0.00005 rounds up
    assert analytics.share_percent(M("1"), M("1")) == M("100.0000")


def test_sums_by_key_add_every_line() -> None:
    plan = [
        Planned("a", 2025, "apbn", M("1.00")),
        Planned("a", 2025, "dak", M("2.00")),
        Planned("a", 2026, "dak", M("4")),
    ]
    assert analytics.planned_by_key(plan, 2025) == {"a": M("3.00")}
    assert analytics.planned_by_key(plan) == {"a": M("7.00")}
    real = [Realised("a", 2025, 1, "apbn", M("1.00")), Realised("a", 2025, 2, "apbn", M("2.00"))]
    assert analytics.realised_by_key(real, 2025) == {"a": M("3.00")}


def test_overspending_is_per_year_and_strictly_above_plan() -> None:
    plan = [Planned("a", 2025, "apbn", M("10.00")), Planned("a", 2026, "apbn", M("100.00"))]
    assert analytics.overspends(plan, [Realised("a", 2025, 1, "apbn", M("10.00"))], 2025) == []
    assert analytics.overspends(plan, [Realised("a", 2025, 1, "apbn", M("50.00"))], 2025) == [
        analytics.Overspend("a", 2025, M("10.00"), M("50.00"))
    ]


def test_missing_quarters_are_ordered_by_year_and_skip_unfunded_activities() -> None:
    plan = [
        Planned("a", 2026, "apbn", M("1.00")),
        Planned("c", 2025, "apbn", M("1.00")),
        Planned("b", 2025, "apbn", M("0")),
    ]
    facts = [PLAY, PARK, IMMUNISE]
    missing = analytics.missing_realisation(facts, plan, [], today=D(2026, 4, 1))
    assert [(m.key, m.year, m.quarter) for m in missing] == [
        ("c", 2025, 1),
        ("c", 2025, 2),
        ("c", 2025, 3),
        ("c", 2025, 4),
        ("a", 2026, 1),
    ]


def test_changes_add_duplicate_lines_order_by_year_and_treat_a_missing_amount_as_zero() -> None:
    before = [
        Planned("a", 2026, "apbn", M("1.00")),
        Planned("a", 2026, "apbn", M("1.00")),
        Planned("z", 2026, "dak", M("0")),
    ]
    after = [
        Planned("a", 2026, "apbn", M("1.00")),
        Planned("b", 2025, "apbn", M("3.00")),
        Planned("e", 2027, "dak", M("0")),
    ]
    assert analytics.changes(before, after) == [
        analytics.Change("b", 2025, "apbn", M("0.00"), M("3.00")),
        analytics.Change("a", 2026, "apbn", M("2.00"), M("1.00")),
    ]


def test_missing_quarters_of_one_year_are_ordered_by_activity() -> None:
    plan = [Planned(key, 2025, "apbn", M("1.00")) for key in ("c", "a", "b")]
    missing = analytics.missing_realisation([PLAY, PARK, IMMUNISE], plan, [], today=D(2025, 4, 1))
    assert [m.key for m in missing] == ["a", "b", "c"]
