"""Palembang's RAD KLA 2025–2029 in the demo (`rad_data.py`), written through `kla.rad.services` (audited, amounts
typed the Indonesian way), so the plan, budget and realisation pages show what a secretariat would have recorded.

Idempotent: the plan is drawn up and adopted (Perwal) only when Palembang has no plan starting in 2025; the region's
total budget only for years not entered; realisation only for (activity, year, quarter) not recorded yet, for the
quarters that have ended in the current year and the year before. One activity overspends (explained) and one
misses the latest quarter that has ended, so both flags of the budget report show. Two activities carried out
(`rad_activities.py`, through `kla.activities.services`) realise the plan's play spaces and birth certificates.
Runs after `demo_seed` (the regions, the instrument, Palembang's agencies); `manage.py seed_demo` runs it after the
task force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from kla.agencies.models import Agency
from kla.agencies.services import agency_ensure
from kla.demo import rad_data as data
from kla.demo.data import PALEMBANG
from kla.demo.rad_activities import demo_activities
from kla.indicators.models import Framework, Indicator
from kla.rad import rules, services
from kla.rad.models import BudgetLine, Node, Plan, Realisation, RegionBudget, Version
from kla.regions.levels import Level
from kla.regions.models import Region

CENT, WHOLE = Decimal("0.01"), Decimal(1)


@dataclass
class RadReport:
    agencies: int = 0
    plan: bool = False
    nodes: int = 0
    realisations: int = 0
    region_budgets: int = 0
    activities: int = 0

    @property
    def created(self) -> bool:
        counts = (self.agencies, self.nodes, self.realisations, self.region_budgets, self.activities)
        return self.plan or any(counts)


@transaction.atomic
def demo_rad(*, today: dt.date | None = None) -> RadReport:
    """Palembang's adopted plan with budgets, the region's APBD per year, the realisation of ended quarters, and two
    activities carried out (with a photo each) that realise activities of the plan."""
    today = today or timezone.localdate()
    report = RadReport()
    palembang = Region.objects.select_related("parent").get(code=PALEMBANG)
    before = Agency.objects.count()
    agencies = {kind: agency_ensure(region=palembang, kind=kind, by=None) for kind in data.AGENCIES}
    report.agencies = Agency.objects.count() - before
    plan = Plan.objects.filter(region=palembang, start_year=data.START).first()
    if plan is None:
        plan = _plan(palembang, agencies, today, report)
    held = set(RegionBudget.objects.filter(region=palembang).values_list("year", flat=True))
    for year, total in data.REGION_BUDGET.items():
        if year not in held:
            services.region_budget_set(region=palembang, year=year, total=total, by=None)
            report.region_budgets += 1
    _realisation(plan, today, report)
    report.activities = demo_activities(palembang, plan, today)
    return report


def _framework() -> Framework:
    found = Framework.objects.filter(level=Level.KABKOTA).order_by("-year", "-pk").first()
    if found is None:
        raise RuntimeError("Instrumen kab/kota belum dimuat; jalankan seed_demo (demo_seed) terlebih dahulu.")
    return found


def _plan(region: Region, agencies: dict[str, Agency], today: dt.date, report: RadReport) -> Plan:
    """Draw the plan up (version 1) and adopt it with its Perwal."""
    framework = _framework()
    plan = services.plan_create(
        region=region, framework=framework, start_year=data.START, end_year=data.END, title=data.TITLE, by=None
    )
    version = plan.versions.get()
    indicators = dict(Indicator.objects.filter(framework=framework).values_list("code", "pk"))
    for programme in data.PROGRAMMES:
        node = services.node_add(
            version=version,
            level=rules.Level.PROGRAMME,
            indicator_id=indicators[programme.indicator],
            name=programme.name,
            code=programme.code,
            by=None,
        )
        report.nodes += 1
        for spec in programme.activities:
            activity = services.node_add(
                version=version,
                level=rules.Level.ACTIVITY,
                parent=node,
                agency_id=agencies[spec.agency].pk,
                name=spec.name,
                code=spec.code,
                by=None,
            )
            report.nodes += 1
            if not spec.subs:
                _figures(activity, data.LeafSpec(spec.name, spec.code, spec.outputs, spec.budget))
            for sub in spec.subs:
                leaf = services.node_add(
                    version=version,
                    level=rules.Level.SUB_ACTIVITY,
                    parent=activity,
                    name=sub.name,
                    code=sub.code,
                    by=None,
                )
                report.nodes += 1
                _figures(leaf, sub)
    basis = services.Basis(data.BASIS_KIND, data.BASIS_NUMBER, data.BASIS_DATE)
    services.version_adopt(version=version, basis=basis, by=None, today=max(today, data.BASIS_DATE))
    report.plan = True
    return plan


def _figures(node: Node, spec: data.LeafSpec) -> None:
    """Outputs with a target per year, and the budget per year and source, as typed text."""
    years = range(data.START, data.END + 1)
    for out in spec.outputs:
        output = services.output_add(node=node, name=out.name, unit=out.unit, by=None)
        services.targets_set(output=output, targets=dict(zip(years, map(str, out.targets), strict=True)), by=None)
    budget = {
        (year, source): data.typed(amount)
        for source, amounts in spec.budget
        for year, amount in zip(years, amounts, strict=True)
    }
    services.budget_set(node=node, budget=budget, by=None)


def ended_quarters(plan: Plan, today: dt.date) -> list[tuple[int, int]]:
    """(year, quarter) that have ended in the current year and the year before, within the plan's period."""
    return [
        (year, quarter)
        for year in (today.year - 1, today.year)
        if plan.start_year <= year <= plan.end_year
        for quarter in rules.QUARTERS
        if rules.quarter_ended(year, quarter, today)
    ]


def _leaves(plan: Plan) -> list[Node]:
    """The funded leaves of the version in force (its outputs and targets read with them)."""
    version = Version.objects.filter(plan=plan, status=Version.Status.ADOPTED).first()
    if version is None:
        return []
    nodes = (
        Node.objects.filter(version=version, level__in=rules.FUNDED_LEVELS, children__isnull=True)
        .prefetch_related("outputs__targets", "budget_lines")
        .order_by("position", "id")
    )
    return [n for n in nodes if n.budget_lines.all()]


def _realisation(plan: Plan, today: dt.date, report: RadReport) -> None:
    quarters = ended_quarters(plan, today)
    if not quarters:
        return
    done = set(Realisation.objects.filter(plan=plan).values_list("activity_key", "year", "quarter"))
    for node in _leaves(plan):
        over = node.name == data.OVERSPENT
        shares = data.OVERSPEND_SHARES if over else data.SHARES
        for year, quarter in quarters:
            if (node.key, year, quarter) in done or (node.name == data.MISSING and (year, quarter) == quarters[-1]):
                continue
            share = shares[quarter - 1]
            lines: list[BudgetLine] = [b for b in node.budget_lines.all() if b.year == year]
            spent = {b.source: (b.amount * share).quantize(CENT) for b in lines}
            achieved: dict[UUID | str, Decimal | int | str] = {
                o.key: (t.value * share).quantize(WHOLE)
                for o in node.outputs.all()
                for t in o.targets.all()
                if t.year == year
            }
            overspent = sum(shares[:quarter], Decimal(0)) > 1
            services.realisation_record(
                node=node,
                year=year,
                quarter=quarter,
                spent=spent,
                achieved=achieved,
                notes=data.NOTES,
                explanation=data.OVERSPEND_EXPLANATION if over and overspent else "",
                by=None,
                today=today,
            )
            report.realisations += 1
