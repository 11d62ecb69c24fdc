"""The gates of the agency registry: which region's agencies a user may see or manage, and one agency by id.

The decision is the role table's (`Action.AGENCY_VIEW`, `Action.AGENCY_MANAGE`) applied to the agency's region: a
secretariat manages its own kab/kota, a province reviewer its province and the kab/kota in it, the ministry
administrator everything; every other role reads within its scope. Out of scope answers 404, like a missing id.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from kla.accounts.access import NOT_FOUND, Visitor, can
from kla.accounts.roles import Action
from kla.agencies.models import Agency
from kla.agencies.selectors import agency_by_id
from kla.regions.levels import Level
from kla.regions.models import Region

_NOT_FOUND = NOT_FOUND  # one answer for an unknown id and for another region's agency


def _require(user: Visitor, region_code: str, *, manage: bool) -> None:
    if not can(user, Action.AGENCY_VIEW, region_code) and not can(user, Action.AGENCY_MANAGE, region_code):
        raise Http404(_NOT_FOUND)
    if manage and not can(user, Action.AGENCY_MANAGE, region_code):
        raise PermissionDenied(gettext("Peran Anda tidak mengizinkan mengelola instansi wilayah ini."))


def get_region_for_agencies(user: Visitor, code: str, *, manage: bool = False) -> Region:
    """The kab/kota or province whose agency list the user may read (or manage): 404 outside the scope."""
    region = Region.objects.filter(pk=code, level__in=[Level.PROVINSI, Level.KABKOTA]).first()
    if region is None:
        raise Http404(_NOT_FOUND)
    _require(user, region.code, manage=manage)
    return region


def get_agency_for_user(user: Visitor, pk: int, *, manage: bool = False) -> Agency:
    """An agency the user may read (or manage): 404 when it does not exist or lies outside the user's scope."""
    agency = agency_by_id(pk)
    if agency is None:
        raise Http404(_NOT_FOUND)
    _require(user, agency.region_id, manage=manage)
    return agency


def can_manage_agencies(user: Visitor, region_code: str) -> bool:
    return can(user, Action.AGENCY_MANAGE, region_code)
