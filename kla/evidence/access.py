"""Gate for evidence files: visible exactly where its entry is visible; changed by whoever may answer the entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from kla.accounts import access
from kla.evaluations.access import can_answer
from kla.evidence.models import Evidence

if TYPE_CHECKING:
    from kla.accounts.models import User


def get_evidence_for_user(user: User, pk: int, *, write: bool = False) -> Evidence:
    found = Evidence.objects.select_related(
        "entry__evaluation__cycle", "entry__evaluation__region", "entry__indicator", "question"
    ).prefetch_related("entry__assignments")
    evidence = access.get_in_scope(user, found, pk, "entry.evaluation.region_id")
    if write and not can_answer(user, evidence.entry, {a.agency_id for a in evidence.entry.assignments.all()}):
        raise PermissionDenied(gettext("Anda tidak dapat mengubah bukti dukung indikator ini."))
    return evidence
