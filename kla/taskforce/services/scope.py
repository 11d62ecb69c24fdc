"""Which agencies may take part in a region's task force, and the region lock every write takes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from kla.agencies.models import Agency
from kla.regions.models import Region

OUTSIDE_REGION = gettext_lazy(
    "Instansi {name} bukan instansi wilayah ini. Pilih instansi {region} atau instansi tingkat "
    "provinsi di provinsinya; bila instansinya belum terdaftar, daftarkan terlebih dahulu."
)
UNKNOWN_AGENCY = gettext_lazy(
    "Instansi yang dipilih tidak terdaftar di wilayah ini. Muat ulang halaman dan pilih dari "
    "daftar instansi; bila instansinya belum ada, daftarkan terlebih dahulu."
)


def region_codes(region: Region) -> list[str]:
    """A kab/kota's task force draws on its own agencies and the provincial bodies of its province."""
    return [region.code] if region.parent_id is None else [region.code, region.parent_id]


def check_agency(agency: Agency, region: Region) -> None:
    if agency.region_id not in region_codes(region) or not agency.is_active:
        raise ValidationError(OUTSIDE_REGION.format(name=agency.short_name, region=region.name), code="agency_region")


def agencies_by_id(ids: Iterable[int], region: Region) -> dict[int, Agency]:
    """The agencies of these ids that may take part, in one query; any other id is refused (nothing written)."""
    wanted = set(ids)
    found = {a.pk: a for a in Agency.objects.filter(pk__in=wanted, region_id__in=region_codes(region), is_active=True)}
    if wanted - set(found):
        raise ValidationError(UNKNOWN_AGENCY, code="agency_unknown")
    return found


def lock_region(region: Region) -> Region:
    """Serialise the writes of one task force (two members added at once cannot both become ketua)."""
    return Region.objects.select_for_update().get(pk=region.pk)
