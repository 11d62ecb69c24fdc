"""Reads of the Gugus Tugas, each a fixed number of queries whatever the data (pinned in tests/test_query_scale.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.agencies.models import Agency
from kla.regions.models import Region
from kla.taskforce import rules
from kla.taskforce.access import operator_agency_ids
from kla.taskforce.models import Attendance, Decree, Document, FollowUp, Meeting, Member

ROLE_ORDER = {role.value: i for i, role in enumerate(rules.TaskForceRole)}


@dataclass(frozen=True)
class TaskForceOn:
    """The task force of a region on one day: the decree in force then and the members serving then."""

    region: Region
    day: dt.date
    decree: Decree | None
    members: list[Member]
    decrees: list[Decree] = field(default_factory=list)  # every decree, latest first


def task_force_on(region: Region, day: dt.date) -> TaskForceOn:
    """Two queries: the decrees (with their files) and the members serving on `day` (with their agencies)."""
    decrees = list(Decree.objects.filter(region=region).select_related("document", "replaced_by"))
    current = _decree_on(decrees, day)
    members = list(
        Member.objects.filter(region=region, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("agency")
    )
    members.sort(key=lambda m: (ROLE_ORDER[m.role], m.person_name.casefold()))
    return TaskForceOn(region=region, day=day, decree=current, members=members, decrees=decrees)


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


def kabkota_of(region: Region) -> list[Region]:
    """The kabupaten/kota of a province (whose task forces the province and the ministry read); none for a kab/kota."""
    if region.parent_id is not None:
        return []
    return list(Region.objects.filter(parent=region, level="kabkota").order_by("code"))


def agencies_for(region: Region) -> QuerySet[Agency]:
    """The agencies that may take part: the region's own and, for a kab/kota, the provincial bodies of its province."""
    codes = [region.code] if region.parent_id is None else [region.code, region.parent_id]
    return Agency.objects.filter(region_id__in=codes, is_active=True).order_by("region_id", "short_name")


def meetings(region: Region) -> list[Meeting]:
    """The region's meetings, latest first, with their attendance and follow-up counts (one query)."""
    return list(
        Meeting.objects.filter(region=region).annotate(
            attended=Count("attendance", distinct=True), follow_up_count=Count("follow_ups", distinct=True)
        )
    )


def held_per_year(region: Region) -> dict[int, int]:
    """How many meetings the region's task force held in each year."""
    dates = Meeting.objects.filter(region=region, status=Meeting.Status.HELD).values_list("starts_at", flat=True)
    return rules.meetings_per_year(d.date() for d in dates)


@dataclass(frozen=True)
class MeetingDetail:
    meeting: Meeting
    invited: list[Agency]
    attendance: list[Attendance]
    documents: list[Document]
    follow_ups: list[FollowUp]


def meeting_detail(meeting: Meeting, user: Visitor) -> MeetingDetail:
    """A meeting with its invited agencies, attendance, minutes files and follow-ups (an operator-only reader sees
    their agency's follow-ups only). Four queries."""
    own = operator_agency_ids(user, meeting.region_id)
    follow_ups = FollowUp.objects.filter(meeting=meeting).select_related("owner")
    if own is not None:
        follow_ups = follow_ups.filter(owner_id__in=own)
    return MeetingDetail(
        meeting=meeting,
        invited=list(meeting.invited.order_by("short_name")),
        attendance=list(meeting.attendance.select_related("agency")),
        documents=list(meeting.documents.all()),
        follow_ups=list(follow_ups),
    )


FOLLOW_UP_STATUSES = ("open", "done", "overdue")


def follow_ups(region: Region, user: Visitor, *, status: str | None, today: dt.date) -> list[FollowUp]:
    """The region's follow-ups (an operator-only reader: their agency's), by status; `overdue` = open and past due."""
    qs = FollowUp.objects.filter(region=region).select_related("owner", "meeting")
    own = operator_agency_ids(user, region.code)
    if own is not None:
        qs = qs.filter(owner_id__in=own)
    if status == "overdue":
        qs = qs.filter(status=FollowUp.Status.OPEN, due_date__lt=today)
    elif status in ("open", "done"):
        qs = qs.filter(status=status)
    return list(qs)


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
