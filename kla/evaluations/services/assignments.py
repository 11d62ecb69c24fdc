"""Which agencies answer which entry: set by hand or from the instrument's typical agencies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.roles import Action
from kla.agencies.models import Agency
from kla.core import audit
from kla.evaluations.models import Assignment, Entry, Evaluation

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def assignment_set(*, entry: Entry, agencies: Iterable[Agency], by: User | None) -> Entry:
    """Replace the agencies responsible for an entry (only agencies of the entry's own kab/kota)."""
    region_code = entry.evaluation.region_id
    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, region_code)
    wanted = {a.pk: a for a in agencies}
    if any(a.region_id != region_code for a in wanted.values()):
        raise ValidationError(gettext("Hanya instansi dari kabupaten/kota ini yang dapat ditugaskan."))
    before = sorted(entry.assignments.values_list("agency_id", flat=True))
    entry.assignments.exclude(agency_id__in=wanted).delete()
    Assignment.objects.bulk_create(
        [Assignment(entry=entry, agency_id=pk, assigned_by=by) for pk in wanted if pk not in before],
    )
    after = sorted(wanted)
    if before != after:
        audit.record(
            action="kla.entry.assigned",
            by=by,
            obj=entry,
            region_code=region_code,
            before={"agencies": before},
            after={"agencies": after},
        )
    return entry


@transaction.atomic
def assignments_auto(*, evaluation: Evaluation, by: User | None) -> int:
    """Assign every unassigned entry to the region's agencies that the instrument names as typically responsible."""
    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, evaluation.region_id)
    agencies = list(Agency.objects.filter(region_id=evaluation.region_id, is_active=True))
    created = 0
    for entry in evaluation.entries.select_related("indicator").filter(assignments__isnull=True):
        matching = [a for a in agencies if a.kind in entry.indicator.agencies]
        if matching:
            assignment_set(entry=entry, agencies=matching, by=by)
            created += 1
    return created
