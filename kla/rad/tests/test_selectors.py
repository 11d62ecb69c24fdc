"""RAD KLA reads: the plan tree with targets and budgets, the budget of a year with its flags; both in a constant number
of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from kla.rad import selectors, services
from kla.rad.models import Node, Version
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
M = Decimal
TREE_QUERIES, REPORT_QUERIES = 4, 7


def _version(pk: int) -> Version:
    return Version.objects.select_related("plan__region", "plan__framework").get(pk=pk)


def _grow(built: b.Built, n: int) -> None:
    """n more programmes, each with an activity, an output, targets and budget, and an activity split in two."""
    for i, indicator in enumerate(b.indicators()[2 : 2 + n]):
        programme = services.node_add(
            version=built.version, level="programme", indicator_id=indicator.pk, name=f"Program {i}", by=None
        )
        activity = b._activity(built.version, programme, "DINKES", f"Kegiatan {i}")
        output = services.output_add(node=activity, name=f"Keluaran {i}", unit="orang", by=None)
        services.targets_set(output=output, targets={2025: "10", 2026: "20"}, by=None)
        services.budget_set(node=activity, budget={(2025, "apbd_kabkota"): "1.000", (2025, "dak"): "2.000"}, by=None)
        split = b._activity(built.version, programme, "DINSOS", f"Kegiatan terbagi {i}")
        for j in range(2):
            sub = services.node_add(version=built.version, level="sub_activity", parent=split, name=f"Sub {j}", by=None)
            services.budget_set(node=sub, budget={(2026, "dana_desa"): "500"}, by=None)


def test_the_tree_is_grouped_by_cluster_and_indicator_with_figures() -> None:
    built = b.built_plan()
    tree = selectors.plan_tree(_version(built.version.pk))
    assert tree.years == (2025, 2026, 2027, 2028, 2029)
    indicators = [i.indicator.pk for c in tree.clusters for i in c.indicators]
    assert indicators == [b.indicators()[0].pk, b.indicators()[1].pk]
    play = next(p for c in tree.clusters for i in c.indicators for p in i.programmes if p.node.code == "1.03.02")
    activity = play.children[0]
    assert activity.node.pk == built.play.pk and activity.node.agency is not None
    assert activity.budget == {
        2025: {"apbd_kabkota": M("1250000000.00"), "dak": M("300000000.50")},
        2026: {"apbd_kabkota": M("900000000.00")},
    }
    assert [(o.output.unit, o.targets) for o in activity.outputs] == [("unit", {2025: M("2.00"), 2026: M("3.00")})]
    split = next(n for c in tree.clusters for i in c.indicators for p in i.programmes for n in p.children if n.children)
    assert split.planned(2025) == M("60000000.25") and len(split.children) == 2
    assert tree.planned(2025) == M("1250000000.00") + M("300000000.50") + M("150000000.00") + M("60000000.25")
    full = selectors.plan_tree(_version(built.version.pk), all_indicators=True)
    assert sum(len(c.indicators) for c in full.clusters) == len(b.indicators())


def test_the_tree_takes_the_same_queries_whatever_its_size(django_assert_num_queries: Callable[..., Any]) -> None:
    built = b.built_plan()
    version = _version(built.version.pk)
    with django_assert_num_queries(TREE_QUERIES):
        small = selectors.plan_tree(version)
    _grow(built, 6)
    version = _version(built.version.pk)
    with django_assert_num_queries(TREE_QUERIES):
        large = selectors.plan_tree(version)
    with django_assert_num_queries(TREE_QUERIES + 1):
        selectors.plan_tree(version, all_indicators=True)
    assert len([i for c in large.clusters for i in c.indicators]) > len(
        [i for c in small.clusters for i in c.indicators]
    )


def _adopted_with_realisation() -> b.Built:
    built = b.built_plan(adopt=True)
    services.region_budget_set(region=b.region(), year=2025, total="5.000.000.000.000", by=None)
    for quarter, amount in ((1, "300.000.000"), (2, "250.000.000,50")):
        services.realisation_record(
            node=built.play, year=2025, quarter=quarter, spent={"apbd_kabkota": amount}, by=None, today=b.TODAY
        )
    services.realisation_record(
        node=built.subs[0], year=2025, quarter=1, spent={"apbn": "30.000.000"}, explanation="Peserta bertambah.",
        by=None, today=b.TODAY,
    )  # fmt: skip
    return built


def test_the_budget_of_a_year_sums_exactly_and_shows_the_share() -> None:
    built = _adopted_with_realisation()
    report = selectors.budget_report(built.plan, 2025, today=b.TODAY)
    parts = report.breakdown
    assert parts.planned == M("1760000000.75") and parts.realised == M("580000000.50")
    for rows in (parts.by_agency, parts.by_source, parts.by_cluster, parts.by_indicator):
        assert sum((r.planned for r in rows), M(0)) == parts.planned
        assert sum((r.realised for r in rows), M(0)) == parts.realised
    by_agency = {r.ref.id: (r.planned, r.realised) for r in parts.by_agency}
    assert by_agency[built.play.agency_id] == (M("1550000000.50"), M("550000000.50"))
    assert by_agency[built.birth.agency_id] == (M("210000000.25"), M("30000000.00"))
    assert [(r.ref.id, r.planned) for r in parts.by_source] == [
        ("apbd_kabkota", M("1400000000.00")),
        ("apbn", M("60000000.25")),
        ("dak", M("300000000.50")),
    ]
    assert parts.region_budget == M("5000000000000.00") and parts.share_percent == M("0.0352")
    assert [(o.key, o.planned, o.realised) for o in report.overspends] == [
        (str(built.subs[0].key), M("25000000.00"), M("30000000.00"))
    ]


def test_the_flags_before_the_evaluation() -> None:
    built = _adopted_with_realisation()
    report = selectors.budget_report(built.plan, 2025, today=b.TODAY)
    unfunded = {r.id for r in report.unfunded_indicators}
    assert b.indicators()[0].pk not in unfunded and b.indicators()[1].pk not in unfunded
    assert len(unfunded) == len(b.indicators()) - 2
    assert report.next_year == 2027
    assert {r.label for r in report.agencies_without_next_year} == {
        built.play.agency.short_name,  # type: ignore[union-attr]
        built.birth.agency.short_name,  # type: ignore[union-attr]
    }
    missing = {(m.key, m.year, m.quarter) for m in report.missing_realisation}
    assert (str(built.play.key), 2025, 3) in missing and (str(built.play.key), 2025, 1) not in missing
    assert (str(built.birth.key), 2025, 1) in missing and (str(built.play.key), 2026, 2) in missing
    assert (str(built.play.key), 2026, 3) not in missing  # not ended on 15 July 2026


def test_realisation_of_an_activity_removed_by_a_revision_still_counts() -> None:
    built = _adopted_with_realisation()
    revision = services.revision_start(plan=built.plan, by=None)
    services.node_remove(node=Node.objects.get(version=revision, key=built.play.key), by=None)
    services.version_adopt(version=revision, basis=services.Basis("perwal", "30", dt.date(2026, 2, 1)), by=None)
    report = selectors.budget_report(built.plan, 2025, today=b.TODAY)
    assert report.version is not None and report.version.pk == revision.pk
    assert report.breakdown.planned == M("210000000.25") and report.breakdown.realised == M("580000000.50")
    pupr = [r for r in report.breakdown.by_agency if r.ref.id == built.play.agency_id]
    assert [(r.planned, r.realised) for r in pupr] == [(M("0.00"), M("550000000.50"))]
    old = selectors.budget_report(built.plan, 2025, version=built.version, today=b.TODAY)
    assert old.breakdown.planned == M("1760000000.75")


def test_the_budget_takes_the_same_queries_whatever_the_plans_size(
    django_assert_num_queries: Callable[..., Any],
) -> None:
    built = _adopted_with_realisation()
    with django_assert_num_queries(REPORT_QUERIES):
        selectors.budget_report(built.plan, 2025, today=b.TODAY)
    revision = services.revision_start(plan=built.plan, by=None)
    grown = b.Built(built.plan, revision, built.play, built.play_output, built.birth, built.split, built.subs)
    _grow(grown, 6)
    services.version_adopt(version=revision, basis=services.Basis("perwal", "30", dt.date(2026, 2, 1)), by=None)
    with django_assert_num_queries(REPORT_QUERIES):
        report = selectors.budget_report(built.plan, 2025, today=b.TODAY)
    assert len(report.breakdown.by_indicator) > 2


def test_plans_of_a_region_and_the_version_shown(django_assert_num_queries: Callable[..., Any]) -> None:
    built = b.built_plan(adopt=True)
    b.plan(start=2030)
    region = b.region()
    with django_assert_num_queries(2):
        plans = [(p.start_year, [v.number for v in p.versions.all()]) for p in selectors.plan_list(region)]
    assert plans == [(2030, [1]), (2025, [1])]
    assert selectors.current_version(built.plan) == built.version
    revision = services.revision_start(plan=built.plan, by=None)
    assert selectors.current_version(built.plan) == built.version  # the draft revision is not in force yet
    services.version_adopt(version=revision, basis=services.Basis("perwal", "30", dt.date(2026, 2, 1)), by=None)
    assert selectors.current_version(built.plan) == revision


def test_a_draft_plan_is_not_asked_for_realisation() -> None:
    built = b.built_plan()
    report = selectors.budget_report(built.plan, 2025, today=b.TODAY)
    assert report.version == built.version and report.missing_realisation == []
    assert report.breakdown.planned == M("1760000000.75") and report.breakdown.share_percent is None


def test_the_realisation_table_per_activity_and_quarter(django_assert_num_queries: Callable[..., Any]) -> None:
    built = _adopted_with_realisation()
    with django_assert_num_queries(4):  # realisation, spends, achievements, evidence files
        table = selectors.realisation_table(built.plan, 2025)
        play = table[str(built.play.key)]
        assert {q: f.spent for q, f in play.items()} == {1: M("300000000.00"), 2: M("250000000.50")}
        assert table[str(built.subs[0].key)][1].realisation.overspend_explanation == "Peserta bertambah."
    assert selectors.realisation_table(built.plan, 2026) == {}


def test_what_a_revision_changes(django_assert_num_queries: Callable[..., Any]) -> None:
    built = b.built_plan(adopt=True)
    assert selectors.revision_changes(built.version) == []
    revision = services.revision_start(plan=built.plan, by=None)
    with django_assert_num_queries(2):
        assert selectors.revision_changes(revision) == []
    play = Node.objects.get(version=revision, key=built.play.key)
    services.budget_set(node=play, budget={(2025, "dak"): "0", (2028, "apbn"): "7.000"}, by=None)
    changes = [(c.key, c.year, c.source, c.before, c.after) for c in selectors.revision_changes(revision)]
    assert changes == [
        (str(built.play.key), 2025, "dak", M("300000000.50"), M("0.00")),
        (str(built.play.key), 2028, "apbn", M("0.00"), M("7000.00")),
    ]


def test_the_region_budgets_of_a_period(django_assert_num_queries: Callable[..., Any]) -> None:
    for year, total in ((2025, "5.000.000.000.000"), (2026, "5.500.000.000.000,50"), (2031, "1")):
        services.region_budget_set(region=b.region(), year=year, total=total, by=None)
    with django_assert_num_queries(1):
        budgets = selectors.region_budgets(b.PALEMBANG, (2025, 2026, 2027, 2028, 2029))
    assert budgets == {2025: M("5000000000000.00"), 2026: M("5500000000000.50")}
