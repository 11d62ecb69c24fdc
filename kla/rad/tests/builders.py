"""Data for RAD KLA tests: Palembang's plan 2025–2029 built through the real services (by None: the system), so every
row is what production would write. Dinas PUPR plans child-friendly play spaces; Disdukcapil (the demo operator's
agency) plans birth certificates; one programme carries an activity split into sub-activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kla.agencies.models import Agency
from kla.agencies.services import agency_ensure
from kla.indicators.models import Framework, Indicator
from kla.rad import services
from kla.rad.models import Node, Output, Plan, Version
from kla.regions.models import Region

PALEMBANG, LUBUKLINGGAU, SUMSEL = "16.71", "16.73", "16"
TODAY = dt.date(2026, 7, 15)  # quarters up to 2026 Q2 have ended


def region(code: str = PALEMBANG) -> Region:
    return Region.objects.select_related("parent").get(code=code)


def agency(kind: str, code: str = PALEMBANG) -> Agency:
    return agency_ensure(region=region(code), kind=kind, by=None)


def framework() -> Framework:
    found = Framework.objects.order_by("-year").first()
    assert found is not None
    return found


def indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(framework=framework()).select_related("cluster").order_by("position"))


def plan(code: str = PALEMBANG, start: int = 2025) -> Plan:
    return services.plan_create(
        region=region(code), framework=framework(), start_year=start, end_year=start + 4, by=None
    )


@dataclass
class Built:
    plan: Plan
    version: Version
    play: Node  # Dinas PUPR's activity with money of its own
    play_output: Output
    birth: Node  # Disdukcapil's activity with money of its own
    split: Node  # an activity split into two sub-activities
    subs: list[Node]


def _activity(version: Version, programme: Node, kind: str, name: str, code: str = "") -> Node:
    where = version.plan.region_id
    return services.node_add(
        version=version,
        level="activity",
        parent=programme,
        agency_id=agency(kind, where).pk,
        name=name,
        code=code,
        by=None,
    )


def built_plan(code: str = PALEMBANG, *, adopt: bool = False) -> Built:
    """A plan with two programmes, three activities (one split in two sub-activities), targets and budgets."""
    the_plan = plan(code)
    version = the_plan.versions.get()
    first, second = indicators()[0], indicators()[1]
    infra = services.node_add(
        version=version,
        level="programme",
        indicator_id=second.pk,
        name="Program penataan ruang",
        code="1.03.02",
        by=None,
    )
    play = _activity(version, infra, "DPUPR", "Pembangunan ruang bermain ramah anak", "1.03.02.2.01")
    output = services.output_add(node=play, name="Ruang bermain ramah anak dibangun", unit="unit", by=None)
    services.targets_set(output=output, targets={2025: "2", 2026: "3"}, by=None)
    services.budget_set(
        node=play,
        budget={
            (2025, "apbd_kabkota"): "1.250.000.000",
            (2025, "dak"): "Rp 300.000.000,50",
            (2026, "apbd_kabkota"): "900.000.000",
        },
        by=None,
    )
    civil = services.node_add(
        version=version, level="programme", indicator_id=first.pk, name="Program pendaftaran penduduk", by=None
    )
    birth = _activity(version, civil, "DISDUKCAPIL", "Layanan akta kelahiran keliling")
    services.budget_set(node=birth, budget={(2025, "apbd_kabkota"): "150.000.000"}, by=None)
    split = _activity(version, civil, "DISDUKCAPIL", "Sosialisasi dokumen kependudukan anak")
    subs = [
        services.node_add(version=version, level="sub_activity", parent=split, name=name, by=None)
        for name in ("Sosialisasi di sekolah", "Sosialisasi di kelurahan")
    ]
    for sub, amount in zip(subs, ("25.000.000", "35.000.000,25"), strict=True):
        services.budget_set(node=sub, budget={(2025, "apbn"): amount, (2026, "apbn"): amount}, by=None)
    if adopt:
        services.version_adopt(
            version=version, basis=services.Basis("perwal", "12 Tahun 2025", dt.date(2025, 3, 3)), by=None
        )
        version.refresh_from_db()
    return Built(the_plan, version, play, output, birth, split, subs)
