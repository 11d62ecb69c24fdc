"""Palembang's RAD KLA in the demo: adopted with its Perwal, every agency's activities with outputs, targets and
budgets per source, realisation of the ended quarters, the region's APBD; the budget report adds up to the sen, the
overspend and the missing quarter are flagged; written once however often it runs."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kla.activities.models import Activity, ActivityFile
from kla.core.models import AuditEvent
from kla.demo import rad_data as data
from kla.demo.rad import RadReport, demo_rad, ended_quarters
from kla.evidence.models import Evidence
from kla.rad import selectors
from kla.rad.models import (
    Achievement,
    BudgetLine,
    Node,
    Output,
    Plan,
    Realisation,
    RegionBudget,
    Spend,
    Target,
    Version,
)

pytestmark = pytest.mark.django_db
PALEMBANG = "16.71"
TODAY = dt.date(2026, 8, 20)  # 2025 Q1-Q4 and 2026 Q1-Q2 have ended
LEAVES = sum(len(a.subs) or 1 for p in data.PROGRAMMES for a in p.activities)
MODELS = (
    Plan, Version, Node, Output, Target, BudgetLine, Realisation, Spend, Achievement, RegionBudget,
    Activity, ActivityFile, AuditEvent,
)  # fmt: skip


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> RadReport:
    settings.MEDIA_ROOT = tmp_path
    return demo_rad(today=TODAY)


def _plan() -> Plan:
    return Plan.objects.get(region_id=PALEMBANG, start_year=2025)


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in MODELS)


def test_the_plan_is_adopted_with_its_perwal(seeded: RadReport) -> None:
    plan = _plan()
    assert (plan.title, plan.start_year, plan.end_year) == (data.TITLE, 2025, 2029)
    version = plan.versions.get()
    assert version.status == Version.Status.ADOPTED
    assert (version.basis_kind, version.basis_number, version.basis_date) == (
        "perwal",
        data.BASIS_NUMBER,
        data.BASIS_DATE,
    )
    assert AuditEvent.objects.filter(action="kla.rad.version.adopted", region_code=PALEMBANG).count() == 1


def test_structure_agencies_outputs_targets_and_budgets(seeded: RadReport) -> None:
    version = _plan().versions.get()
    levels = Counter(Node.objects.filter(version=version).values_list("level", flat=True))
    activities = sum(len(p.activities) for p in data.PROGRAMMES)
    subs = sum(len(a.subs) for p in data.PROGRAMMES for a in p.activities)
    assert levels == {"programme": len(data.PROGRAMMES), "activity": activities, "sub_activity": subs}
    assert seeded.nodes == sum(levels.values())
    kinds = set(Node.objects.filter(version=version, agency__isnull=False).values_list("agency__kind", flat=True))
    assert kinds == set(data.AGENCIES)
    assert not Node.objects.filter(version=version, agency__isnull=False).exclude(agency__region_id=PALEMBANG).exists()
    play = Node.objects.get(version=version, name=data.PLAY_SPACES)
    assert (
        play.agency is not None
        and play.agency.kind == "DPUPR"
        and play.indicator.short_name == "Infrastruktur Ramah Anak"
    )
    assert Output.objects.filter(node__version=version).count() == LEAVES
    assert Target.objects.filter(output__node__version=version).count() == LEAVES * 5
    sources = Counter(BudgetLine.objects.filter(node__version=version).values_list("source", flat=True))
    assert set(sources) == {"apbd_kabkota", "dak", "apbn", "business"}
    assert sources["apbd_kabkota"] == LEAVES * 5 and sources["apbd_kabkota"] > sources["dak"] > sources["apbn"]
    assert BudgetLine.objects.get(node__name=data.OVERSPENT, year=2026, source="apbd_kabkota").amount == Decimal(
        "1312450500.50"
    )
    assert RegionBudget.objects.filter(region_id=PALEMBANG).count() == 5 == seeded.region_budgets


def test_realisation_of_the_ended_quarters_but_one(seeded: RadReport) -> None:
    quarters = ended_quarters(_plan(), TODAY)
    assert quarters == [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)]
    assert Realisation.objects.count() == seeded.realisations == LEAVES * len(quarters) - 1
    assert not Realisation.objects.filter(year=2026, quarter__gt=2).exists()
    assert Achievement.objects.count() == seeded.realisations
    explained = Realisation.objects.exclude(overspend_explanation="")
    assert set(explained.values_list("year", "quarter")) == {(2025, 3), (2025, 4)}


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_budget_report_parts_sum_exactly_to_the_total(seeded: RadReport, year: int) -> None:
    report = selectors.budget_report(_plan(), year, today=TODAY)
    b = report.breakdown
    lines = BudgetLine.objects.filter(node__version__plan=_plan(), year=year)
    assert b.planned == sum((line.amount for line in lines), Decimal(0)) > 0
    spends = Spend.objects.filter(realisation__plan=_plan(), realisation__year=year)
    assert b.realised == sum((s.amount for s in spends), Decimal(0))
    for rows in (b.by_agency, b.by_source, b.by_cluster, b.by_indicator):
        assert sum((r.planned for r in rows), Decimal(0)) == b.planned
        assert sum((r.realised for r in rows), Decimal(0)) == b.realised
    assert b.region_budget is not None and b.share_percent is not None and 0 < b.share_percent < 1
    assert b.share_percent == (b.planned * 100 / b.region_budget).quantize(Decimal("0.0001"))


def test_the_flags_show(seeded: RadReport) -> None:
    plan = _plan()
    report = selectors.budget_report(plan, 2026, today=TODAY)
    missing = Node.objects.get(version__plan=plan, name=data.MISSING)
    assert [(m.key, m.year, m.quarter) for m in report.missing_realisation] == [(str(missing.key), 2026, 2)]
    last_year = selectors.budget_report(plan, 2025, today=TODAY)
    over = Node.objects.get(version__plan=plan, name=data.OVERSPENT)
    assert [o.key for o in last_year.overspends] == [str(over.key)]
    assert last_year.overspends[0].realised > last_year.overspends[0].planned
    assert report.unfunded_indicators and not report.agencies_without_next_year


def test_two_activities_realise_the_plan_with_a_photo_each(seeded: RadReport, tmp_path: Path) -> None:
    plan = _plan()
    activities = list(Activity.objects.filter(region_id=PALEMBANG).prefetch_related("files", "indicators"))
    assert len(activities) == 2 == seeded.activities
    keys = dict(Node.objects.filter(version__plan=plan).values_list("key", "name"))
    realised = {keys[a.rad_activity_key] for a in activities if a.plan_id == plan.pk and a.rad_activity_key}
    assert realised == {data.PLAY_SPACES, "Layanan akta kelahiran jemput bola di kecamatan, sekolah dan panti"}
    for activity in activities:
        (photo,) = activity.files.all()
        assert photo.is_photo and (tmp_path / photo.file.name).read_bytes()
        assert activity.start_date < TODAY and activity.budget_used and sum(activity.counts().values()) > 0
        assert [i.code for i in activity.indicators.all()] in (["4"], ["11"])
        # its photo is evidence in the open self-assessment, by reference: the same stored object
        (evidence,) = Evidence.objects.filter(source="activities", source_id=photo.pk)
        assert evidence.file.name == photo.file.name and evidence.source_label.startswith("Kegiatan: ")
        assert evidence.entry.indicator.code == activity.indicators.get().code
        assert evidence.entry.evaluation.region_id == PALEMBANG and evidence.status == "active"


def test_seeding_twice_writes_nothing(seeded: RadReport, tmp_path: Path) -> None:
    assert seeded.created and seeded.plan
    counts, files = _counts(), sorted(tmp_path.rglob("*"))
    again = demo_rad(today=TODAY)
    assert not again.created
    assert _counts() == counts and sorted(tmp_path.rglob("*")) == files


def test_a_later_quarter_is_filled_in_keeping_one_flag(seeded: RadReport) -> None:
    """Run again after another quarter has ended: its realisation is added (and the quarter missed before)."""
    later = dt.date(2026, 11, 2)  # 2026 Q3 has ended since
    again = demo_rad(today=later)
    assert again.realisations == LEAVES  # every leaf's Q3, and the missing activity's Q2
    report = selectors.budget_report(_plan(), 2026, today=later)
    assert [(m.year, m.quarter) for m in report.missing_realisation] == [(2026, 3)]


def test_the_command_loads_the_plan_once(settings: Any, tmp_path: Any) -> None:
    settings.DEBUG, settings.MEDIA_ROOT = True, tmp_path
    first = io.StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=first)
    assert "RAD KLA Kota Palembang" in first.getvalue()
    plans = Plan.objects.filter(region_id=PALEMBANG).count()
    second = io.StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=second)
    assert "sudah ada" in second.getvalue()
    assert Plan.objects.filter(region_id=PALEMBANG).count() == plans == 1
