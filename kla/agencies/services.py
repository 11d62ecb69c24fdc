"""Writes to agencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from kla.agencies.catalogue import BY_CODE
from kla.agencies.models import Agency
from kla.core import audit
from kla.regions.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import _User


@transaction.atomic
def agency_ensure(*, region: Region, kind: str, name: str = "", short_name: str = "", by: _User | None) -> Agency:
    """Create the agency of this kind in the region unless one with the same name exists; audited on creation."""
    spec = BY_CODE[kind]
    name = name or f"{spec.name} {region.name}"
    agency, created = Agency.objects.get_or_create(
        region=region, name=name, defaults={"kind": kind, "short_name": short_name or spec.short_name}
    )
    if created:
        audit.record(
            action="kla.agency.created",
            by=by,
            obj=agency,
            region_code=region.code,
            after={"kind": kind, "name": name, "short_name": agency.short_name},
        )
    return agency
