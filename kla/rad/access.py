"""Gates for RAD KLA: who reads a region's plans, who draws them up, who records realisation; objects by id.

Reading follows the usual scope (`Action.RAD_VIEW`: the kab/kota's own users, its province, the ministry).
Managing (`Action.RAD_MANAGE`) is bound to the membership's own region: the secretariat draws up its kab/kota's
plan, the province reviewer the province's own (it reads its kab/kota's). Realisation (`Action.RAD_REALISE`) is
recorded in the membership's own region by those managers for every activity, and by an agency's operators for the
activities their agency is responsible for. Anything outside the reader's scope answers 404, like a missing id.
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
from kla.rad.models import Node, Output, Plan, Realisation, RealisationFile, Version
from kla.regions.levels import Level
from kla.regions.models import Region

if TYPE_CHECKING:
    from kla.accounts.models import User

NOT_FOUND = access.NOT_FOUND  # one answer for an unknown id and for another region's object
MANAGE_REFUSED = gettext_lazy(
    "RAD KLA wilayah ini hanya dapat disusun oleh Sekretariat Gugus Tugas wilayah tersebut "
    "(untuk provinsi: Verifikator Provinsi). Hubungi sekretariat bila ada yang perlu diubah."
)
REALISE_REFUSED = gettext_lazy(
    "Realisasi kegiatan ini hanya dapat dicatat oleh operator instansi penanggung jawabnya "
    "atau oleh Sekretariat Gugus Tugas. Hubungi sekretariat bila penanggung jawabnya keliru."
)
PLAN_LEVELS = {Level.KABKOTA.value, Level.PROVINSI.value}


def can_view(user: Visitor, region_code: str) -> bool:
    return access.can(user, Action.RAD_VIEW, region_code)


def _bound(user: Visitor, action: Action, region_code: str) -> set[Role]:
    """The roles allowed `action` that the user holds in this very region (not a region above it)."""
    return {
        Role(m.role) for m in access.memberships(user) if Role(m.role) in ALLOWED[action] and m.region_id == region_code
    }


def can_manage(user: Visitor, region_code: str) -> bool:
    return bool(_bound(user, Action.RAD_MANAGE, region_code))


def realise_agency_ids(user: Visitor, region_code: str) -> set[int] | None:
    """The agencies whose activities the user may realise in the region; None = every activity (a manager)."""
    roles = _bound(user, Action.RAD_REALISE, region_code)
    if roles - {Role.OPD_OPERATOR}:
        return None
    return {
        m.agency_id
        for m in access.memberships(user)
        if Role(m.role) == Role.OPD_OPERATOR and m.region_id == region_code and m.agency_id is not None
    }


def can_realise(user: Visitor, node: Node, region_code: str) -> bool:
    own = realise_agency_ids(user, region_code)
    return own is None or (node.agency_id is not None and node.agency_id in own)


def _check(user: Visitor, region_code: str, write: bool) -> None:
    if not can_view(user, region_code):
        raise Http404(NOT_FOUND)
    if write and not can_manage(user, region_code):
        raise PermissionDenied(MANAGE_REFUSED)


_REGION: CompiledQuery[Region] = CompiledQuery(
    lambda code: Region.objects.select_related("parent").filter(code=code, level__in=sorted(PLAN_LEVELS)), str
)


def get_region_for_user(user: Visitor, code: str, *, write: bool = False) -> Region:
    """A kabupaten/kota or province whose plans the user may read (or draw up, with `write`)."""
    found = _REGION.fetch(code)
    region = found[0] if found else None
    if region is None:
        raise Http404(NOT_FOUND)
    _check(user, region.code, write)
    return region


# every plan page reads its plan first: compiled once per process (kla/core/compiled.py)
_PLAN: CompiledQuery[Plan] = CompiledQuery(
    lambda pk: Plan.objects.select_related("region__parent", "framework").filter(pk=pk), int
)


def get_plan_for_user(user: Visitor, pk: int, *, write: bool = False) -> Plan:
    """A plan in the user's RAD KLA scope (404 otherwise, as `access.get_in_scope`)."""
    found = _PLAN.fetch(pk) if 0 < pk < 2**63 else []  # a bigint id (an absurd one is simply unknown)
    if not found or not can_view(user, found[0].region_id):
        raise Http404(NOT_FOUND)
    plan = found[0]
    _check(user, plan.region_id, write)
    return plan


