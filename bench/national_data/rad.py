"""Every kab/kota's RAD KLA at national scale: for each kab/kota without a plan, the plan of `rad_plan.py` inserted in
bulk: the plan, its adopted version (Perbup/Perwal), programmes, activities and sub-activities, outputs, targets,
budget lines, the realisation of the ended quarters with spending per source and outputs achieved, and the
region's APBD per year.

Amounts: `SenField` keeps whole sen in the database but takes rupiah in Python, in `bulk_create` too (its
`get_prep_value` turns `Decimal("1250000.50")` into 125000050). So every amount here is a `Decimal` in rupiah with
at most two places, never a count of sen: an int would be read as rupiah and stored ×100. Idempotent: a kab/kota
with a RAD KLA is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from bench.national_data.constants import AGENCY_KINDS, CHUNK, seeded_rng
from bench.national_data.context import Context
from bench.national_data.rad_plan import NOTES, NodePlan, QuarterPlan, RadPlan, make_rad
from kla.agencies.models import Agency
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
from kla.rad.rules import Level
from kla.regions.models import Region


def seed_rad(ctx: Context, kabkota: Sequence[Region]) -> int:
    """The RAD KLA of every kab/kota that has none yet; returns how many were added."""
    codes = [r.code for r in kabkota]
    done = set(Plan.objects.filter(region_id__in=codes).values_list("region_id", flat=True))
    todo = [r for r in kabkota if r.code not in done]
    agencies: dict[tuple[str, str], int] = {}
    rows = Agency.objects.filter(region_id__in=[r.code for r in todo], is_active=True).order_by("pk")
    for region, kind, pk in rows.values_list("region_id", "kind", "pk"):
        agencies.setdefault((region, kind), pk)
    today = timezone.localdate(ctx.now)
    for start in range(0, len(todo), CHUNK):
        plans = [
            make_rad(
                r, {k for (c, k) in agencies if c == r.code}, ctx.fw, seeded_rng(ctx.seed, "rad", r.code), today=today
            )
            for r in todo[start : start + CHUNK]
        ]
        _insert(ctx, plans, agencies)
    return len(todo)


def _insert(ctx: Context, plans: list[RadPlan], agencies: dict[tuple[str, str], int]) -> None:
    ins = ctx.ins
    sec = {p.region.code: ctx.people.secretariat(p.region.code) for p in plans}
    rows = ins.now(
        [
            Plan(
                region_id=p.region.code,
                framework_id=ctx.fw.obj.pk,
                title=f"RAD KLA {p.region.name}",
                start_year=p.start,
                end_year=p.end,
                created_by_id=sec[p.region.code],
            )
            for p in plans
        ]
    )
    versions = ins.now([_version(p, row.pk, sec[p.region.code]) for p, row in zip(plans, rows, strict=True)])
    nodes = _nodes(ctx, plans, versions, agencies)
    leaves = [(p, plan_row, n) for p, plan_row in zip(plans, rows, strict=True) for n in p.leaves()]
    outputs = ins.now(
        [Output(node_id=nodes[id(n)], key=n.funded_output, name=n.output, unit=n.unit) for _p, _r, n in leaves]
    )
    for (_p, _r, n), output in zip(leaves, outputs, strict=True):
        for year, value in n.targets.items():
            ins.add(Target(output_id=output.pk, year=year, value=value))
        for (year, source), amount in n.budget.items():
            ins.add(BudgetLine(node_id=nodes[id(n)], year=year, source=source, amount=amount))
    quarters = [(p, plan_row, n, q) for p, plan_row, n in leaves for q in n.quarters]
    realised = ins.now([_realisation(ctx, p, row.pk, n, q, sec) for p, row, n, q in quarters])
    for (_p, _r, n, q), row in zip(quarters, realised, strict=True):
        for source, amount in q.spent.items():
            ins.add(Spend(realisation_id=row.pk, source=source, amount=amount))
        ins.add(Achievement(realisation_id=row.pk, output_key=n.funded_output, value=q.achieved))
    for p in plans:
        for year, amount in p.region_budget.items():
            ins.add(RegionBudget(region_id=p.region.code, year=year, amount=amount, updated_by_id=sec[p.region.code]))
    ins.flush()


def _version(p: RadPlan, plan: int, by: int) -> Version:
    adopted = timezone.make_aware(dt.datetime.combine(p.basis_date + dt.timedelta(days=3), dt.time(10)))
    return Version(
        plan_id=plan,
        number=1,
        status=Version.Status.ADOPTED,
        basis_kind=p.basis_kind,
        basis_number=p.basis_number,
        basis_date=p.basis_date,
        created_by_id=by,
        adopted_at=adopted,
        adopted_by_id=by,
    )


def _nodes(
    ctx: Context, plans: list[RadPlan], versions: list[Version], agencies: dict[tuple[str, str], int]
) -> dict[int, int]:
    """Insert the nodes level by level (parents first); returns id(NodePlan) → node pk."""
    pks: dict[int, int] = {}
    parent_of: dict[int, NodePlan] = {}
    for p in plans:
        for programme in p.programmes:
            for activity in programme.children:
                parent_of[id(activity)] = programme
                for sub in activity.children:
                    parent_of[id(sub)] = activity
    for level in Level:
        todo = [(p, v, n) for p, v in zip(plans, versions, strict=True) for n in p.nodes() if n.level == level]
        positions: dict[int, int] = {}
        rows = []
        for p, version, n in todo:
            parent = parent_of.get(id(n))
            slot = id(parent) if parent is not None else id(p)
            position = positions.get(slot, 0)
            positions[slot] = position + 1
            rows.append(
                Node(
                    version_id=version.pk,
                    key=n.key,
                    level=n.level.value,
                    parent_id=pks[id(parent)] if parent is not None else None,
                    indicator_id=n.indicator,
                    agency_id=agencies.get((p.region.code, n.kind)) if n.kind else None,
                    name=n.name,
                    position=position,
                )
            )
        created = ctx.ins.now(rows)
        pks.update({id(n): row.pk for (_p, _v, n), row in zip(todo, created, strict=True)})
    return pks


def _realisation(ctx: Context, p: RadPlan, plan: int, n: NodePlan, q: QuarterPlan, sec: dict[str, int]) -> Realisation:
    code = p.region.code
    by = ctx.people.operator(code, n.kind) if n.kind in AGENCY_KINDS else sec[code]
    return Realisation(
        plan_id=plan,
        activity_key=n.key,
        year=q.year,
        quarter=q.quarter,
        notes=NOTES,
        overspend_explanation=q.explanation,
        recorded_by_id=by,
    )
