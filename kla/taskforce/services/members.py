"""Members of a task force: added for a date range, ended on a date (never deleted: the past stays visible)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from kla.agencies.models import Agency
from kla.core import audit
from kla.regions.models import Region
from kla.taskforce import rules
from kla.taskforce.access import require_manage
from kla.taskforce.models import Member
from kla.taskforce.services.scope import check_agency, lock_region

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def member_add(
    *,
    region: Region,
    agency: Agency,
    person_name: str,
    position: str,
    role: rules.TaskForceRole,
    start: dt.date,
    end: dt.date | None = None,
    duties: str = "",
    by: User | None,
) -> Member:
    """Add one person to the region's task force for an agency of the region (or a provincial body of its province).

    Refused (ValidationError, nothing written): reversed dates; the same person in the same role on overlapping
    dates; a second ketua at the same time; an agency outside the region; an empty name or position.
    """
    lock_region(region)
    require_manage(by, region.code)
    check_agency(agency, region)
    if not person_name.strip() or not position.strip():
        raise ValidationError(gettext("Isi nama dan jabatan anggota terlebih dahulu."))
    candidate = rules.Span(" ".join(person_name.split()), rules.TaskForceRole(role), start, end)
    refusal = rules.member_refusal(candidate, _spans(region, candidate))
    if refusal:
        raise ValidationError(refusal, code="member_overlap")
    member = Member.objects.create(
        region=region,
        agency=agency,
        person_name=candidate.person,
        position=position.strip(),
        role=candidate.role.value,
        duties=duties.strip(),
        start=start,
        end=end,
        created_by=by,
    )
    audit.record(
        action="kla.taskforce.member.added", by=by, obj=member, region_code=region.code, after=member.audit_view()
    )
    return member


def _spans(region: Region, candidate: rules.Span) -> list[rules.Span]:
    """The memberships the candidate could clash with: the same person (any spelling of spaces/case) or a ketua."""
    rows = Member.objects.filter(region=region).filter(
        Q(person_name__iexact=candidate.person) | Q(role=rules.TaskForceRole.KETUA.value)
    )
    return [m.span() for m in rows]


@transaction.atomic
def member_end(*, member: Member, end: dt.date, by: User | None) -> Member:
    """End a membership on `end` (inclusive): the member stays on the task force of earlier dates."""
    lock_region(member.region)
    require_manage(by, member.region_id)
    member = Member.objects.select_related("region", "agency").get(pk=member.pk)
    refusal = rules.end_refusal(member.span(), end)
    if refusal:
        raise ValidationError(refusal, code="member_end")
    before = member.audit_view()
    member.end = end
    member.save(update_fields=["end"])
    audit.record(
        action="kla.taskforce.member.ended",
        by=by,
        obj=member,
        region_code=member.region_id,
        before=before,
        after=member.audit_view(),
    )
    return member
