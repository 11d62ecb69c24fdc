"""Reads of the Gugus Tugas, each a fixed number of queries whatever the data (pinned in tests/test_query_scale.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.agencies.models import Agency
from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.regions.models import Region
from kla.taskforce import rules
from kla.taskforce.access import can_manage, operator_agency_ids
from kla.taskforce.due import PANEL_ROWS as PANEL_ROWS  # the dashboard panels' reads, where their callers find them
from kla.taskforce.due import SOON_DAYS as SOON_DAYS
from kla.taskforce.due import DuePanel as DuePanel
from kla.taskforce.due import DueRow as DueRow
from kla.taskforce.due import open_for_operator as open_for_operator
from kla.taskforce.due import overdue_for_region as overdue_for_region
from kla.taskforce.due import overdue_for_regions as overdue_for_regions
from kla.taskforce.models import Attendance, Decree, Document, FollowUp, Meeting, Member

ROLE_ORDER = {role.value: i for i, role in enumerate(rules.TaskForceRole)}

# The reads every task-force page repeats, compiled once per process (building and compiling a query cost more than
# running it); a filter on a date or on a set of agencies is applied in Python to the region's rows.
_DECREES: CompiledQuery[Decree] = CompiledQuery(
    lambda region: Decree.objects.filter(region_id=region).select_related("document", "replaced_by"), str
)
_MEMBERS: CompiledQuery[Member] = CompiledQuery(
    lambda region: Member.objects.filter(region_id=region).select_related("agency"), str
)
_MEMBER_LINES = CompiledRows(
    lambda region: Member.objects.filter(region_id=region).values_list(
        "pk", "role", "person_name", "position", "agency__short_name", "duties", "start", "end"
    ),
    str,
)
_HELD = CompiledRows(
    lambda region: Meeting.objects.filter(region_id=region, status=Meeting.Status.HELD).values_list("starts_at"), str
)
_KABKOTA = CompiledRows(
    lambda parent: (
        Region.objects.filter(parent_id=parent, level="kabkota").order_by("code").values_list("code", "name")
    ),
    str,
)
_MEETING_ROWS = CompiledRows(
    lambda region: (
        Meeting.objects.filter(region_id=region)
        .annotate(attended=Count("attendance", distinct=True), follow_up_count=Count("follow_ups", distinct=True))
        .values_list("pk", "title", "status", "starts_at", "attended", "follow_up_count")
    ),
    str,
)
_INVITED = CompiledQuery(
    lambda meeting: (
        Meeting.invited.through.objects.filter(meeting_id=meeting)
        .select_related("agency")
        .order_by("agency__short_name")
    ),
    int,
)
_ATTENDANCE: CompiledQuery[Attendance] = CompiledQuery(
    lambda meeting: Attendance.objects.filter(meeting_id=meeting).select_related("agency"), int
)
_DOCUMENTS: CompiledQuery[Document] = CompiledQuery(lambda meeting: Document.objects.filter(meeting_id=meeting), int)
_MEETING_FOLLOW_UPS: CompiledQuery[FollowUp] = CompiledQuery(
    lambda meeting: FollowUp.objects.filter(meeting_id=meeting).select_related("owner"), int
)
_FOLLOW_UPS: CompiledQuery[FollowUp] = CompiledQuery(
    lambda region: FollowUp.objects.filter(region_id=region).select_related("owner", "meeting"), str
)
_FOLLOW_UPS_IN: CompiledQuery[FollowUp] = CompiledQuery(
    lambda region, status: FollowUp.objects.filter(region_id=region, status=status).select_related("owner", "meeting"),
    str,
    str,
)


@dataclass(frozen=True)
class TaskForceOn:
    """The task force of a region on one day: the decree in force then and the members serving then."""

    region: Region
    day: dt.date
    decree: Decree | None
    members: list[Member]
    decrees: list[Decree] = field(default_factory=list)  # every decree, latest first


def task_force_on(region: Region, day: dt.date, *, with_members: bool = True) -> TaskForceOn:
    """Two queries: the decrees (with their files) and the region's members (with their agencies), of whom those
    serving on `day` are kept; one without the members (a page reading them as `member_lines_on`)."""
    decrees = _DECREES.fetch(region.code)
    current = _decree_on(decrees, day)
    members = []
    if with_members:
        members = [m for m in _MEMBERS.fetch(region.code) if m.start <= day and (m.end is None or day <= m.end)]
        members.sort(key=lambda m: (ROLE_ORDER[m.role], m.person_name.casefold()))
    return TaskForceOn(region=region, day=day, decree=current, members=members, decrees=decrees)


@dataclass(frozen=True, slots=True)
class MemberLine:
    """A member as the task-force page lists them: plain values, the agency by its short name."""

    pk: int
    role: str
    person_name: str
    position: str
    agency: str
    duties: str
    start: dt.date
    end: dt.date | None


def member_lines_on(region: Region, day: dt.date) -> list[MemberLine]:
    """`task_force_on(region, day).members` as plain rows, in the same order (one query)."""
    lines = [MemberLine(*row) for row in _MEMBER_LINES.fetch(region.code)]
    serving = [m for m in lines if m.start <= day and (m.end is None or day <= m.end)]
    serving.sort(key=lambda m: (ROLE_ORDER[m.role], m.person_name.casefold()))
    return serving


def _decree_on(decrees: list[Decree], day: dt.date) -> Decree | None:
    """The latest decree valid on `day` (a replaced one counts until its successor starts)."""
    valid = [
        d
        for d in decrees
        if d.valid_from <= day
        and (d.valid_until is None or day <= d.valid_until)
        and (d.replaced_by is None or day < d.replaced_by.valid_from)
    ]
    return max(valid, key=lambda d: (d.date, d.pk), default=None)


def decree_in_force(region: Region) -> Decree | None:
    return Decree.objects.filter(region=region, in_force=True).first()


def kabkota_of(region: Region) -> list[tuple[str, str]]:
    """The code and name of each kabupaten/kota of a province (whose task forces the province and the ministry read);
    none for a kab/kota."""
    if region.parent_id is not None:
        return []
    return [(code, name) for code, name in _KABKOTA.fetch(region.code)]


def meetings(region: Region) -> list[Meeting]:
    """The region's meetings, latest first, with their attendance and follow-up counts (one query)."""
    return list(
        Meeting.objects.filter(region=region).annotate(
            attended=Count("attendance", distinct=True), follow_up_count=Count("follow_ups", distinct=True)
        )
    )


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting of the list, with how many agencies attended and how many follow-ups it set."""

    pk: int
    title: str
    status: str
    starts_at: dt.datetime
    attended: int
    follow_up_count: int


def meeting_rows(region: Region) -> list[MeetingRow]:
    """The region's meetings as plain rows, latest first (one query)."""
    return [MeetingRow(*row) for row in _MEETING_ROWS.fetch(region.code)]


