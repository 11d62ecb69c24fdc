"""Reads for the RAD KLA pages beyond one plan: the plans in a user's scope and the regions they draw up."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.accounts.roles import Action
from kla.rad.access import PLAN_LEVELS, can_manage
from kla.rad.models import Plan
from kla.regions.models import Region

LISTED = 100


def reads_any(user: Visitor) -> bool:
    """Whether the user may read the plans of some region (anyone with a role)."""
    return any(access.can(user, Action.RAD_VIEW, g.region_code) for g in access.grants(user))


def plans_in_scope(user: Visitor, search: str = "") -> QuerySet[Plan]:
    """The plans the user reads (a kab/kota's own, a province's and its kab/kota's, every plan for the ministry),
    by region then newest period, with their versions (two queries), at most `LISTED`; `search` matches the
    region's name or code."""
    plans = Plan.objects.select_related("region").prefetch_related("versions").order_by("region_id", "-start_year")
    scope = access.region_scope_q(user, Action.RAD_VIEW, "region_id")
    if scope is not None:
        plans = plans.filter(scope)
    if search:
        plans = plans.filter(Q(region__name__icontains=search) | Q(region__code__startswith=search))
    return plans[:LISTED]


def managed_regions(user: Visitor) -> list[Region]:
    """The kab/kota or province whose plans the user draws up (the secretariat's own, the province's own)."""
    found = {
        m.region.code: m.region
        for m in access.memberships(user)
        if m.region is not None and m.region.level in PLAN_LEVELS and can_manage(user, m.region.code)
    }
    return [found[code] for code in sorted(found)]
