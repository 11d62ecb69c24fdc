"""The open work a RAD KLA gives an agency (the activities it is responsible for in a plan still running), for
`kla.agencies.handover`.

Deactivating an agency that is responsible for activities of a current plan (its draft, or the version in force of a
plan whose period has not ended) is refused unless they are handed to a successor in the same step; the successor's
operators then record the realisation. Superseded versions and plans of past periods keep their history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from kla.agencies.handover import Keeper
from kla.core import audit
from kla.rad.models import Node, Version

if TYPE_CHECKING:
    from kla.accounts.models import User
    from kla.agencies.models import Agency


def _open(agency: Agency) -> QuerySet[Node]:
    return Node.objects.filter(
        agency=agency,
        version__status__in=[Version.Status.DRAFT, Version.Status.ADOPTED],
        version__plan__end_year__gte=timezone.localdate().year,
    )


def count_open(agency: Agency) -> int:
    return _open(agency).count()


def move_open(agency: Agency, to: Agency, by: User | None) -> int:
    """Make `to` responsible for the agency's activities in current plans (inside the caller's transaction)."""
    ids = sorted(_open(agency).values_list("pk", flat=True))
    if ids:
        Node.objects.filter(pk__in=ids).update(agency=to)
        audit.record(
            action="kla.rad.activities.reassigned",
            by=by,
            obj=agency,
            region_code=agency.region_id,
            before={"agency": agency.pk, "nodes": ids},
            after={"agency": to.pk},
        )
    return len(ids)


KEEPER = Keeper(label="kegiatan RAD KLA", count=count_open, move=move_open)