def get_version_for_user(user: Visitor, pk: int, *, write: bool = False) -> Version:
    version = access.get_in_scope(
        user,
        Version.objects.select_related("plan__region", "plan__framework"),
        pk,
        "plan.region_id",
        action=Action.RAD_VIEW,
    )
    _check(user, version.plan.region_id, write)
    return version


def get_node_for_user(user: Visitor, pk: int, *, write: bool = False, realise: bool = False) -> Node:
    """A programme or activity the user reads; with `write` one they may edit, with `realise` one whose
    realisation they may record (403 for an activity of another agency of their own region)."""
    node = Node.objects.select_related("version__plan__region", "agency", "indicator", "parent").filter(pk=pk).first()
    if node is None:
        raise Http404(NOT_FOUND)
    region_code = node.version.plan.region_id
    _check(user, region_code, write)
    if realise and not can_realise(user, node, region_code):
        raise PermissionDenied(REALISE_REFUSED)
    return node


def require_manage(user: User | None, region_code: str) -> None:
    """For services: refuse a user who does not draw up the region's plan (None: the system may)."""
    if user is not None and not can_manage(user, region_code):
        raise PermissionDenied(MANAGE_REFUSED)


def require_realise(user: User | None, node: Node, region_code: str) -> None:
    """For services: refuse a user who may not record this activity's realisation (None: the system may)."""
    if user is not None and not can_realise(user, node, region_code):
        raise PermissionDenied(REALISE_REFUSED)


def get_output_for_user(user: Visitor, pk: int, *, write: bool = False) -> Output:
    output = access.get_in_scope(
        user,
        Output.objects.select_related("node__version__plan__region"),
        pk,
        "node.version.plan.region_id",
        action=Action.RAD_VIEW,
    )
    _check(user, output.node.version.plan.region_id, write)
    return output


def activity_node(realisation: Realisation) -> Node | None:
    """The activity a realisation belongs to: its row in the version in force, else in the newest version that
    holds its key (an activity a revision removed); None when no version knows the key."""
    nodes = Node.objects.filter(version__plan_id=realisation.plan_id, key=realisation.activity_key)
    adopted = nodes.filter(version__status=Version.Status.ADOPTED).select_related("agency", "version").first()
    return adopted or nodes.select_related("agency", "version").order_by("-version__number").first()


def can_realise_recorded(user: Visitor, realisation: Realisation) -> bool:
    """Whether the user records this realisation's quarter (and so its evidence files)."""
    own = realise_agency_ids(user, realisation.plan.region_id)
    if own is None:
        return True
    node = activity_node(realisation)
    return node is not None and node.agency_id is not None and node.agency_id in own


def get_realisation_for_user(user: Visitor, pk: int, *, realise: bool = False) -> Realisation:
    """A recorded quarter the user reads; with `realise` one whose evidence the user may add (403 for another
    agency's activity of their own region)."""
    found = access.get_in_scope(
        user, Realisation.objects.select_related("plan__region"), pk, "plan.region_id", action=Action.RAD_VIEW
    )
    _check(user, found.plan.region_id, False)
    if realise and not can_realise_recorded(user, found):
        raise PermissionDenied(REALISE_REFUSED)
    return found


def get_realisation_file_for_user(user: Visitor, pk: int, *, write: bool = False) -> RealisationFile:
    """An evidence file of a realisation (not removed) that the user reads; with `write` one they may remove."""
    found = (
        RealisationFile.objects.select_related("realisation__plan__region")
        .filter(pk=pk, removed_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    _check(user, found.region_id, False)
    if write and not can_realise_recorded(user, found.realisation):
        raise PermissionDenied(REALISE_REFUSED)
    return found
