"""The evidence files of RAD KLA realisation as evidence by reference (`kla.evidence.sources`), registered as
``rad_realisation``.

Like activities' files they are not offered by the records a question names (`offers` answers nothing): the entry
page's picker of activity documentation (`activities:pick`) lists them too, and any question may attach one.
`resolve` answers only a file of the same region that has not been removed: another region's is refused the same
way as a missing one (one query).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from kla.evidence.sources import Offer, Offers
from kla.rad import rules
from kla.rad.models import RealisationFile

SOURCE = "rad_realisation"


def offer_of(found: RealisationFile) -> Offer:
    row = found.realisation
    return Offer(
        source=SOURCE,
        source_id=found.pk,
        label=(gettext("Realisasi RAD KLA: %(label)s") % {"label": found.label})[:200],
        evidence_type="photo" if found.is_photo else "report",
        file=found.stored_file(),
        doc_date=rules.quarter_end(row.year, row.quarter),
        period_start=rules.quarter_start(row.year, row.quarter),
        period_end=rules.quarter_end(row.year, row.quarter),
        description=f"Bukti realisasi RAD KLA: {found.label}"[:500],
    )


class RealisationFiles:
    """The provider registered as ``rad_realisation``."""

    def offers(self, *, region_code: str, records: frozenset[str], on: dt.date) -> list[Offers]:
        return []

    def resolve(self, *, region_code: str, source_id: int) -> Offer | None:
        found = (
            RealisationFile.objects.filter(pk=source_id, region_id=region_code, removed_at__isnull=True)
            .select_related("realisation")
            .first()
        )
        return None if found is None else offer_of(found)
