"""/api/v1 for the agency registry of a kab/kota or province: list and register, with the pages' scope rules.

Reads accept a token or the browser session; the write needs a token. Another region's list answers 404, like a
region code that does not exist (Kota Lubuk Linggau's token on Kota Palembang's agencies).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from kla.accounts.agency_access import get_region_for_agencies
from kla.agencies import selectors, services
from kla.agencies.models import Agency
from kla.api.auth import TokenOrSession, api_user
from kla.api.schemas import Error

router = Router(auth=TokenOrSession(), tags=["instansi"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class AgencyOut(Schema):
    id: int
    region_code: str
    kind: str
    kind_name: str
    group: str
    name: str
    short_name: str
    is_active: bool
    deactivated_at: datetime | None


class AgencyIn(Schema):
    kind: str
    name: str = ""
    short_name: str = ""


class AgencyFilter(Schema):
    status: str = "active"  # active | inactive | all
    available: bool = False  # with the provincial bodies that may serve a kab/kota's task force


def _out(agency: Agency) -> dict[str, Any]:
    spec = agency.kind_spec
    return {
        "id": agency.pk,
        "region_code": agency.region_id,
        "kind": agency.kind,
        "kind_name": spec.name,
        "group": spec.group.value,
        "name": agency.name,
        "short_name": agency.short_name,
        "is_active": agency.is_active,
        "deactivated_at": agency.deactivated_at,
    }


@router.get(
    "/regions/{code}/agencies",
    response={200: list[AgencyOut], **ERRORS},
    summary="Instansi sebuah kab/kota atau provinsi (aktif, nonaktif, atau yang dapat melayani Gugus Tugasnya)",
)
def region_agencies(request: HttpRequest, code: str, filters: Query[AgencyFilter]) -> Any:
    region = get_region_for_agencies(api_user(request), code)
    if filters.available:
        return [_out(a) for a in selectors.agencies_available_to(region)]
    active = {"active": True, "inactive": False}.get(filters.status)
    return [_out(a) for a in selectors.agency_list(region, active=active)]


@router.post(
    "/regions/{code}/agencies",
    response={201: AgencyOut, **ERRORS},
    summary="Daftarkan instansi (jenis dari katalog; nama kosong = nama katalog dengan nama wilayah)",
)
def region_agency_create(request: HttpRequest, code: str, payload: AgencyIn) -> Any:
    user = api_user(request)
    region = get_region_for_agencies(user, code, manage=True)
    agency = services.agency_create(
        region=region, kind=payload.kind, name=payload.name, short_name=payload.short_name, by=user
    )
    return Status(201, _out(agency))
