"""The national data set's RAD KLA on two provinces (Sumatera Selatan: 17 kab/kota, Gorontalo: 6): every kab/kota's
plan adopted with its Perbup/Perwal, the tree with outputs, targets and budgets, realisation of the ended quarters,
the APBD per year; amounts stored as whole sen; for every plan and year the budget report's parts sum exactly to
its total. Seeded once for the module in a transaction rolled back at the end (as test_national.py does)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F, Sum
from django.test import override_settings
from django.utils import timezone

from bench.national_data import seed_national, table_counts
from bench.national_data.constants import seeded_rng
from bench.national_data.instrument import Instrument
from bench.national_data.rad_plan import ended, make_rad
from kla.rad import rules, selectors
from kla.rad.models import BudgetLine, Node, Output, Plan, Realisation, RegionBudget, Spend, Target, Version
from kla.regions.models import Region

pytestmark = pytest.mark.django_db
PROVINCES = ["16", "75"]


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        report = seed_national(seed=2026, provinces=PROVINCES)
        yield report
        transaction.set_rollback(True)


def _kabkota() -> list[Region]:
    return list(Region.objects.filter(parent_id__in=PROVINCES).order_by("code"))


def _plans() -> list[Plan]:
    return list(Plan.objects.filter(region__parent_id__in=PROVINCES).select_related("region").order_by("region_id"))


def test_every_kabkota_has_an_adopted_plan_with_its_regulation(national) -> None:  # type: ignore[no-untyped-def]
    regions = _kabkota()
    plans = _plans()
    assert [p.region_id for p in plans] == [r.code for r in regions] and len(plans) == 23
    year = timezone.localdate().year
    assert {(p.start_year, p.end_year) for p in plans} == {(year - 1, year + 3)}
    versions = Version.objects.filter(plan__in=plans).select_related("plan__region")
    assert versions.count() == 23 and {v.status for v in versions} == {Version.Status.ADOPTED}
    for v in versions:
        assert v.basis_kind == rules.BASIS_FOR_KIND[v.plan.region.kind]
        assert v.basis_number and v.basis_date is not None and v.adopted_at is not None
    assert national.created["rad.Plan"] == 23 and national.created["rad.RegionBudget"] == 23 * 5
    assert RegionBudget.objects.filter(region__parent_id__in=PROVINCES).count() == 23 * 5


def test_the_tree_outputs_targets_and_budgets(national) -> None:  # type: ignore[no-untyped-def]
    nodes = Node.objects.filter(version__plan__region__parent_id__in=PROVINCES)
    levels = Counter(nodes.values_list("level", flat=True))
    assert levels["programme"] >= 23 * 5 and levels["activity"] >= levels["programme"]
    assert levels["sub_activity"] > 0
    assert not nodes.filter(level="programme", parent__isnull=False).exists()
    assert not nodes.filter(level="activity").exclude(parent__level="programme").exists()
    assert not nodes.filter(level__in=["activity", "sub_activity"], agency__isnull=True).exists()
    assert not nodes.exclude(agency__isnull=True).exclude(agency__region_id=F("version__plan__region_id")).exists()
    funded = set(BudgetLine.objects.filter(node__in=nodes).values_list("node_id", flat=True))
    with_children = set(nodes.filter(children__isnull=False).values_list("pk", flat=True))
    assert funded and not funded & with_children
    assert not nodes.filter(pk__in=funded, level="programme").exists()
    leaves = nodes.filter(level__in=["activity", "sub_activity"], children__isnull=True)
    assert set(leaves.values_list("pk", flat=True)) == funded
    assert Output.objects.filter(node__in=nodes).count() == len(funded)
    assert Target.objects.filter(output__node__in=nodes).count() == len(funded) * 5
    sources = set(BudgetLine.objects.filter(node__in=nodes).values_list("source", flat=True))
    assert "apbd_kabkota" in sources and len(sources) >= 4


def test_amounts_are_stored_as_whole_sen(national) -> None:  # type: ignore[no-untyped-def]
    lines = BudgetLine.objects.filter(node__version__plan__region__parent_id__in=PROVINCES)
    line = next(b for b in lines if b.amount % 1)  # some amounts carry 50 sen
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT amount FROM {BudgetLine._meta.db_table} WHERE id = %s", [line.pk])
        (raw,) = cursor.fetchone()
    assert raw == int(line.amount * 100) and line.amount == line.amount.quantize(Decimal("0.01"))
    assert Decimal(25_000_000) <= min(b.amount for b in lines) and max(b.amount for b in lines) < Decimal(10**10)
    apbd = RegionBudget.objects.filter(region__parent_id__in=PROVINCES)
    assert all(Decimal(10**12) <= r.amount < Decimal(10**13) for r in apbd)


def test_realisation_of_the_ended_quarters_with_both_flags(national) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    plans = _plans()
    quarters = ended(plans[0].start_year, plans[0].end_year, today)
    leaves = Node.objects.filter(
        version__plan__in=plans, level__in=["activity", "sub_activity"], children__isnull=True
    ).count()
    realised = Realisation.objects.filter(plan__in=plans)
    missing = leaves * len(quarters) - realised.count()
    assert 0 < missing < len(plans)  # a few regions miss one activity's latest quarter
    assert Spend.objects.filter(realisation__in=realised).count() >= realised.count()
    explained = realised.exclude(overspend_explanation="")
    assert explained.exists() and set(explained.values_list("year", flat=True)) == {today.year - 1}
    flags = [selectors.budget_report(p, today.year - 1, today=today) for p in plans]
    assert any(r.overspends for r in flags) and any(r.missing_realisation for r in flags)
    assert sum(len(r.overspends) for r in flags) == len(set(explained.values_list("activity_key", flat=True)))


def test_every_plans_budget_report_sums_exactly_to_its_total(national) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    for plan in _plans():
        for year in plan.years:
            b = selectors.budget_report(plan, year, today=today).breakdown
            planned = BudgetLine.objects.filter(node__version__plan=plan, year=year).aggregate(t=Sum("amount"))["t"]
            spent = Spend.objects.filter(realisation__plan=plan, realisation__year=year).aggregate(t=Sum("amount"))
            assert b.planned == planned and b.realised == (spent["t"] or Decimal("0.00"))
            for rows in (b.by_agency, b.by_source, b.by_cluster, b.by_indicator):
                assert sum((r.planned for r in rows), Decimal(0)) == b.planned, (plan.region_id, year)
                assert sum((r.realised for r in rows), Decimal(0)) == b.realised, (plan.region_id, year)
            assert b.share_percent is not None and 0 < b.share_percent < 10


def test_seeding_again_adds_no_plan(national) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    assert seed_national(seed=2026, provinces=PROVINCES).total_created == 0
    assert table_counts() == before


def test_a_plan_depends_only_on_its_region_and_seed(national) -> None:  # type: ignore[no-untyped-def]
    region = Region.objects.get(code="16.71")
    fw = Instrument.load(_plans()[0].framework)
    kinds = {"DPPPA", "BAPPEDA", "DINKES", "DISDIK", "DISDUKCAPIL", "DINSOS", "DPUPR"}
    today = timezone.localdate()

    def plan(seed: int):  # type: ignore[no-untyped-def]
        return make_rad(region, kinds, fw, seeded_rng(seed, "rad", region.code), today=today)

    assert plan(2026) == plan(2026) and plan(2026) != plan(7)


def test_the_rad_pages_of_make_bench_national_answer(national) -> None:  # type: ignore[no-untyped-def]
    """Every RAD KLA page `make bench-national` measures opens for its national user (as bench/national.py does)."""
    from django.test import Client

    from bench.national import PAGES
    from kla.accounts import security
    from kla.accounts.models import User

    plan = Plan.objects.get(region_id="16.71")
    pages = [(u, p) for u, p in PAGES if "/rad/" in p or "action-plans" in p]
    assert len(pages) >= 5
    for username, template in pages:
        client = Client(HTTP_HOST="localhost")
        user = User.objects.get(username=username)
        client.force_login(user)
        if security.needs_second_step(user):
            session = client.session
            security.mark_second_step(session)
            session.save()
        path = template.format(rad=plan.pk)
        response = client.get(path)
        assert response.status_code == 200, (username, path, response.status_code)


def _signed_in(username: str):  # type: ignore[no-untyped-def]
    from django.test import Client

    from kla.accounts import security
    from kla.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    user = User.objects.get(username=username)
    client.force_login(user)
    if security.needs_second_step(user):
        session = client.session
        security.mark_second_step(session)
        session.save()
    return client


def test_the_budget_endpoints_parts_sum_exactly_to_its_total_for_every_plan_and_year(national) -> None:  # type: ignore[no-untyped-def]
    """GET /api/v1/action-plans/{id}/budget?year= as each province's user, for every plan of the data set and every
    year of its period: by_agency, by_source and by_cluster each sum exactly (as decimals) to `total`, which is the
    sum of the plan's budget lines and spends of that year."""
    plans = _plans()
    checked = 0
    clients = {p: _signed_in(f"nas-prov-{p}") for p in PROVINCES}
    for plan in plans:
        client = clients[plan.region.parent_id]
        for year in plan.years:
            response = client.get(f"/api/v1/action-plans/{plan.pk}/budget?year={year}")
            assert response.status_code == 200, (plan.region_id, year, response.status_code)
            body = response.json()
            total = {k: Decimal(v) for k, v in body["total"].items()}
            lines = BudgetLine.objects.filter(node__version__plan=plan, year=year).aggregate(t=Sum("amount"))["t"]
            spent = Spend.objects.filter(realisation__plan=plan, realisation__year=year).aggregate(t=Sum("amount"))
            assert total == {"planned": lines, "realised": spent["t"] or Decimal("0.00")}, (plan.region_id, year)
            for part in ("by_agency", "by_source", "by_cluster"):
                assert body[part], (plan.region_id, year, part)
                for field in ("planned", "realised"):
                    summed = sum((Decimal(row[field]) for row in body[part]), Decimal(0))
                    assert summed == total[field], (plan.region_id, year, part, field)
            checked += 1
    assert checked == 23 * 5


