"""Issue 20's promise on the whole national data set: for every RAD KLA plan of the 514 kab/kota and every year of its
period, `GET /api/v1/action-plans/{id}/budget?year=` (asked by the plan's province reviewer, through the whole HTTP
stack) returns a `total` equal to the SQL sums of the plan's budget lines and spends of that year, and its
`by_agency`, `by_source` and `by_cluster` parts each sum exactly (as decimals) to that total.

`bench/tests/test_national_rad.py` checks the same on two provinces in the test suite; this runs inside
`make bench-national` (`measure()` in bench/national.py) on all of them and reports the count of plan-years checked
and of those that did not add up.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

PARTS = ("by_agency", "by_source", "by_cluster")


def _sql_sums() -> tuple[dict[tuple[int, int], Decimal], dict[tuple[int, int], Decimal]]:
    """(plan, year) → planned (the budget lines of all the plan's versions: the national data set adopts one version
    per plan, so this is the version in force; a revised plan would need the filter) and realised (spends)."""
    from django.db.models import Sum

    from kla.rad.models import BudgetLine, Spend

    planned = {
        (r["node__version__plan_id"], r["year"]): r["t"]
        for r in BudgetLine.objects.values("node__version__plan_id", "year").annotate(t=Sum("amount"))
    }
    realised = {
        (r["realisation__plan_id"], r["realisation__year"]): r["t"]
        for r in Spend.objects.values("realisation__plan_id", "realisation__year").annotate(t=Sum("amount"))
    }
    return planned, realised


def check_budget_sums() -> dict[str, Any]:
    """Every plan and year through the endpoint; mismatches listed (at most 20) with what did not add up."""
    from django.test import Client

    from kla.accounts import security
    from kla.accounts.models import User
    from kla.rad.models import Plan

    planned, realised = _sql_sums()
    clients: dict[str, Client] = {}
    checked, wrong = 0, []
    by_region: dict[str, int] = defaultdict(int)
    for plan in Plan.objects.select_related("region").order_by("region_id", "pk"):
        province = plan.region.parent_id
        if province not in clients:
            client = Client(HTTP_HOST="localhost")
            user = User.objects.get(username=f"nas-prov-{province.replace('.', '')}")
            client.force_login(user)
            if security.needs_second_step(user):  # a reviewer signs in with the code step
                session = client.session
                security.mark_second_step(session)
                session.save()
            clients[province] = client
        for year in plan.years:
            response = clients[province].get(f"/api/v1/action-plans/{plan.pk}/budget?year={year}")
            checked += 1
            by_region[plan.region_id] += 1
            problem = _problem(response, planned.get((plan.pk, year)), realised.get((plan.pk, year)))
            if problem:
                wrong.append(f"{plan.region_id} {year}: {problem}")
    return {"plans": len(by_region), "plan_years": checked, "mismatches": len(wrong), "examples": wrong[:20]}


def _problem(response: Any, planned: Decimal | None, realised: Decimal | None) -> str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    body = response.json()
    total = {k: Decimal(v) for k, v in body["total"].items()}
    expected = {"planned": planned or Decimal("0.00"), "realised": realised or Decimal("0.00")}
    if total != expected:
        return f"total {total} != SQL {expected}"
    for part in PARTS:
        for field in ("planned", "realised"):
            summed = sum((Decimal(row[field]) for row in body[part]), Decimal(0))
            if summed != total[field]:
                return f"{part}.{field} sums to {summed}, total {total[field]}"
    return ""
