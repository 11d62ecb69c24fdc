"""The RAD KLA recaps' rows (`kla/reports/rad_recaps.py`), read as plain values: the budget recap's rows per agency are
the budget page's (`selectors.budget_report(...).breakdown.by_agency`, amounts and order), money an activity spent
before a revision removed it included; the plan recap names programme, activity and sub-activity; progress counts
the rows written; the plan recap's queries do not grow with plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kla.accounts.models import User
from kla.agencies.models import Agency
from kla.rad import selectors, services
from kla.rad.analytics import REMOVED
from kla.rad.tests import builders as b
from kla.reports import services as report_services
from kla.reports.rad_recaps import budget_recap, plan_recap, request_recap

pytestmark = pytest.mark.django_db
Users = Callable[[str], User]


def _revised_without_birth() -> b.Built:
    """Palembang's plan adopted, a quarter of the birth-certificate activity spent, then a revision without it."""
    built = b.built_plan(adopt=True)
    services.region_budget_set(region=b.region(), year=2025, total="3.000.000.000.000", by=None)
    for node, spent in ((built.birth, "40.000.000"), (built.play, "100.000.000,50")):
        services.realisation_record(
            node=node, year=2025, quarter=1, spent={"apbd_kabkota": spent}, by=None, today=b.TODAY
        )
    revision = services.revision_start(plan=built.plan, by=None)
    services.node_remove(node=revision.nodes.get(key=built.birth.key), by=None)
    services.version_adopt(
        version=revision, basis=services.Basis("perwal", "20 Tahun 2025", dt.date(2025, 6, 2)), by=None, today=b.TODAY
    )
    return built


def test_the_budget_recap_has_the_budget_pages_figures(user_of: Users) -> None:
    """Per year, the agencies' rows are the page's by_agency (by full name), the removed activity's money still
    with the agency that spent it; the total row the page's total, APBD and share; the parts sum to the total."""
    built = _revised_without_birth()
    rows = list(budget_recap(user_of("province"), b.region(b.SUMSEL)).rows)
    names = {a.pk: a.name for a in Agency.objects.all()}
    for year in built.plan.years:
        report = selectors.budget_report(built.plan, year, today=b.TODAY).breakdown
        mine = [r for r in rows if r[3] == year]
        page = {names.get(r.ref.id, r.ref.label): (r.planned, r.realised) for r in report.by_agency}
        assert {r[4]: (r[5], r[6]) for r in mine[:-1]} == page and len(mine) == len(page) + 1
        assert mine[-1][4:] == ["Jumlah", report.planned, report.realised, report.region_budget, report.share_percent]
        assert sum((r[5] for r in mine[:-1]), Decimal(0)) == mine[-1][5]
        assert sum((r[6] for r in mine[:-1]), Decimal(0)) == mine[-1][6]
    spent = {r[4]: r[6] for r in rows if r[3] == 2025}
    assert spent[b.agency("DISDUKCAPIL").name] == Decimal("40000000.00") and REMOVED.label not in spent
    assert spent["Jumlah"] == Decimal("140000000.50")


def test_the_plan_recap_names_programme_activity_and_sub_activity(user_of: Users) -> None:
    built = b.built_plan(adopt=True)
    rows = list(plan_recap(user_of("secretariat"), b.region()).rows)
    subs = [r for r in rows if r[8]]
    assert {r[8] for r in subs} == {s.name for s in built.subs}
    assert {(r[6], r[7]) for r in subs} == {("Program pendaftaran penduduk", built.split.name)}
    play = [r for r in rows if r[7] == built.play.name]
    assert {(r[6], r[8], r[9]) for r in play} == {("Program penataan ruang", "", "1.03.02.2.01")}
    assert [(r[11], r[12], r[13]) for r in play] == [
        (2025, "APBD kabupaten/kota", Decimal("1250000000.00")),
        (2025, "DAK", Decimal("300000000.50")),
        (2026, "APBD kabupaten/kota", Decimal("900000000.00")),
    ]
    version = built.plan.versions.get()
    assert {r[3] for r in rows} == {f"{version.number} ({version.get_status_display()})"}


@pytest.mark.parametrize("kind", ["rad-rekap-rencana", "rad-rekap-anggaran"])
def test_progress_counts_the_rows_written(kind: str, user_of: Users, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _revised_without_birth()
    b.built_plan(code=b.LUBUKLINGGAU, adopt=True)
    export = report_services.build(request_recap(user=user_of("province"), kind=kind, region=b.region(b.SUMSEL)).pk)
    assert export.rows_done == export.rows_total > 0


def test_plan_recap_queries_stay_constant(user_of: Users, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    user = user_of("province")
    b.built_plan(adopt=True)

    def build() -> int:
        export = request_recap(user=user, kind="rad-rekap-rencana", region=b.region(b.SUMSEL))
        with CaptureQueriesContext(connection) as queries:
            report_services.build(export.pk)
        return len(queries.captured_queries)

    small = build()
    b.built_plan(code=b.LUBUKLINGGAU, adopt=True)
    assert build() == small
