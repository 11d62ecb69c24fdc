"""Reads of the region hierarchy. Regions are public reference data: every reader may see every region."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext

from kla.regions.levels import Level, is_valid_code, subtree_bounds
from kla.regions.models import Region, RegionQuerySet


def region_get(code: str) -> Region:
    """The region with this code and its parent, or Http404 (also for a malformed code)."""
    if not is_valid_code(code):
        raise Http404(gettext("Kode wilayah tidak sah: %(code)s.") % {"code": code})
    try:
        return Region.objects.select_related("parent", "parent__parent").get(code=code)
    except Region.DoesNotExist:
        raise Http404(gettext("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code}) from None


def region_list(*, parent: str | None = None, level: Level | None = None, q: str = "") -> RegionQuerySet:
    """Regions filtered by direct parent, level and a name search, with their parent, ordered by code."""
    qs = Region.objects.select_related("parent")
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if level is not None:
        qs = qs.filter(level=level.value)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def provinces_with_counts() -> RegionQuerySet:
    """The provinces, each annotated with its number of kab/kota (`n_children`), in one query."""
    return Region.objects.filter(level=Level.PROVINSI).annotate(n_children=Count("children")).order_by("code")


def children_with_counts(region: Region) -> RegionQuerySet:
    return region_list(parent=region.code).annotate(n_children=Count("children"))


def ancestors(region: Region) -> list[Region]:
    """Parents from the top down (province first), without the region itself; one query."""
    codes = []
    code = region.code
    while "." in code:
        code = code.rsplit(".", 1)[0]
        codes.append(code)
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def home_counts() -> dict[str, int]:
    """Number of regions per level, in one query."""
    rows = Region.objects.values("level").annotate(n=Count("code"))
    counts = {lv.value: 0 for lv in Level}
    counts.update({r["level"]: r["n"] for r in rows})
    return counts


def subtree_q(codes: Iterable[str | None], field: str) -> Q | None:
    """A filter on `field` (a region code) matching each code and everything under it: one indexed range per code.

    A None among the codes means nationwide, answered as None (no filter); no codes at all match nothing.
    """
    query = Q(pk__in=[])
    for code in codes:
        if code is None:
            return None
        low, high = subtree_bounds(code)
        query |= Q(**{field: code}) | Q(**{f"{field}__gte": low, f"{field}__lt": high})
    return query
