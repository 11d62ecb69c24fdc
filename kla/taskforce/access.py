"""Gates for the Gugus Tugas: who reads and who manages a region's task force, and its objects by id.

Reading follows the usual scope (`Action.TASKFORCE_VIEW`: the kab/kota's own users, its province, the ministry).
Managing (`Action.TASKFORCE_MANAGE`) is bound to the membership's own region: the secretariat manages its own
kabupaten/kota, the province reviewer the province's own task force (it reads its kab/kota's). An agency operator
also completes the follow-ups its agency owns. An object outside the reader's scope answers 404, like a missing id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.accounts.roles import ALLOWED, Action, Role
from kla.core.compiled import CompiledQuery
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.taskforce.models import Document, FollowUp, Meeting, Member

if TYPE_CHECKING:
    from kla.accounts.models import User

NOT_FOUND = access.NOT_FOUND  # one answer for an unknown id and for another region's object
MANAGE_REFUSED = gettext_lazy(
    "Gugus Tugas wilayah ini hanya dapat dikelola oleh Sekretariat Gugus Tugas wilayah "
    "tersebut (untuk provinsi: Verifikator Provinsi). Hubungi sekretariat bila ada yang perlu "
    "diubah."
)
TASKFORCE_LEVELS = {Level.KABKOTA.value, Level.PROVINSI.value}
# Every task-force page starts with one of these: compiled once per process.
_REGION: CompiledQuery[Region] = CompiledQuery(
    lambda code: Region.objects.select_related("parent").filter(code=code, level__in=sorted(TASKFORCE_LEVELS)), str
)
_MEETING: CompiledQuery[Meeting] = CompiledQuery(
    lambda pk: Meeting.objects.select_related("region__parent").filter(pk=pk), int
)
_BIGINT = 2**63  # an id no row has and the database cannot compare: answered like a missing id


def can_view(user: Visitor, region_code: str) -> bool:
    return access.can(user, Action.TASKFORCE_VIEW, region_code)


def can_manage(user: Visitor, region_code: str) -> bool:
    """True if one of the user's memberships manages this very region's task force (not a region below it)."""
    return any(
        Role(m.role) in ALLOWED[Action.TASKFORCE_MANAGE] and m.region_id == region_code
        for m in access.memberships(user)
    )


def operator_agency_ids(user: Visitor, region_code: str) -> set[int] | None:
    """The agencies whose follow-ups an operator-only reader sees; None when the user sees every follow-up."""
    roles = access.roles_over(user, region_code)
    if roles - {Role.OPD_OPERATOR}:
        return None
    return {m.agency_id for m in access.memberships(user) if m.agency_id is not None and m.region_id == region_code}


def _check(user: Visitor, region_code: str, write: bool) -> None:
    if not can_view(user, region_code):
        raise Http404(NOT_FOUND)
    if write and not can_manage(user, region_code):
        raise PermissionDenied(MANAGE_REFUSED)


def get_region_for_user(user: Visitor, code: str, *, write: bool = False) -> Region:
    """A kabupaten/kota or province whose task force the user may read (or manage, with `write`)."""
    found = _REGION.fetch(code)
    if not found:
        raise Http404(NOT_FOUND)
    region = found[0]
    _check(user, region.code, write)
    return region


def get_member_for_user(user: Visitor, pk: int, *, write: bool = False) -> Member:
    member = access.get_in_scope(
        user, Member.objects.select_related("region", "agency"), pk, "region_id", action=Action.TASKFORCE_VIEW
    )
    _check(user, member.region_id, write)
    return member


def get_meeting_for_user(user: Visitor, pk: int, *, write: bool = False) -> Meeting:
    found = _MEETING.fetch(pk) if -_BIGINT < pk < _BIGINT else []
    if not found or not can_view(user, found[0].region_id):
        raise Http404(NOT_FOUND)
    meeting = found[0]
    _check(user, meeting.region_id, write)
    return meeting


def get_follow_up_for_user(user: Visitor, pk: int, *, write: bool = False) -> FollowUp:
    """A follow-up the user reads; with `write`, one they may complete (the managers, or an operator of the owner).

    An operator who only sees their agency's follow-ups gets 404 for another agency's, like a missing id.
    """
    follow_up = FollowUp.objects.select_related("region", "meeting", "owner").filter(pk=pk).first()
    if follow_up is None or not can_view(user, follow_up.region_id):
        raise Http404(NOT_FOUND)
    own = operator_agency_ids(user, follow_up.region_id)
    if own is not None and follow_up.owner_id not in own:
        raise Http404(NOT_FOUND)
    if write and not (can_manage(user, follow_up.region_id) or own is not None):
        raise PermissionDenied(MANAGE_REFUSED)
    return follow_up


def get_document_for_user(user: Visitor, pk: int) -> Document:
    document = Document.objects.select_related("follow_up").filter(pk=pk).first()
    if document is None or not can_view(user, document.region_id):
        raise Http404(NOT_FOUND)
    own = operator_agency_ids(user, document.region_id)
    if own is not None and document.follow_up is not None and document.follow_up.owner_id not in own:
        raise Http404(NOT_FOUND)
    return document


def require_manage(user: User | None, region_code: str) -> None:
    """For services: refuse a user who does not manage the region's task force (None: the system may)."""
    if user is not None and not can_manage(user, region_code):
        raise PermissionDenied(MANAGE_REFUSED)
