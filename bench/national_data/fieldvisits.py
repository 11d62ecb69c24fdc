"""Field verification: a plan, its team of two, two sites and, once visited, a photo per site, for every evaluation
that reached the field stage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bench.national_data.constants import at_least
from bench.national_data.context import Context
from bench.national_data.instrument import IndicatorSpec
from bench.national_data.plan import Plan
from kla.evaluations.models import Evaluation
from kla.evaluations.workflow import State
from kla.fieldvisits import checklists
from kla.fieldvisits.models import FieldPhoto, FieldPlan, FieldSite

SITE_NAMES: dict[checklists.SiteKind, str] = {
    checklists.SiteKind.SCHOOL: "SD Negeri {n} {city}",
    checklists.SiteKind.HEALTH: "Puskesmas {city} {n}",
    checklists.SiteKind.PLAY: "Ruang Bermain Ramah Anak Taman {city}",
    checklists.SiteKind.PUSPAGA: "PUSPAGA {city}",
    checklists.SiteKind.FORUM: "Sekretariat Forum Anak {city}",
    checklists.SiteKind.OFFICE: "Mal Pelayanan Publik {city}",
    checklists.SiteKind.OTHER: "Lokasi layanan anak {n} {city}",
}
Spot = tuple[dt.date, Decimal, Decimal, Decimal]  # where and when a photo was taken: date, latitude, longitude, metres
Row = tuple[Plan, Evaluation, dict[str, int]]  # a planned evaluation, as inserted, with its entry ids by indicator


def field_visits(ctx: Context, rows: list[Row], *, previous: bool) -> None:
    """Field plans, their team, sites and photos for every evaluation that reached field verification."""
    wanted = [row for row in rows if at_least(row[0].state, State.FIELD_VERIFICATION)]
    if not wanted:
        return
    today = timezone.localdate(ctx.now)
    created = ctx.ins.now(
        [_field_plan(ctx, plan, evaluation, today, previous=previous) for plan, evaluation, _ in wanted]
    )
    sites: list[FieldSite] = []
    spots: list[Spot | None] = []  # per site: when and where, if visited
    for (plan, _evaluation, ids), field_plan in zip(wanted, created, strict=True):
        for user in plan.rng.sample(ctx.people.field_verifiers, 2):
            ctx.ins.add(FieldPlan.team.through(fieldplan_id=field_plan.pk, user_id=user))
        for site, spot in _sites(ctx, plan, field_plan, ids):
            sites.append(site)
            spots.append(spot)
    ctx.ins.flush()
    _photos(ctx, ctx.ins.now(sites), spots)
    ctx.ins.flush()


def _field_plan(ctx: Context, plan: Plan, evaluation: Evaluation, today: dt.date, *, previous: bool) -> FieldPlan:
    rng = plan.rng
    visit = today - dt.timedelta(days=rng.randint(150, 170) if previous else rng.randint(1, 9))
    if not at_least(plan.state, State.FINAL_VERIFICATION):
        visit = today + dt.timedelta(days=rng.randint(3, 40))
    return FieldPlan(
        evaluation_id=evaluation.pk,
        visit_date=visit,
        mode=rng.choice([FieldPlan.Mode.ON_SITE, FieldPlan.Mode.HYBRID]),
        notes="Rencana verifikasi lapangan (data nasional).",
        created_by_id=ctx.people.field_verifiers[0],
        updated_by_id=ctx.people.field_verifiers[0],
    )


def _sites(ctx: Context, plan: Plan, field_plan: FieldPlan, ids: dict[str, int]) -> list[tuple[FieldSite, Spot | None]]:
    """Two sites of the kinds the instrument suggests, with their checklist ticked and a photo spot once visited."""
    rng = plan.rng
    done = at_least(plan.state, State.FINAL_VERIFICATION)
    city = plan.region.name.title().removeprefix("Kabupaten ").removeprefix("Kota ")
    suggested = [i for i in ctx.fw.indicators if i.site_kind is not None]
    out: list[tuple[FieldSite, Spot | None]] = []
    for indicator in rng.sample(suggested, min(2, len(suggested))):
        site = _site(ctx, plan, field_plan, indicator, ids, city=city, done=done)
        spot = (
            (
                field_plan.visit_date,
                Decimal(str(round(rng.uniform(-8.5, 3.5), 6))),
                Decimal(str(round(rng.uniform(96.0, 140.0), 6))),
                Decimal(rng.choice(("5.0", "8.0", "12.5"))),
            )
            if done
            else None
        )
        out.append((site, spot))
    return out


def _site(
    ctx: Context,
    plan: Plan,
    field_plan: FieldPlan,
    indicator: IndicatorSpec,
    ids: dict[str, int],
    *,
    city: str,
    done: bool,
) -> FieldSite:
    rng = plan.rng
    assert indicator.site_kind is not None
    checklist = checklists.default_checklist(indicator.site_kind)
    if done:
        checklist = [{"label": item["label"], "done": rng.random() < 0.9} for item in checklist]
    return FieldSite(
        plan_id=field_plan.pk,
        name=SITE_NAMES[indicator.site_kind].format(n=rng.randint(1, 30), city=city)[:200],
        kind=indicator.site_kind.value,
        entry_id=ids[indicator.code],
        checklist=checklist,
        notes="Kunjungan selesai; temuan dicatat pada poin indikator." if done else "",
        visited=done,
        created_by_id=ctx.people.field_verifiers[0],
    )


def _photos(ctx: Context, sites: list[FieldSite], spots: list[Spot | None]) -> None:
    """The stored field photo on every visited site, with where and when it was taken."""
    photo = ctx.photo
    for site, spot in zip(sites, spots, strict=True):
        if spot is None:
            continue
        visit_date, latitude, longitude, accuracy = spot
        ctx.ins.add(
            FieldPhoto(
                site_id=site.pk,
                file=photo.name,
                mime=photo.mime,
                size=photo.size,
                sha256=photo.sha256,
                caption=f"Kunjungan ke {site.name}"[:200],
                latitude=latitude,
                longitude=longitude,
                accuracy_m=accuracy,
                taken_at=timezone.make_aware(dt.datetime.combine(visit_date, dt.time(10, 0))),
                uploaded_by_id=ctx.people.field_verifiers[0],
            )
        )
