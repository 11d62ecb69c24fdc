"""An activity's photos and documents as evidence by reference (`kla.evidence.sources`), registered as
``activities``.

They are not offered by the records a question names (`offers` answers nothing): the entry page's picker
(`activities:pick`) lists the region's activity files and any question may attach one. `resolve` answers only a file
of the same region that has not been removed: another region's is refused the same way as a missing one.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from kla.activities.models import ActivityFile
from kla.core.formatting import format_date
from kla.evidence.sources import Offer, Offers

SOURCE = "activities"


def offer_of(found: ActivityFile) -> Offer:
    activity = found.activity
    return Offer(
        source=SOURCE,
        source_id=found.pk,
        label=(
            gettext("Kegiatan: %(title)s, %(start_date)s")
            % {"title": activity.title, "start_date": format_date(activity.start_date)}
        )[:200],
        evidence_type="photo" if found.is_photo else "report",
        file=found.stored_file(),
        doc_date=activity.start_date,
        issuer=activity.agency.name[:200],
        period_start=activity.start_date,
        period_end=activity.end_date,
        description=f"Dokumentasi kegiatan: {activity.title}"[:500],
    )


class ActivityFiles:
    """The provider registered as ``activities``: one query to resolve a file."""

    def offers(self, *, region_code: str, records: frozenset[str], on: dt.date) -> list[Offers]:
        return []

    def resolve(self, *, region_code: str, source_id: int) -> Offer | None:
        found = (
            ActivityFile.objects.filter(pk=source_id, region_id=region_code, removed_at__isnull=True)
            .select_related("activity__agency")
            .first()
        )
        return None if found is None else offer_of(found)
