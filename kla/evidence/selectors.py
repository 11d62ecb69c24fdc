"""Reads of evidence files."""

from __future__ import annotations

from collections import defaultdict

from kla.evaluations.models import Entry
from kla.evidence.models import Evidence


def files_by_question(entry: Entry) -> dict[int, list[Evidence]]:
    """Active and deleted (restorable) files of an entry, grouped by question; replaced versions are history."""
    grouped: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in (
        Evidence.objects.filter(entry=entry).exclude(status=Evidence.Status.REPLACED).order_by("uploaded_at")
    ):
        grouped[evidence.question_id].append(evidence)
    return grouped
