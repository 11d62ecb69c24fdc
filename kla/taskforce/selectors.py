"""Reads of the Gugus Tugas, each a fixed number of queries whatever the data (pinned in tests/test_query_scale.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.utils import timezone

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.accounts.roles import Role
from kla.agencies.models import Agency
from kla.regions.models import Region
from kla.taskforce import rules
from kla.taskforce.access import can_manage, operator_agency_ids
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


SOON_DAYS = 7  # "due soon": due today or within the next week
PANEL_ROWS = 10  # rows a dashboard panel lists; the totals count the rest


@dataclass(frozen=True)
class DueRow:
    """One open follow-up as a panel shows it: days late (0 = not late) or days left until its due date."""

    follow_up: FollowUp
    days_late: int
    days_left: int


@dataclass(frozen=True)
class DuePanel:
    """Open follow-ups for a dashboard: the first rows (overdue first, the longest late on top) and the totals."""

    rows: list[DueRow]
    overdue: int
    due_soon: int
    open: int
    region_codes: list[str]
    today: dt.date
    listed: int  # how many the panel would list without its row limit: the overdue ones, or every open one

    @property
    def more(self) -> int:
        """How many were left off beyond the row limit."""
        return max(self.listed - len(self.rows), 0)


def overdue_for_region(
    region_code: str, *, today: dt.date, owners: Collection[int] | None = None, limit: int = PANEL_ROWS
) -> DuePanel:
    """The region's overdue follow-ups (only those of `owners` when given: an operator-only reader) and how many
    fall due in the next `SOON_DAYS` days. Two queries."""
    return overdue_for_regions([region_code], today=today, owners=owners, limit=limit)


def overdue_for_regions(
    region_codes: Collection[str], *, today: dt.date, owners: Collection[int] | None = None, limit: int = PANEL_ROWS
) -> DuePanel:
    """`overdue_for_region` over several regions at once (a user managing more than one task force)."""
    scope = Q(region_id__in=list(region_codes))
    if owners is not None:
        scope &= Q(owner_id__in=list(owners))
    return _due_panel(scope, sorted(region_codes), today=today, limit=limit, overdue_only=True)


def open_for_operator(user: Visitor, *, today: dt.date, limit: int = PANEL_ROWS) -> DuePanel | None:
    """The open follow-ups owned by the agencies the user operates for, in the regions of those memberships (the
    same follow-ups the task-force pages show them), overdue first; None for a user who operates for no agency."""
    pairs = {
        (m.region_id, m.agency_id)
        for m in access.memberships(user)
        if Role(m.role) == Role.OPD_OPERATOR and m.agency_id is not None and m.region_id is not None
    }
    if not pairs:
        return None
    scope = reduce(or_, (Q(region_id=region, owner_id=agency) for region, agency in sorted(pairs)))
    codes = sorted({region for region, _ in pairs})
    return _due_panel(scope, codes, today=today, limit=limit, overdue_only=False)


def managed_regions(user: Visitor) -> list[str]:
    """The regions whose task force the user manages (the secretariat: its kab/kota), no query."""
    codes = {m.region_id for m in access.memberships(user) if m.region_id is not None}
    return sorted(code for code in codes if can_manage(user, code))


def _due_panel(scope: Q, codes: list[str], *, today: dt.date, limit: int, overdue_only: bool) -> DuePanel:
    open_ = FollowUp.objects.filter(scope, status=FollowUp.Status.OPEN)
    late = Q(due_date__lt=today)
    soon = Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=SOON_DAYS))
    totals = open_.aggregate(open=Count("pk"), overdue=Count("pk", filter=late), due_soon=Count("pk", filter=soon))
    # the rows are read even when the totals say there are none: the same two queries whatever the data
    found = open_.filter(late) if overdue_only else open_
    rows = [
        DueRow(
            follow_up=f,
            days_late=rules.days_overdue(due=f.due_date, done=False, today=today),
            days_left=max((f.due_date - today).days, 0),
        )
        for f in found.select_related("owner", "meeting").order_by("due_date", "pk")[:limit]
    ]
    return DuePanel(
        rows=rows,
        overdue=totals["overdue"],
        due_soon=totals["due_soon"],
        open=totals["open"],
        region_codes=codes,
        today=today,
        listed=totals["overdue"] if overdue_only else totals["open"],
    )


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
