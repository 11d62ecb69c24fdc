"""/api/v1 for the Gugus Tugas: the task force on a date, meetings with attendance and follow-ups, and the writes a
secretariat needs, through the same gates, selectors and services as the pages.

Reads accept a token or the browser session; writes need a token. Another region's objects answer 404, like ids
that do not exist.
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from kla.api.auth import TokenOrSession, api_user
from kla.api.pagination import Pagination
from kla.api.schemas import Error, Id
from kla.taskforce import access, selectors, services
from kla.taskforce.models import Decree, FollowUp, Meeting, Member
from kla.taskforce.rules import TaskForceRole
from kla.taskforce.services.scope import agencies_by_id

router = Router(auth=TokenOrSession(), tags=["gugus tugas"])
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


class AgencyRef(Schema):
    id: int
    name: str
    short_name: str
    region_code: str


class DecreeOut(Schema):
    id: int
    number: str
    date: dt.date
    signer: str
    valid_from: dt.date
    valid_until: dt.date | None
    in_force: bool
    replaced_by: int | None
    file_name: str | None
    file_id: int | None = Field(
        None, description="the file's id, to attach it as evidence by reference (source taskforce)"
    )


class MemberOut(Schema):
    id: int
    agency: AgencyRef
    person_name: str
    position: str
    role: TaskForceRole
    role_label: str
    duties: str
    start: dt.date
    end: dt.date | None


class TaskForceOut(Schema):
    region_code: str
    region_name: str
    on: dt.date
    decree: DecreeOut | None
    members: list[MemberOut]
    meetings_held_per_year: dict[int, int]


class MeetingSummary(Schema):
    id: int
    title: str
    status: Literal["planned", "held"]
    starts_at: dt.datetime
    place: str
    online_link: str
    chair: str


class AttendanceOut(Schema):
    agency: AgencyRef
    attendees: str


class FollowUpOut(Schema):
    id: int
    meeting_id: int
    owner: AgencyRef
    description: str
    due_date: dt.date
    status: Literal["open", "done"]
    overdue: bool
    completion_note: str
    completed_at: dt.datetime | None


class DocumentOut(Schema):
    id: int = Field(description="to attach it as evidence by reference (source taskforce)")
    name: str
    size: int


class MeetingOut(MeetingSummary):
    agenda: str
    minutes: str
    minutes_files: list[DocumentOut]
    decisions: str
    invited: list[AgencyRef]
    attendance: list[AttendanceOut]
    follow_ups: list[FollowUpOut]


class MemberIn(Schema):
    agency_id: Id
    person_name: str
    position: str
    role: TaskForceRole
    duties: str = ""
    start: dt.date
    end: dt.date | None = None


class MeetingIn(Schema):
    title: str
    starts_at: dt.datetime
    place: str = ""
    online_link: str = ""
    chair: str = ""
    agenda: str = ""
    invited: list[Id] = []


class FollowUpIn(Schema):
    owner_id: Id
    description: str
    due_date: dt.date


class CompleteIn(Schema):
    note: str


class OnFilter(Schema):
    on: dt.date | None = None


class StatusFilter(Schema):
    status: Literal["open", "done", "overdue"] | None = None


def _agency(agency: Any) -> dict[str, Any]:
    return {"id": agency.pk, "name": agency.name, "short_name": agency.short_name, "region_code": agency.region_id}


def _decree(decree: Decree) -> dict[str, Any]:
    return {
        **{f: getattr(decree, f) for f in ("number", "date", "signer", "valid_from", "valid_until", "in_force")},
        "id": decree.pk,
        "replaced_by": decree.replaced_by_id,
        "file_name": decree.document.name if decree.document else None,
        "file_id": decree.document_id,
    }


def _member(member: Member) -> dict[str, Any]:
    fields = ("person_name", "position", "role", "duties", "start", "end")
    return {"id": member.pk, "agency": _agency(member.agency), "role_label": member.get_role_display()} | {
        f: getattr(member, f) for f in fields
    }


def _summary(meeting: Meeting) -> dict[str, Any]:
    fields = ("title", "status", "starts_at", "place", "online_link", "chair")
    return {"id": meeting.pk, **{f: getattr(meeting, f) for f in fields}}


def _follow_up(follow_up: FollowUp, today: dt.date) -> dict[str, Any]:
    fields = ("meeting_id", "description", "due_date", "status", "completion_note", "completed_at")
    return {"id": follow_up.pk, "owner": _agency(follow_up.owner), "overdue": follow_up.overdue_on(today)} | {
        f: getattr(follow_up, f) for f in fields
    }


def _meeting(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    detail = selectors.meeting_detail(meeting, api_user(request))
    today = selectors.today()
    return {
        **_summary(meeting),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "minutes_files": [
            {"id": d.pk, "name": d.name, "size": d.size} for d in detail.documents if d.kind == "minutes"
        ],
        "decisions": meeting.decisions,
        "invited": [_agency(a) for a in detail.invited],
        "attendance": [{"agency": _agency(a.agency), "attendees": a.attendees} for a in detail.attendance],
        "follow_ups": [_follow_up(f, today) for f in detail.follow_ups],
    }


@router.get("/regions/{code}/task-force", response={200: TaskForceOut, **ERRORS}, summary="Gugus Tugas satu wilayah")
def taskforce_detail(request: HttpRequest, code: str, filters: Query[OnFilter]) -> Any:
    """The decree in force and the members serving on `on` (today when absent)."""
    region = access.get_region_for_user(api_user(request), code)
    view = selectors.task_force_on(region, filters.on or selectors.today())
    return {
        "region_code": region.code,
        "region_name": region.name,
        "on": view.day,
        "decree": _decree(view.decree) if view.decree else None,
        "members": [_member(m) for m in view.members],
        "meetings_held_per_year": selectors.held_per_year(region),
    }


@router.get("/regions/{code}/meetings", response={200: list[MeetingSummary], **ERRORS}, summary="Rapat koordinasi")
@paginate(Pagination)
def meetings_list(request: HttpRequest, code: str) -> Any:
    region = access.get_region_for_user(api_user(request), code)
    return [_summary(m) for m in selectors.meetings(region)]


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="Satu rapat koordinasi")
def meeting_detail(request: HttpRequest, meeting_id: Id) -> Any:
    """The meeting with its invited agencies, attendance and follow-ups (an operator sees their agency's)."""
    return _meeting(request, access.get_meeting_for_user(api_user(request), meeting_id))


@router.get("/regions/{code}/follow-ups", response={200: list[FollowUpOut], **ERRORS}, summary="Tindak lanjut")
@paginate(Pagination)
def follow_ups_list(request: HttpRequest, code: str, filters: Query[StatusFilter]) -> Any:
    """`?status=overdue`: not done and past the due date."""
    user = api_user(request)
    region = access.get_region_for_user(user, code)
    today = selectors.today()
    return [_follow_up(f, today) for f in selectors.follow_ups(region, user, status=filters.status, today=today)]


@router.post("/regions/{code}/members", response={201: MemberOut, **ERRORS}, summary="Tambah anggota Gugus Tugas")
def member_create(request: HttpRequest, code: str, payload: MemberIn) -> Any:
    user = api_user(request)
    region = access.get_region_for_user(user, code, write=True)
    agency = agencies_by_id([payload.agency_id], region)[payload.agency_id]
    member = services.member_add(
        region=region,
        agency=agency,
        person_name=payload.person_name,
        position=payload.position,
        role=payload.role,
        duties=payload.duties,
        start=payload.start,
        end=payload.end,
        by=user,
    )
    return Status(201, _member(member))


@router.post("/regions/{code}/meetings", response={201: MeetingOut, **ERRORS}, summary="Rencanakan rapat")
def meeting_create(request: HttpRequest, code: str, payload: MeetingIn) -> Any:
    user = api_user(request)
    region = access.get_region_for_user(user, code, write=True)
    meeting = services.meeting_plan(region=region, **payload.dict(), by=user)
    return Status(201, _meeting(request, meeting))


@router.post(
    "/meetings/{meeting_id}/follow-ups", response={201: FollowUpOut, **ERRORS}, summary="Tambah tindak lanjut rapat"
)
def follow_up_create(request: HttpRequest, meeting_id: Id, payload: FollowUpIn) -> Any:
    user = api_user(request)
    meeting = access.get_meeting_for_user(user, meeting_id, write=True)
    owner = agencies_by_id([payload.owner_id], meeting.region)[payload.owner_id]
    follow_up = services.follow_up_add(
        meeting=meeting, owner=owner, description=payload.description, due_date=payload.due_date, by=user
    )
    return Status(201, _follow_up(follow_up, selectors.today()))


@router.post(
    "/follow-ups/{follow_up_id}/complete", response={200: FollowUpOut, **ERRORS}, summary="Catat tindak lanjut selesai"
)
def follow_up_done(request: HttpRequest, follow_up_id: Id, payload: CompleteIn) -> Any:
    user = api_user(request)
    follow_up = access.get_follow_up_for_user(user, follow_up_id, write=True)
    done = services.follow_up_complete(follow_up=follow_up, note=payload.note, by=user)
    return _follow_up(done, selectors.today())
