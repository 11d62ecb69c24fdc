"""The budget recap's figures of many plans in one query (`kla.rad.selectors.recap.by_agency`): per plan, year and
agency the budget page's amounts (`budget_report(...).breakdown.by_agency`), exact to the sen, for a plan still in
its first draft and for one revised after money was spent by an activity the revision removed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kla.rad import selectors, services
from kla.rad.selectors.recap import by_agency
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db


def _revised(code: str) -> b.Built:
    built = b.built_plan(code, adopt=True)
    for node, spent in ((built.birth, "40.000.000"), (built.play, "100.000.000,50")):
        services.realisation_record(
            node=node, year=2025, quarter=1, spent={"apbd_kabkota": spent}, by=None, today=b.TODAY
        )
    revision = services.revision_start(plan=built.plan, by=None)
    services.node_remove(node=revision.nodes.get(key=built.birth.key), by=None)
    basis = services.Basis("perwal", "20 Tahun 2025", dt.date(2025, 6, 2))
    services.version_adopt(version=revision, basis=basis, by=None, today=b.TODAY)
    return built


def test_the_figures_of_every_plan_are_the_budget_pages_in_one_query() -> None:
    drafted, revised = b.built_plan(), _revised(b.LUBUKLINGGAU)
    with CaptureQueriesContext(connection) as queries:
        in_force, parts = by_agency([drafted.plan.pk, revised.plan.pk])
    assert len(queries) == 1
    assert in_force == {drafted.plan.pk, revised.plan.pk}
    for built in (drafted, revised):
        for year in built.plan.years:
            page = selectors.budget_report(built.plan, year, today=b.TODAY).breakdown.by_agency
            mine = parts.get((built.plan.pk, year), [])
            assert {r.ref.id: (r.planned, r.realised) for r in mine} == {
                r.ref.id: (r.planned, r.realised) for r in page
            }
            assert len(mine) == len(page)
    spent = {r.ref.id: r.realised for r in parts[(revised.plan.pk, 2025)]}
    assert spent[b.agency("DISDUKCAPIL", b.LUBUKLINGGAU).pk] == 40_000_000  # its activity was removed, not its money


def test_no_plan_no_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert by_agency([]) == (set(), {})
    assert not queries
