"""Gate for evidence files: visible exactly where its entry is visible; changed by whoever may answer the entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kla.accounts import access
from kla.accounts.roles import Action
from kla.evaluations.access import can_answer
from kla.evidence.models import Evidence

if TYPE_CHECKING:
    from kla.accounts.models import User


def get_evidence_for_user(user: User, pk: int, *, write: bool = False) -> Evidence:
    evidence = (
        Evidence.objects.select_related(
            "entry__evaluation__cycle", "entry__evaluation__region", "entry__indicator", "question"
        )
        .prefetch_related("entry__assignments")
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404("Bukti dukung tidak ditemukan.")
    access.require(user, Action.EVALUATION_VIEW, evidence.entry.evaluation.region_id)
    if write and not can_answer(user, evidence.entry, {a.agency_id for a in evidence.entry.assignments.all()}):
        raise PermissionDenied("Anda tidak dapat mengubah bukti dukung indikator ini.")
    return evidence