def test_every_kabkota_has_activities_realising_its_plan(national) -> None:  # type: ignore[no-untyped-def]
    from kla.activities.models import Activity, ActivityFile
    from kla.rad.rules import quarter_end

    today = timezone.localdate()
    regions = _kabkota()
    activities = list(Activity.objects.filter(region__parent_id__in=PROVINCES).prefetch_related("indicators"))
    per_region = Counter(a.region_id for a in activities)
    assert set(per_region) == {r.code for r in regions}
    assert all(8 <= n <= 16 for n in per_region.values()) and national.created["activities.Activity"] == len(activities)
    leaves = {
        (n.version.plan_id, str(n.key)): n
        for n in Node.objects.filter(version__plan__in=_plans(), level__in=["activity", "sub_activity"]).select_related(
            "version__plan"
        )
    }
    last_ended = max(quarter_end(y, q) for y, q in ended(today.year - 1, today.year + 3, today))
    for a in activities:
        node = leaves[(a.plan_id, str(a.rad_activity_key))]
        assert node.version.plan.region_id == a.region_id and a.agency_id == node.agency_id
        assert [i.pk for i in a.indicators.all()] == [node.indicator_id]
        assert node.version.plan.start_year <= a.start_date.year and a.start_date <= a.end_date <= last_ended
        assert (a.start_date.year, (a.start_date.month - 1) // 3) == (a.end_date.year, (a.end_date.month - 1) // 3)
        assert a.budget_used is not None and a.budget_used > 0
        assert sum(a.counts().values()) > 0 and min(a.counts().values()) >= 0
    files = ActivityFile.objects.filter(activity__in=activities)
    assert set(Counter(files.values_list("activity_id", flat=True)).values()) <= {1, 2, 3}
    assert files.values("activity_id").distinct().count() == len(activities)
    assert {"image", "pdf"} <= set(files.values_list("file_kind", flat=True))
    with files.filter(file_kind="image").first().file.open("rb") as fh:  # type: ignore[union-attr]
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_activities_of_a_region_depend_only_on_its_leaves_and_seed(national) -> None:  # type: ignore[no-untyped-def]
    from bench.national_data.activities import _leaves, make_activities

    today = timezone.localdate()
    leaves = _leaves(["16.71"])["16.71"]

    def drawn(seed: int):  # type: ignore[no-untyped-def]
        return make_activities("16.71", leaves, seeded_rng(seed, "activities", "16.71"), today=today)

    assert drawn(2026) == drawn(2026) and drawn(2026) != drawn(7)


def test_the_activity_pages_of_make_bench_national_answer(national) -> None:  # type: ignore[no-untyped-def]
    from bench.national import PAGES
    from kla.activities.models import Activity

    activity = Activity.objects.filter(region_id="16.71").order_by("-start_date", "-id").first()
    assert activity is not None
    pages = [(u, p) for u, p in PAGES if "kegiatan" in p or "activities" in p]
    assert len(pages) >= 2
    for username, template in pages:
        path = template.format(activity=activity.pk)
        response = _signed_in(username).get(path)
        assert response.status_code == 200, (username, path, response.status_code)


def test_the_national_budget_check_covers_every_plan_year(national) -> None:  # type: ignore[no-untyped-def]
    """bench/national_budget_sums.py (run by make bench-national on all 514 plans) finds the 115 plan-years of the two
    provinces through the endpoint and none that does not add up."""
    from bench.national_budget_sums import check_budget_sums

    report = check_budget_sums()
    assert (report["plans"], report["plan_years"], report["mismatches"], report["examples"]) == (23, 115, 0, [])


def test_the_national_budget_check_reports_what_does_not_add_up() -> None:
    """The check's verdict on an answer: a total unlike the SQL sums, a part summing to something else, an error."""
    from bench.national_budget_sums import _problem

    class Answer:
        def __init__(self, body: dict[str, object], status: int = 200) -> None:
            self.status_code, self.body = status, body

        def json(self) -> dict[str, object]:
            return self.body

    row = {"agency": "Dinas PUPR", "planned": "10.50", "realised": "2.25"}
    good = {"total": {"planned": "10.50", "realised": "2.25"}, "by_agency": [row], "by_source": [row]}
    good["by_cluster"] = [{**row, "planned": "10.00"}, {**row, "planned": "0.50", "realised": "0.00"}]
    assert _problem(Answer(good), Decimal("10.50"), Decimal("2.25")) == ""
    assert _problem(Answer(good), Decimal("10.50"), None).startswith("total")
    short = {**good, "by_source": [{**row, "planned": "10.49"}]}
    assert _problem(Answer(short), Decimal("10.50"), Decimal("2.25")) == "by_source.planned sums to 10.49, total 10.50"
    assert _problem(Answer({}, status=404), Decimal("1"), None) == "HTTP 404"
