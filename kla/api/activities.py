"""/api/v1 for activities (kegiatan): a kab/kota's activities, recording one, adding a photo or document, through
the same gates, selectors and services as the pages. Reads accept a token or the browser session; writes need a
token. Another region's objects answer 404, like ids that do not exist."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from kla.activities import access, rules, selectors, services
from kla.activities.models import Activity, ActivityFile
from kla.api.auth import TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import Error, Id

router = Router(auth=TokenOrSession(), tags=["kegiatan"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class Counts(Schema):
    girls_0_5: int = 0
    boys_0_5: int = 0
    girls_6_12: int = 0
    boys_6_12: int = 0
    girls_13_17: int = 0
    boys_13_17: int = 0
    adults: int = 0


class FileOut(Schema):
    id: int = Field(description="to attach it as evidence by reference (source activities)")
    name: str
    kind: str
    size: int


class ActivityOut(Schema):
    id: int
    region_code: str
    title: str
    start_date: dt.date
    end_date: dt.date
    agency_id: int
    agency: str
    location_code: str | None
    indicator_ids: list[int]
    plan_id: int | None
    rad_activity_key: uuid.UUID | None
    counts: Counts
    children_reached: int
    budget_used: str | None = Field(description="rupiah, exact decimal as text")
    description: str


class ActivityIn(Schema):
    title: str
    start_date: dt.date
    end_date: dt.date
    agency_id: Id
    location_code: str = ""
    indicator_ids: list[Id] = []
    plan_id: Id | None = None
    rad_activity_key: uuid.UUID | None = None
    counts: dict[str, int] = {}
    budget_used: str | None = Field(None, description="e.g. 1.250.000.000 or Rp 1.250.000,50")
    description: str = ""


class DateFilter(Schema):
    agency_id: int | None = None
    indicator_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _out(activity: Activity) -> dict[str, Any]:
    counts = activity.counts()
    return {
        "id": activity.pk,
        "region_code": activity.region_id,
        "title": activity.title,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "agency_id": activity.agency_id,
        "agency": activity.agency.name,
        "location_code": activity.location_id,
        "indicator_ids": [i.pk for i in activity.indicators.all()],
        "plan_id": activity.plan_id,
        "rad_activity_key": activity.rad_activity_key,
        "counts": counts,
        "children_reached": rules.reached(counts).children,
        "budget_used": None if activity.budget_used is None else str(activity.budget_used),
        "description": activity.description,
    }


def _file(found: ActivityFile) -> dict[str, Any]:
    return {"id": found.pk, "name": found.name, "kind": found.file_kind, "size": found.size}


@router.get("/regions/{code}/activities", response={200: list[ActivityOut], **ERRORS}, summary="Kegiatan terlaksana")
@paginate(Pagination)
def activities_list(request: HttpRequest, code: str, filters: Query[DateFilter]) -> Any:
    region = access.get_region_for_user(api_user(request), code)
    wanted = selectors.Filters(filters.agency_id, filters.indicator_id, filters.date_from, filters.date_to)
    return [_out(a) for a in selectors.activities(region, wanted)]


@router.post("/regions/{code}/activities", response={201: ActivityOut, **ERRORS}, summary="Catat kegiatan")
def activity_create(request: HttpRequest, code: str, payload: ActivityIn) -> Any:
    user = api_user(request)
    region = access.get_region_for_user(user, code, write=True)
    data = services.ActivityInput(
        title=payload.title,
        start_date=payload.start_date,
        end_date=payload.end_date,
        agency_id=payload.agency_id,
        location_code=payload.location_code,
        indicator_ids=payload.indicator_ids,
        plan_id=payload.plan_id,
        rad_activity_key=payload.rad_activity_key,
        counts=payload.counts,
        budget_used=payload.budget_used,
        description=payload.description,
    )
    activity = services.activity_create(region=region, data=data, by=user)
    return Status(201, _out(activity))


@router.post(
    "/activities/{activity_id}/files",
    response={201: FileOut, **ERRORS, 503: Error, 507: Error},
    summary="Unggah foto atau dokumen kegiatan (multipart)",
)
def activity_file_post(request: HttpRequest, activity_id: Id, file: File[UploadedFile]) -> Any:
    user = api_user(request)
    activity = access.get_activity_for_user(user, activity_id, write=True)
    return Status(201, _file(services.file_add(activity=activity, upload=file, by=user)))
