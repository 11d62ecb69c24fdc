"""The open work an evaluation gives an agency (its indicator assignments), for `kla.agencies.handover`.

An assignment is open while its entry can still be answered: the evaluation is being filled (draft) or the entry
was returned for correction, in a cycle that is not closed. Handing over moves those assignments to the successor
(an entry the successor already has keeps one assignment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from kla.agencies.handover import Keeper
from kla.core import audit
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation

if TYPE_CHECKING:
    from kla.accounts.models import User
    from kla.agencies.models import Agency


def _open(agency: Agency) -> QuerySet[Assignment]:
    still_open = Q(entry__evaluation__status=Evaluation.Status.DRAFT) | Q(entry__status=Entry.Status.RETURNED)
    return Assignment.objects.filter(still_open, agency=agency).exclude(
        entry__evaluation__cycle__status=Cycle.Status.CLOSED
    )


def count_open(agency: Agency) -> int:
    return _open(agency).count()


def move_open(agency: Agency, to: Agency, by: User | None) -> int:
    """Move the agency's open assignments to `to` (inside the caller's transaction); the number of entries."""
    entry_ids = list(_open(agency).values_list("entry_id", flat=True))
    already = set(Assignment.objects.filter(entry_id__in=entry_ids, agency=to).values_list("entry_id", flat=True))
    Assignment.objects.filter(agency=agency, entry_id__in=already).delete()
    Assignment.objects.filter(agency=agency, entry_id__in=set(entry_ids) - already).update(agency=to, assigned_by=by)
    if entry_ids:
        audit.record(
            action="kla.entry.reassigned",
            by=by,
            obj=agency,
            region_code=agency.region_id,
            before={"agency": agency.pk, "entries": sorted(entry_ids)},
            after={"agency": to.pk},
        )
    return len(entry_ids)


KEEPER = Keeper(label="penugasan indikator", count=count_open, move=move_open)
