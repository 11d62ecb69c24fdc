"""Gates for activities (kegiatan): who reads a kab/kota's activities, who records them, objects by id.

Reading follows the usual scope (`Action.ACTIVITY_VIEW`: the kab/kota's own users, its province, the ministry).
Recording (`Action.ACTIVITY_RECORD`) is bound to the membership's own kab/kota: the secretariat records every
agency's activities, an agency's operators their own agency's (an activity of another agency answers 403 to them).
Anything outside the reader's scope answers 404, like a missing id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.accounts.roles import ALLOWED, Action, Role
from kla.activities.models import Activity, ActivityFile
from kla.core.compiled import CompiledQuery
from kla.regions.levels import Level
from kla.regions.models import Region

if TYPE_CHECKING:
    from kla.accounts.models import User

NOT_FOUND = access.NOT_FOUND  # one answer for an unknown id and for another region's object
RECORD_REFUSED = gettext_lazy(
    "Kegiatan wilayah ini hanya dapat dicatat oleh operator instansi pelaksananya atau oleh "
    "Sekretariat Gugus Tugas kabupaten/kota tersebut. Hubungi sekretariat bila ada yang perlu "
    "diubah."
)


def can_view(user: Visitor, region_code: str) -> bool:
    return access.can(user, Action.ACTIVITY_VIEW, region_code)


def record_agency_ids(user: Visitor, region_code: str) -> set[int] | None:
    """The agencies whose activities the user records in this very kab/kota; None = every agency (the secretariat).
    An empty set: the user records nothing here."""
    roles = {
        Role(m.role)
        for m in access.memberships(user)
        if Role(m.role) in ALLOWED[Action.ACTIVITY_RECORD] and m.region_id == region_code
    }
    if roles - {Role.OPD_OPERATOR}:
        return None
    return {
        m.agency_id
        for m in access.memberships(user)
        if Role(m.role) == Role.OPD_OPERATOR and m.region_id == region_code and m.agency_id is not None
    }


def can_record(user: Visitor, region_code: str, agency_id: int | None = None) -> bool:
    """True if the user records activities in the region (of `agency_id`, when given)."""
    own = record_agency_ids(user, region_code)
    if own is None:
        return True
    return bool(own) if agency_id is None else agency_id in own


def _check(user: Visitor, region_code: str, write: bool, agency_id: int | None = None) -> None:
    if not can_view(user, region_code):
        raise Http404(NOT_FOUND)
    if write and not can_record(user, region_code, agency_id):
        raise PermissionDenied(RECORD_REFUSED)


# the reads every activity page starts with, compiled once per process (kla/core/compiled.py)
_REGION: CompiledQuery[Region] = CompiledQuery(
    lambda code: Region.objects.select_related("parent").filter(code=code, level=Level.KABKOTA.value), str
)
_ACTIVITY: CompiledQuery[Activity] = CompiledQuery(
    lambda pk: Activity.objects.select_related("region__parent", "agency", "location", "plan").filter(pk=pk), int
)


def get_region_for_user(user: Visitor, code: str, *, write: bool = False) -> Region:
    """A kabupaten/kota whose activities the user may read (or record, with `write`)."""
    found = _REGION.fetch(code)
    region = found[0] if found else None
    if region is None:
        raise Http404(NOT_FOUND)
    _check(user, region.code, write)
    return region


def get_activity_for_user(user: Visitor, pk: int, *, write: bool = False) -> Activity:
    """An activity the user reads; with `write`, one they may change (403 for another agency's, for an operator)."""
    found = _ACTIVITY.fetch(pk) if 0 < pk < 2**63 else []  # a bigint id (an absurd one is simply unknown)
    if not found or not access.can(user, Action.ACTIVITY_VIEW, found[0].region_id):
        raise Http404(NOT_FOUND)  # as `access.get_in_scope`
    activity = found[0]
    _check(user, activity.region_id, write, activity.agency_id)
    return activity


def get_file_for_user(user: Visitor, pk: int, *, write: bool = False) -> ActivityFile:
    """A file (not removed) of an activity the user reads; with `write`, of one they may change."""
    found = (
        ActivityFile.objects.select_related("activity__agency", "activity__region")
        .filter(pk=pk, removed_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    _check(user, found.region_id, write, found.activity.agency_id)
    return found


def require_record(user: User | None, region_code: str, agency_id: int) -> None:
    """For services: refuse a user who may not record this agency's activities here (None: the system may)."""
    if user is not None and not can_record(user, region_code, agency_id):
        raise PermissionDenied(RECORD_REFUSED)