def held_per_year(region: Region, rows: list[MeetingRow] | None = None) -> dict[int, int]:
    """How many meetings the region's task force held in each year (from `rows` when the caller has them)."""
    if rows is not None:
        return rules.meetings_per_year(r.starts_at.date() for r in rows if r.status == Meeting.Status.HELD)
    return rules.meetings_per_year(starts_at.date() for (starts_at,) in _HELD.fetch(region.code))


@dataclass(frozen=True)
class MeetingDetail:
    meeting: Meeting
    invited: list[Agency]
    attendance: list[Attendance]
    documents: list[Document]
    follow_ups: list[FollowUp]


def meeting_detail(meeting: Meeting, user: Visitor, *, with_invited: bool = True) -> MeetingDetail:
    """A meeting with its invited agencies (unless not asked for), attendance, minutes files and follow-ups (an
    operator-only reader sees their agency's follow-ups only). Four queries (three without the invited)."""
    own = operator_agency_ids(user, meeting.region_id)
    invited = [link.agency for link in _INVITED.fetch(meeting.pk)] if with_invited else []
    attendance = _ATTENDANCE.fetch(meeting.pk)
    documents = _DOCUMENTS.fetch(meeting.pk)
    follow_ups = [f for f in _MEETING_FOLLOW_UPS.fetch(meeting.pk) if own is None or f.owner_id in own]
    for row in (*attendance, *documents, *follow_ups):
        row._state.fields_cache["meeting"] = meeting  # as the related managers set it
    return MeetingDetail(
        meeting=meeting, invited=invited, attendance=attendance, documents=documents, follow_ups=follow_ups
    )


FOLLOW_UP_STATUSES = ("open", "done", "overdue")


def follow_ups(region: Region, user: Visitor, *, status: str | None, today: dt.date) -> list[FollowUp]:
    """The region's follow-ups (an operator-only reader: their agency's), by status; `overdue` = open and past due."""
    if status == "overdue":
        found = [f for f in _FOLLOW_UPS_IN.fetch(region.code, FollowUp.Status.OPEN) if f.due_date < today]
    elif status in ("open", "done"):
        found = _FOLLOW_UPS_IN.fetch(region.code, status)
    else:
        found = _FOLLOW_UPS.fetch(region.code)
    own = operator_agency_ids(user, region.code)
    return found if own is None else [f for f in found if f.owner_id in own]


def managed_regions(user: Visitor) -> list[str]:
    """The regions whose task force the user manages (the secretariat: its kab/kota), no query."""
    codes = {m.region_id for m in access.memberships(user) if m.region_id is not None}
    return sorted(code for code in codes if can_manage(user, code))


def regions_for(user: Visitor) -> list[Region]:
    """The regions whose task force the user reads directly: their own region, a province with its kab/kota; the
    ministry: every province (one query or two)."""
    codes = {m.region_id for m in access.memberships(user) if m.region_id is not None}
    if any(m.region_id is None for m in access.memberships(user)):
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    return list(Region.objects.filter(Q(code__in=codes) | Q(parent_id__in=codes), level__in=["provinsi", "kabkota"]))


def today() -> dt.date:
    """Today in the platform's zone (the day follow-ups fall overdue)."""
    return timezone.localdate()
