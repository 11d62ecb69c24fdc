"""Reads of agencies: a region's own list, and the agencies available to a kab/kota task force."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kla.agencies.models import Agency
from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.regions.levels import Level, parent_of
from kla.regions.models import Region

_ACTIVE = {"is_active": True}
# The registry page reads a region's agencies on every request: compiled once per process.
_OF_REGION: CompiledQuery[Agency] = CompiledQuery(
    lambda region: (
        Agency.objects.filter(region_id=region).select_related("deactivated_by").order_by("short_name", "name")
    ),
    str,
)
# The choices of the forms that pick an agency for a task force (a member, an invitation, a follow-up's owner):
# id and short name (an agency's label), compiled once per process, in the order of `agencies_available_to`.
_CHOICES_OF_REGION = CompiledRows(
    lambda region: (
        Agency.objects.filter(region_id=region, **_ACTIVE)
        .order_by("-region_id", "short_name")
        .values_list("pk", "short_name")
    ),
    str,
)
_CHOICES_OF_KABKOTA = CompiledRows(
    lambda region, province: (
        Agency.objects.filter(Q(region_id=region) | Q(region_id=province), **_ACTIVE)
        .order_by("-region_id", "short_name")
        .values_list("pk", "short_name")
    ),
    str,
    str,
)


def agency_list(region: Region, *, active: bool | None = None) -> QuerySet[Agency]:
    """The agencies registered in `region` itself (active, deactivated or both), by short name."""
    qs = Agency.objects.filter(region=region).select_related("deactivated_by").order_by("short_name", "name")
    return qs if active is None else qs.filter(is_active=active)


def agencies_of(region: Region) -> list[Agency]:
    """`agency_list(region)` (active and deactivated) as a list, from the compiled query."""
    return _OF_REGION.fetch(region.code)


def agencies_available_to(region: Region) -> QuerySet[Agency]:
    """The active agencies that may serve `region`'s task force: its own, and for a kab/kota also the provincial
    bodies of its province (a Kantor Wilayah sits in the province and serves every kab/kota of it)."""
    scope = Q(region=region)
    province = parent_of(region.code) if region.level == Level.KABKOTA else None
    if province is not None:
        scope |= Q(region_id=province)
    return Agency.objects.filter(scope, is_active=True).select_related("region").order_by("-region_id", "short_name")


def agency_choices_available_to(region: Region) -> list[tuple[int, str]]:
    """`agencies_available_to(region)` as (id, short name) pairs: the options of a form's agency list."""
    province = parent_of(region.code) if region.level == Level.KABKOTA else None
    if province is None:
        return [(pk, name) for pk, name in _CHOICES_OF_REGION.fetch(region.code)]
    return [(pk, name) for pk, name in _CHOICES_OF_KABKOTA.fetch(region.code, province)]


def agency_names(region: Region) -> list[str]:
    """Every name taken in `region` (deactivated agencies keep theirs)."""
    return list(Agency.objects.filter(region=region).values_list("name", flat=True))


def agency_by_id(pk: int) -> Agency | None:
    """The agency with its region, or None; callers gate it (`kla.accounts.agency_access`) before showing it."""
    return Agency.objects.select_related("region", "deactivated_by").filter(pk=pk).first()
