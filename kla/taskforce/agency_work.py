"""The open work a task force gives an agency (its follow-ups not yet done), for `kla.agencies.handover`.

Deactivating an agency that still owns open follow-ups is refused unless they are handed to a successor in the same
step, as for its indicator assignments (`kla.evaluations.agency_work`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from kla.agencies.handover import Keeper
from kla.core import audit
from kla.taskforce.models import FollowUp

if TYPE_CHECKING:
    from kla.accounts.models import User
    from kla.agencies.models import Agency


def _open(agency: Agency) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(owner=agency, status=FollowUp.Status.OPEN)


def count_open(agency: Agency) -> int:
    return _open(agency).count()


def move_open(agency: Agency, to: Agency, by: User | None) -> int:
    """Give the agency's open follow-ups to `to` (inside the caller's transaction); how many moved."""
    ids = sorted(_open(agency).values_list("pk", flat=True))
    if ids:
        FollowUp.objects.filter(pk__in=ids).update(owner=to)
        audit.record(
            action="kla.taskforce.follow_up.reassigned",
            by=by,
            obj=agency,
            region_code=agency.region_id,
            before={"owner": agency.pk, "follow_ups": ids},
            after={"owner": to.pk},
        )
    return len(ids)


KEEPER = Keeper(label="tindak lanjut rapat", count=count_open, move=move_open)
