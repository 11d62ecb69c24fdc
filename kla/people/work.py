"""What a user still holds when they leave their post: the work that is theirs personally, and what stays with
their agency.

Personal: their active memberships (roles), the indicators they returned for correction and will review once
resubmitted (`Entry.returned_by`), the open field-verification plans whose team they are on, and their exports still
being built. An agency's indicator assignments and the follow-ups of task-force meetings belong to the agency, not
to the person, and stay where they are (their counts are shown for the record).
"""

from __future__ import annotations

from dataclasses import dataclass

from kla.accounts import access
from kla.accounts.models import Membership, User
from kla.evaluations.models import Assignment, Entry, Evaluation
from kla.fieldvisits.models import FieldPlan
from kla.reports.models import UNFINISHED, Export
from kla.reports.selectors import my_exports
from kla.taskforce.models import FollowUp

CLOSED = (Evaluation.Status.DETERMINED, Evaluation.Status.PUBLISHED, Evaluation.Status.BELOW_GATE)


@dataclass(frozen=True, slots=True)
class OpenWork:
    memberships: list[Membership]
    returned_entries: list[Entry]
    field_plans: list[FieldPlan]
    exports: list[Export]
    agency_assignments: int  # open indicator assignments of the agencies they operate for: the agency's, not theirs
    agency_follow_ups: int  # open follow-ups owned by those agencies

    @property
    def personal(self) -> int:
        return len(self.memberships) + len(self.returned_entries) + len(self.field_plans) + len(self.exports)


def returned_entries(user: User) -> list[Entry]:
    return list(
        Entry.objects.filter(status=Entry.Status.RETURNED, returned_by=user)
        .select_related("indicator", "evaluation__region")
        .order_by("return_deadline", "pk")
    )


def field_plans(user: User) -> list[FieldPlan]:
    return list(
        FieldPlan.objects.filter(team=user)
        .exclude(evaluation__status__in=CLOSED)
        .select_related("evaluation__region")
        .order_by("visit_date", "pk")
    )


def open_work(user: User) -> OpenWork:
    """Everything above, in 7 queries whatever the amount (5 for someone who operates for no agency)."""
    memberships = list(Membership.objects.active().filter(user=user).select_related("region", "agency"))
    agencies = [m.agency_id for m in memberships if m.agency_id is not None]
    return OpenWork(
        memberships=memberships,
        returned_entries=returned_entries(user),
        field_plans=field_plans(user),
        exports=[e for e in my_exports(user, limit=50) if e.status in UNFINISHED],
        agency_assignments=Assignment.objects.filter(
            agency_id__in=agencies, entry__status__in=[Entry.Status.OPEN, Entry.Status.RETURNED]
        ).count(),
        agency_follow_ups=FollowUp.objects.filter(owner_id__in=agencies, status=FollowUp.Status.OPEN).count(),
    )


def successors_for(manager: User, leaver: User) -> list[User]:
    """Who may take the work over: the active users the manager manages, the leaver aside (one query)."""
    return list(access.managed_users(manager).exclude(pk=leaver.pk)[:500])
