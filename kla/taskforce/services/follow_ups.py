"""Follow-ups agreed at a meeting: an owner agency of the region, a due date; completed with a note and evidence."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access as account_access
from kla.agencies.models import Agency
from kla.core import audit
from kla.taskforce.access import MANAGE_REFUSED, can_manage
from kla.taskforce.models import Document, FollowUp, Meeting
from kla.taskforce.services import documents
from kla.taskforce.services.meetings import lock_meeting_for_change
from kla.taskforce.services.scope import check_agency, lock_region

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def follow_up_add(*, meeting: Meeting, owner: Agency, description: str, due_date: dt.date, by: User | None) -> FollowUp:
    """Add a follow-up to a held meeting. Refused (nothing written): a planned meeting, an owner agency outside the
    region, an empty description."""
    meeting = lock_meeting_for_change(meeting, by)
    if not meeting.is_held:
        raise ValidationError(gettext("Tindak lanjut dicatat sesudah rapat dicatat sebagai terlaksana."))
    check_agency(owner, meeting.region)
    if not description.strip():
        raise ValidationError(gettext("Isi uraian tindak lanjut terlebih dahulu."))
    follow_up = FollowUp.objects.create(
        region=meeting.region,
        meeting=meeting,
        owner=owner,
        description=description.strip(),
        due_date=due_date,
        created_by=by,
    )
    audit.record(
        action="kla.taskforce.follow_up.added",
        by=by,
        obj=follow_up,
        region_code=meeting.region_id,
        after=follow_up.audit_view(),
    )
    return follow_up


def lock_follow_up_for_change(follow_up: FollowUp, by: User | None) -> FollowUp:
    """The follow-up under its region's lock; refused unless the user manages the task force or operates for the
    owner agency, or the follow-up is done already."""
    lock_region(follow_up.region)
    follow_up = FollowUp.objects.select_related("region", "owner").get(pk=follow_up.pk)
    if by is not None and not (
        can_manage(by, follow_up.region_id) or follow_up.owner_id in account_access.agency_ids(by)
    ):
        raise PermissionDenied(MANAGE_REFUSED)
    if follow_up.is_done:
        raise ValidationError(gettext("Tindak lanjut ini sudah dicatat selesai; tidak ada yang perlu diubah."))
    return follow_up


def follow_up_complete(
    *,
    follow_up: FollowUp,
    note: str,
    upload: UploadedFile[Any] | None = None,
    by: User | None,
    now: dt.datetime | None = None,
) -> FollowUp:
    """Record a follow-up as done with a note and, optionally, an evidence file (through the intake)."""
    if not note.strip():
        raise ValidationError(gettext("Tuliskan catatan penyelesaian: apa yang sudah dikerjakan."))
    when = now or timezone.now()
    if upload is None:
        with transaction.atomic():
            return _complete(lock_follow_up_for_change(follow_up, by), note, None, when, by)
    done: list[FollowUp] = []
    documents.receive(
        upload=upload,
        obj=follow_up,
        region_code=follow_up.region_id,
        kind=Document.Kind.FOLLOW_UP,
        event="kla.taskforce.follow_up",
        still_writable=lambda: lock_follow_up_for_change(follow_up, by),
        by=by,
        then=lambda document: done.append(_complete(follow_up, note, document, when, by)),
        follow_up=follow_up,
    )
    return done[0]


def _complete(
    follow_up: FollowUp, note: str, document: Document | None, when: dt.datetime, by: User | None
) -> FollowUp:
    before = follow_up.audit_view()
    follow_up.status = FollowUp.Status.DONE
    follow_up.completion_note = note.strip()
    follow_up.completed_at = when
    follow_up.completed_by = by
    follow_up.save(update_fields=["status", "completion_note", "completed_at", "completed_by"])
    audit.record(
        action="kla.taskforce.follow_up.completed",
        by=by,
        obj=follow_up,
        region_code=follow_up.region_id,
        before=before,
        after={**follow_up.audit_view(), "file": documents.audit_view(document)},
    )
    return follow_up
