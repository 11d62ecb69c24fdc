"""Every RAD KLA page runs the same number of queries for a plan of three activities as for one of thirty-odd, with
realisation recorded and a revision under way (pinned: the counts below are the measured ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.rad import rules, services
from kla.rad.models import Node, Version
from kla.rad.tests import builders as b

pytestmark = pytest.mark.django_db
BASIS = services.Basis("perwal", "12 Tahun 2025", dt.date(2025, 3, 3))


def _grow(built: b.Built, n: int) -> None:
    """n more programmes, each with an activity (output, targets, budget) and an activity split in two."""
    for i, indicator in enumerate(b.indicators()[2 : 2 + n]):
        programme = services.node_add(
            version=built.version, level="programme", indicator_id=indicator.pk, name=f"Program {i}", by=None
        )
        activity = b._activity(built.version, programme, "DISDUKCAPIL", f"Kegiatan {i}")
        output = services.output_add(node=activity, name=f"Keluaran {i}", unit="orang", by=None)
        services.targets_set(output=output, targets={2025: "10", 2026: "20"}, by=None)
        services.budget_set(node=activity, budget={(2025, "apbd_kabkota"): "1.000", (2025, "dak"): "2.000"}, by=None)
        split = b._activity(built.version, programme, "DINSOS", f"Kegiatan terbagi {i}")
        for j in range(2):
            sub = services.node_add(version=built.version, level="sub_activity", parent=split, name=f"Sub {j}", by=None)
            services.budget_set(node=sub, budget={(2025, "dana_desa"): "500"}, by=None)


def _plan(n: int) -> b.Built:
    built = b.built_plan()
    _grow(built, n)
    services.version_adopt(version=built.version, basis=BASIS, by=None)
    leaves = Node.objects.filter(version=built.version, level__in=rules.FUNDED_LEVELS, children__isnull=True)
    for node in leaves:
        services.realisation_record(
            node=node, year=2025, quarter=1, spent={"apbd_kabkota": "100"}, by=None, today=b.TODAY
        )
    services.region_budget_set(region=built.plan.region, year=2025, total="Rp 1.000.000.000.000", by=None)
    return built


def _pages(built: b.Built) -> dict[str, tuple[str, str]]:
    draft = Version.objects.filter(plan=built.plan, status=Version.Status.DRAFT).get()
    play = draft.nodes.get(key=built.play.key)
    return {
        "index": ("secretariat", reverse("rad:index")),
        "region": ("secretariat", reverse("rad:region", args=[b.PALEMBANG])),
        "plan": ("secretariat", reverse("rad:plan", args=[built.plan.pk])),
        "plan_adopted": ("opd", reverse("rad:plan", args=[built.plan.pk]) + "?versi=1"),
        "node": ("secretariat", reverse("rad:node", args=[play.pk])),
        "programme": ("secretariat", reverse("rad:node", args=[play.parent_id])),
        "realisation": ("opd", reverse("rad:realisation", args=[built.plan.pk]) + "?tahun=2025"),
        "record": ("opd", reverse("rad:realisation_record", args=[built.birth.pk]) + "?tahun=2025&triwulan=1"),
        "budget": ("secretariat", reverse("rad:budget", args=[built.plan.pk]) + "?tahun=2025"),
    }


PINNED = {
    "index": 4,
    "region": 6,
    "plan": 9,
    "plan_adopted": 8,
    "node": 10,
    "programme": 8,
    "realisation": 11,  # the quarters' spends and evidence files as plain rows: two queries
    "record": 9,
    "budget": 15,
}


def _counts(client_for: Any, built: b.Built) -> dict[str, int]:
    services.revision_start(plan=built.plan, by=None)
    counts = {}
    for name, (persona, url) in _pages(built).items():
        client = client_for(persona)
        client.get(url)  # the session and the user's memberships are read once per request either way
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_the_pages_run_the_same_queries_whatever_the_plans_size(client_for) -> None:
    small = _counts(client_for, _plan(0))
    assert small == PINNED, str(small)


def test_a_large_plan_runs_the_same_queries(client_for) -> None:
    large = _counts(client_for, _plan(12))
    assert large == PINNED, str(large)
