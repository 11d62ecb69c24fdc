"""Coordination meetings (rakor): planned with invited agencies, then recorded as held with attendance, minutes
and decisions; minutes files come in through the intake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.core import audit
from kla.regions.models import Region
from kla.taskforce import rules
from kla.taskforce.access import require_manage
from kla.taskforce.models import Attendance, Document, Meeting
from kla.taskforce.services import documents
from kla.taskforce.services.scope import agencies_by_id, lock_region

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def meeting_plan(
    *,
    region: Region,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    chair: str = "",
    agenda: str = "",
    invited: Iterable[int] = (),
    by: User | None,
) -> Meeting:
    """Plan a meeting of the region's task force. Refused: no title, neither a place nor an online link, an invited
    agency that does not exist or is not of the region (nothing written)."""
    lock_region(region)
    require_manage(by, region.code)
    if not title.strip():
        raise ValidationError(gettext("Isi judul rapat terlebih dahulu."))
    if not place.strip() and not online_link.strip():
        raise ValidationError(gettext("Isi tempat rapat atau tautan rapat daring; salah satu wajib diisi."))
    agencies = agencies_by_id(invited, region)
    meeting = Meeting.objects.create(
        region=region,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        online_link=online_link.strip(),
        chair=chair.strip(),
        agenda=agenda.strip(),
        created_by=by,
    )
    meeting.invited.set(agencies.values())
    audit.record(
        action="kla.taskforce.meeting.planned",
        by=by,
        obj=meeting,
        region_code=region.code,
        after={**meeting.audit_view(), "invited": sorted(agencies)},
    )
    return meeting


def lock_meeting_for_change(meeting: Meeting, by: User | None) -> Meeting:
    """The meeting under its region's lock, after the manage check (raises PermissionDenied)."""
    lock_region(meeting.region)
    require_manage(by, meeting.region_id)
    return Meeting.objects.select_related("region").get(pk=meeting.pk)


@transaction.atomic
def meeting_hold(
    *,
    meeting: Meeting,
    attendance: Mapping[int, str],
    minutes: str = "",
    decisions: str = "",
    by: User | None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Record a planned meeting as held: which agencies came (agency id → who came), the minutes text and the
    decisions. Refused (nothing written): a meeting whose time has not come, one already recorded, an attending
    agency that does not exist or is not of the region, or nobody present."""
    meeting = lock_meeting_for_change(meeting, by)
    if meeting.is_held:
        raise ValidationError(gettext("Rapat ini sudah dicatat sebagai terlaksana; tidak ada yang perlu diubah."))
    refusal = rules.held_refusal(starts_at=meeting.starts_at, now=now or timezone.now())
    if refusal:
        raise ValidationError(refusal, code="meeting_future")
    if not attendance:
        raise ValidationError(gettext("Centang sedikitnya satu instansi yang hadir dalam rapat."))
    agencies = agencies_by_id(attendance.keys(), meeting.region)
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, agency=agencies[pk], attendees=" ".join(who.split())[:300])
        for pk, who in sorted(attendance.items())
    )
    before = meeting.audit_view()
    meeting.status = Meeting.Status.HELD
    meeting.minutes = minutes.strip()
    meeting.decisions = decisions.strip()
    meeting.held_recorded_at = now or timezone.now()
    meeting.save(update_fields=["status", "minutes", "decisions", "held_recorded_at"])
    audit.record(
        action="kla.taskforce.meeting.held",
        by=by,
        obj=meeting,
        region_code=meeting.region_id,
        before=before,
        after={**meeting.audit_view(), "attendance": sorted(agencies)},
    )
    return meeting


def minutes_add(*, meeting: Meeting, upload: UploadedFile[Any] | None, by: User | None) -> Document:
    """Store a minutes file of a meeting through the intake (inspected, scanned, stored once; audited)."""

    def record(document: Document) -> None:
        audit.record(
            action="kla.taskforce.minutes.added",
            by=by,
            obj=meeting,
            region_code=meeting.region_id,
            after={"document": documents.audit_view(document)},
        )

    return documents.receive(
        upload=upload,
        obj=meeting,
        region_code=meeting.region_id,
        kind=Document.Kind.MINUTES,
        event="kla.taskforce.minutes",
        still_writable=lambda: lock_meeting_for_change(meeting, by),
        by=by,
        then=record,
        meeting=meeting,
    )
