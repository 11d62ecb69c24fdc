"""The dashboards' gates: a region outside the viewer's scope answers 404 like an unknown code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.core.compiled import CompiledQuery
from kla.regions.levels import Level
from kla.regions.models import Region

# Every dashboard of a region reads it: compiled once per process (compiling cost more than the query).
_REGION: CompiledQuery[Region] = CompiledQuery(
    lambda code, level: Region.objects.filter(code=code, level=level).select_related("parent").order_by("pk")[:1],
    str,
    str,
)


def _region(user: User, code: str, level: Level) -> Region:
    if not access.can(user, Action.DASHBOARD_VIEW, code):
        if access.can(user, Action.EVALUATION_VIEW, code):
            raise PermissionDenied(_("Peran Anda tidak mengizinkan tindakan ini."))
        raise Http404(_("Tidak ditemukan di wilayah kewenangan Anda."))
    found = _REGION.fetch(code, level.value)
    if not found:
        raise Http404(_("Wilayah tidak ditemukan."))
    return found[0]


def get_kabkota(user: User, code: str) -> Region:
    """A kab/kota whose dashboard the user may read (its secretariat, its province, the ministry)."""
    return _region(user, code, Level.KABKOTA)


def get_province(user: User, code: str) -> Region:
    """A province whose dashboard the user may read (its reviewers, the ministry)."""
    return _region(user, code, Level.PROVINSI)


def require_national(user: User) -> None:
    """The national dashboard: the ministry's roles only (403 for any other role)."""
    if not access.can(user, Action.DASHBOARD_VIEW, None):
        raise PermissionDenied(_("Dasbor nasional hanya untuk Kementerian."))


def home_of(user: User) -> str | None:
    """The dashboard a user lands on from the menu: national, else the first province, else the first kab/kota."""
    grants = [g for g in access.grants(user) if access.can(user, Action.DASHBOARD_VIEW, g.region_code)]
    if any(g.region_code is None for g in grants):
        return ""
    codes = sorted(g.region_code for g in grants if g.region_code)
    return min(codes, key=len) if codes else None
