"""/api/v1 for RAD KLA: answers for data built through the services, scope (another region's plan is 404 like a
missing id), writes through the services, budgets whose parts sum exactly to the total, constant query counts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kla.accounts.services import token_create
from kla.rad import rules, services
from kla.rad.models import BudgetLine, Plan, Realisation
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
Api = Callable[[str], tuple[Client, dict[str, str]]]


@pytest.fixture
def api(user_of: Callable[[str], Any]) -> Api:
    def make(persona: str) -> tuple[Client, dict[str, str]]:
        _token, plain = token_create(user=user_of(persona), name="uji", by=None)
        return Client(), {"Authorization": f"Bearer {plain}"}

    return make


def _sum(rows: list[dict[str, Any]], key: str) -> Decimal:
    return sum((Decimal(r[key]) for r in rows), Decimal(0))


def test_the_plan_tree_with_targets_and_budgets(api: Api) -> None:
    built = b.built_plan()
    client, auth = api("opd")
    plans = client.get("/api/v1/regions/16.71/action-plans", headers=auth).json()
    assert plans["count"] == 1 and plans["items"][0]["id"] == built.plan.pk
    assert plans["items"][0]["versions"][0]["status"] == "draft"
    tree = client.get(f"/api/v1/action-plans/{built.plan.pk}", headers=auth).json()
    assert tree["planned"] == "2720000001.00" and tree["start_year"] == 2025
    programmes = [p for c in tree["clusters"] for i in c["indicators"] for p in i["programmes"]]
    play = next(a for p in programmes for a in p["children"] if a["name"].startswith("Pembangunan ruang"))
    assert play["agency"] and play["code"] == "1.03.02.2.01" and play["planned"] == "2450000000.50"
    assert {"year": 2025, "source": "dak", "amount": "300000000.50"} in play["budget"]
    assert play["outputs"][0]["targets"] == [{"year": 2025, "value": "2.00"}, {"year": 2026, "value": "3.00"}]
    split = next(a for p in programmes for a in p["children"] if a["children"])
    assert [s["planned"] for s in split["children"]] == ["50000000.00", "70000000.50"]


def test_the_budget_of_a_year_sums_exactly(api: Api) -> None:
    built = b.built_plan(adopt=True)
    services.region_budget_set(region=b.region(), year=2025, total="3.000.000.000.000", by=None)
    services.realisation_record(
        node=built.play, year=2025, quarter=1, spent={"apbd_kabkota": "100.000.000,10"}, by=None, today=b.TODAY
    )
    client, auth = api("province")
    body = client.get(f"/api/v1/action-plans/{built.plan.pk}/budget?year=2025", headers=auth).json()
    assert set(body) == {"year", "total", "by_agency", "by_source", "by_cluster", "share_of_region_budget"}
    assert body["total"] == {"planned": "1760000000.75", "realised": "100000000.10"}
    for part in ("by_agency", "by_source", "by_cluster"):
        assert _sum(body[part], "planned") == Decimal(body["total"]["planned"])
        assert _sum(body[part], "realised") == Decimal(body["total"]["realised"])
    assert body["share_of_region_budget"] == "0.0587"
    assert {r["source"] for r in body["by_source"]} == {"apbd_kabkota", "dak", "apbn"}
    year_out = client.get(f"/api/v1/action-plans/{built.plan.pk}/budget?year=2031", headers=auth)
    assert year_out.status_code == 422


def test_lubuk_linggau_gets_404_on_palembang(api: Api) -> None:
    built = b.built_plan(adopt=True)
    client, auth = api("other_secretariat")
    for url in (
        "/api/v1/regions/16.71/action-plans",
        f"/api/v1/action-plans/{built.plan.pk}",
        f"/api/v1/action-plans/{built.plan.pk}/budget?year=2025",
        "/api/v1/action-plans/999999999",
    ):
        assert client.get(url, headers=auth).status_code == 404, url
    before = BudgetLine.objects.count()
    response = client.put(
        f"/api/v1/action-plan-nodes/{built.play.pk}/budget",
        {"cells": [{"year": 2025, "source": "apbn", "amount": "1"}]},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 404 and BudgetLine.objects.count() == before
    response = client.post(
        f"/api/v1/action-plan-nodes/{built.birth.pk}/realisations",
        {"year": 2025, "quarter": 1, "spent": {"apbd_kabkota": "1"}},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 404 and not Realisation.objects.exists()


def test_the_secretariat_draws_up_a_plan_through_the_api(api: Api) -> None:
    client, auth = api("secretariat")
    indicator = b.indicators()[0]
    post = client.post
    plan = post(
        "/api/v1/regions/16.71/action-plans",
        {"framework": b.framework().code, "start_year": 2030, "end_year": 2034},
        content_type="application/json",
        headers=auth,
    )
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    nodes = f"/api/v1/action-plans/{plan_id}/nodes"
    prog = post(nodes, {"level": "programme", "name": "Program", "indicator_id": indicator.pk}, **_json(auth))
    assert prog.status_code == 201, prog.content
    agency = b.agency("DPUPR").pk
    body = {"level": "activity", "name": "Taman", "parent_id": prog.json()["id"], "agency_id": agency}
    act = post(nodes, body, **_json(auth)).json()
    cells = {"cells": [{"year": 2030, "source": "apbd_kabkota", "amount": "Rp 1.250.000.000,50"}]}
    budget = client.put(f"/api/v1/action-plan-nodes/{act['id']}/budget", cells, **_json(auth))
    assert budget.json() == [{"year": 2030, "source": "apbd_kabkota", "amount": "1250000000.50"}]
    out = post(f"/api/v1/action-plan-nodes/{act['id']}/outputs", {"name": "Taman", "unit": "unit"}, **_json(auth))
    targets = client.put(
        f"/api/v1/action-plan-outputs/{out.json()['id']}/targets", {"targets": {"2031": "4"}}, **_json(auth)
    )
    assert targets.json() == [{"year": 2031, "value": "4.00"}]
    bad = client.put(
        f"/api/v1/action-plan-outputs/{out.json()['id']}/targets", {"targets": {"2040": "4"}}, **_json(auth)
    )
    assert bad.status_code == 422 and "di luar periode" in bad.json()["detail"]
    ambiguous = client.put(
        f"/api/v1/action-plan-nodes/{act['id']}/budget",
        {"cells": [{"year": 2030, "source": "apbn", "amount": "1,250"}]},
        **_json(auth),
    )
    assert ambiguous.status_code == 422
    tree = client.get(f"/api/v1/action-plans/{plan_id}", headers=auth).json()
    assert tree["planned"] == "1250000000.50"
    opd_client, opd_auth = api("opd")
    refused = opd_client.post(
        nodes, {"level": "programme", "name": "X", "indicator_id": indicator.pk}, **_json(opd_auth)
    )
    assert refused.status_code == 403


def _json(auth: dict[str, str]) -> dict[str, Any]:
    return {"content_type": "application/json", "headers": auth}


def test_the_responsible_operator_records_a_quarter(api: Api) -> None:
    built = b.built_plan(adopt=True)
    client, auth = api("opd")  # an operator of Disdukcapil
    url = f"/api/v1/action-plan-nodes/{built.birth.pk}/realisations"
    body = {"year": 2025, "quarter": 1, "spent": {"apbd_kabkota": "50.000.000"}, "notes": "Keliling 3 kelurahan."}
    response = client.post(url, body, **_json(auth))
    assert response.status_code == 200, response.content
    assert response.json()["spent"] == {"apbd_kabkota": "50000000.00"}
    over = client.post(url, {**body, "quarter": 2, "spent": {"apbd_kabkota": "200.000.000"}}, **_json(auth))
    assert over.status_code == 422 and "melebihi" in over.json()["detail"]
    other = client.post(f"/api/v1/action-plan-nodes/{built.play.pk}/realisations", body, **_json(auth))
    assert other.status_code == 403  # Dinas PUPR's activity: not their agency
    assert Realisation.objects.count() == 1


def test_session_writes_are_refused(client_for: Callable[[str], Client]) -> None:
    built = b.built_plan()
    client = client_for("secretariat")
    response = client.post(f"/api/v1/action-plans/{built.plan.pk}/nodes", {}, content_type="application/json")
    assert response.status_code == 401


def test_every_endpoint_is_in_the_schema(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/regions/{code}/action-plans",
        "/api/v1/action-plans/{plan_id}",
        "/api/v1/action-plans/{plan_id}/budget",
        "/api/v1/action-plans/{plan_id}/nodes",
        "/api/v1/action-plan-nodes/{node_id}/outputs",
        "/api/v1/action-plan-nodes/{node_id}/budget",
        "/api/v1/action-plan-outputs/{output_id}/targets",
        "/api/v1/action-plan-nodes/{node_id}/realisations",
    ):
        assert path in paths, path
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "never a float" in schema["RadPart"]["properties"]["planned"]["description"]


def _grow(plan: Plan, extra: int) -> None:
    """`extra` more funded activities under a new programme of the draft."""
    version = plan.versions.get(status="draft")
    programme = services.node_add(
        version=version, level="programme", indicator_id=b.indicators()[2].pk, name="Program tambahan", by=None
    )
    for n in range(extra):
        node = services.node_add(
            version=version,
            level="activity",
            parent=programme,
            agency_id=b.agency("DINKES").pk,
            name=f"Kegiatan {n}",
            by=None,
        )
        services.output_add(node=node, name="Keluaran", unit="unit", by=None)
        services.budget_set(node=node, budget={(2025, "apbn"): "1.000"}, by=None)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/action-plans/{pk}", "/api/v1/action-plans/{pk}/budget?year=2025", "/api/v1/regions/16.71/action-plans"],
)
def test_query_counts_are_constant(api: Api, url: str, django_assert_max_num_queries: Any) -> None:
    built = b.built_plan()
    client, auth = api("secretariat")
    address = url.format(pk=built.plan.pk)
    client.get(address, headers=auth)  # warm caches (sessions, permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(address, headers=auth).status_code == 200
    _grow(built.plan, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(address, headers=auth).status_code == 200
    print(f"GET {url}: {len(small.captured_queries)} queries")


def test_budget_parts_sum_exactly_for_random_plans(api: Api) -> None:
    """Plans built through the services with random amounts in random cells: every part sums to the total."""
    client, auth = api("secretariat")
    agencies = [b.agency(k).pk for k in ("DPUPR", "DINKES", "DISDUKCAPIL")]
    indicator_ids = [i.pk for i in b.indicators()[:4]]
    amounts = st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2)
    cells = st.lists(
        st.tuples(
            st.sampled_from(agencies), st.sampled_from(indicator_ids), st.sampled_from(list(rules.Source)), amounts
        ),
        min_size=1,
        max_size=6,
    )
    start = iter(range(2030, 2095, 5))

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lines=cells)
    def check(lines: list[tuple[int, int, rules.Source, Decimal]]) -> None:
        year = next(start)
        plan = services.plan_create(region=b.region(), framework=b.framework(), start_year=year, end_year=year, by=None)
        version = plan.versions.get()
        for agency, indicator, source, amount in lines:
            prog = services.node_add(version=version, level="programme", indicator_id=indicator, name="P", by=None)
            node = services.node_add(
                version=version, level="activity", parent=prog, agency_id=agency, name="K", by=None
            )
            services.budget_set(node=node, budget={(year, source.value): amount}, by=None)
        body = client.get(f"/api/v1/action-plans/{plan.pk}/budget?year={year}", headers=auth).json()
        assert Decimal(body["total"]["planned"]) == sum((a for *_, a in lines), Decimal(0))
        for part in ("by_agency", "by_source", "by_cluster"):
            assert _sum(body[part], "planned") == Decimal(body["total"]["planned"])

    check()
