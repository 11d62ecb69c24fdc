"""A region's RAD KLA is created with its first (draft) version; the region's total budget is entered per year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kla.core import audit
from kla.core.formatting import format_rupiah
from kla.core.wording import say
from kla.indicators.models import Framework
from kla.rad import rules
from kla.rad.access import PLAN_LEVELS, require_manage
from kla.rad.models import Plan, RegionBudget, Version
from kla.rad.services.scope import AmountInput, amount
from kla.regions.models import Region

if TYPE_CHECKING:
    from kla.accounts.models import User

TITLE_MAX = 200


def _lock_region(region: Region) -> Region:
    return Region.objects.select_for_update().get(pk=region.pk)


@transaction.atomic
def plan_create(
    *, region: Region, framework: Framework, start_year: int, end_year: int, title: str = "", by: User | None
) -> Plan:
    """Create the region's plan for `start_year`–`end_year` with version 1 as a draft. Refused (nothing written): a
    region that is neither a kab/kota nor a province, a period that is not one (reversed, too long), or one that
    overlaps another plan of the region."""
    _lock_region(region)
    require_manage(by, region.code)
    if region.level not in PLAN_LEVELS:
        raise ValidationError(gettext("RAD KLA disusun untuk kabupaten/kota atau provinsi."), code="region_level")
    refusal = rules.period_refusal(start_year, end_year)
    if refusal:
        raise ValidationError(say(refusal), code="period")
    overlapping = Plan.objects.filter(region=region, start_year__lte=end_year, end_year__gte=start_year).first()
    if overlapping is not None:
        raise ValidationError(
            gettext(
                "Periode %(start_year)s–%(end_year)s bertumpuk dengan %(overlapping)s. Ubah rencana itu "
                "melalui revisi, atau pilih periode lain."
            )
            % {"start_year": start_year, "end_year": end_year, "overlapping": overlapping},
            code="period_overlap",
        )
    title = " ".join(title.split())[:TITLE_MAX] or f"RAD KLA {region.name}"
    plan = Plan.objects.create(
        region=region, framework=framework, title=title, start_year=start_year, end_year=end_year, created_by=by
    )
    version = Version.objects.create(plan=plan, number=1, created_by=by)
    audit.record(
        action="kla.rad.plan.created",
        by=by,
        obj=plan,
        region_code=region.code,
        after={**plan.audit_view(), "version": version.audit_view()},
    )
    return plan


@transaction.atomic
def region_budget_set(*, region: Region, year: int, total: AmountInput, by: User | None) -> RegionBudget:
    """Enter (or correct) the region's total budget (APBD) of `year`, the denominator of the child-rights share."""
    _lock_region(region)
    require_manage(by, region.code)
    if region.level not in PLAN_LEVELS:
        raise ValidationError(gettext("APBD dicatat untuk kabupaten/kota atau provinsi."), code="region_level")
    if not rules.FIRST_YEAR <= year <= rules.LAST_YEAR:
        raise ValidationError(
            gettext("Tahun harus antara %(FIRST_YEAR)s dan %(LAST_YEAR)s. Periksa tahunnya.")
            % {"FIRST_YEAR": rules.FIRST_YEAR, "LAST_YEAR": rules.LAST_YEAR},
            code="year",
        )
    value = amount(total, "Total APBD: ")
    if value <= 0:
        raise ValidationError(gettext("Total APBD harus lebih dari 0. Isi total APBD tahun itu."), code="zero")
    row = RegionBudget.objects.filter(region=region, year=year).first()
    before = {"amount": str(row.amount)} if row is not None else None
    if row is None:
        row = RegionBudget(region=region, year=year)
    row.amount = value
    row.updated_by = by
    row.save()
    audit.record(
        action="kla.rad.region_budget.set",
        by=by,
        obj=row,
        object_label=f"APBD {region.name} {year}: {format_rupiah(value)}",
        region_code=region.code,
        before=before,
        after={"year": year, "amount": str(value)},
    )
    return row
