"""What the Laporan page's export form offers and accepts beyond the tables of a cycle: the RAD KLA recaps (per
kab/kota or per province) of the regions the user works in, always as XLSX.

The regions offered are the user's own: a kab/kota user's kab/kota, a province user's province (its recap covers the
province's plan and those of its kab/kota), and for a national role every province. Whatever is posted, the recap's
own gate (`kla.reports.rad_recaps.check_request`, `Action.RAD_VIEW`) decides again, and the rows are chosen when the
task runs, through the requester's scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from kla.accounts import access
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.reports.models import Export
from kla.reports.rad_recaps import RECAPS, request_recap

if TYPE_CHECKING:
    from kla.accounts.models import User

RECAP_LEVELS = (Level.KABKOTA.value, Level.PROVINSI.value)
NOT_XLSX = gettext_lazy("Rekap RAD KLA hanya tersedia sebagai Excel (.xlsx). Pilih format Excel, lalu minta lagi.")
NO_REGION = gettext_lazy("Pilih wilayah rekap RAD KLA dari daftar (kabupaten/kota atau provinsi tempat Anda bertugas).")


def recap_regions(user: User) -> list[Region]:
    """The kab/kota and provinces whose RAD KLA recap the user may ask for on the form (one query)."""
    held = access.memberships(user)
    own = {m.region_id for m in held if m.region_id is not None}
    national = any(m.region_id is None for m in held)
    regions = Region.objects.filter(level__in=RECAP_LEVELS)
    if national:
        regions = regions.filter(level=Level.PROVINSI.value) | regions.filter(code__in=own)
    else:
        regions = regions.filter(code__in=own)
    return list(regions.order_by("code"))


def is_recap(kind: str) -> bool:
    return kind in RECAPS


def request_recap_from_form(*, user: User, kind: str, region_code: str, fmt: str) -> Export:
    """Queue the recap chosen on the form; refused: a format other than XLSX, a region not offered to the user."""
    if fmt != Export.Format.XLSX:
        raise ValidationError(NOT_XLSX, code="format")
    region = next((r for r in recap_regions(user) if r.code == region_code), None)
    if region is None:
        raise ValidationError(NO_REGION, code="region")
    return request_recap(user=user, kind=kind, region=region)
