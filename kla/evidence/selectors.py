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


def duplicates_elsewhere(entry: Entry) -> dict[int, list[str]]:
    """For each file of the entry, the other kab/kota whose evaluations hold the same file (by original SHA-256).

    For verifiers only: the regions themselves are never told about each other's files.
    """
    own = list(
        Evidence.objects.filter(entry=entry)
        .exclude(status=Evidence.Status.REPLACED)
        .values_list("pk", "original_sha256")
    )
    if not own:
        return {}
    region = entry.evaluation.region_id
    others: dict[str, set[str]] = defaultdict(set)
    for sha, name in (
        Evidence.objects.filter(original_sha256__in={sha for _pk, sha in own}, status=Evidence.Status.ACTIVE)
        .exclude(entry__evaluation__region_id=region)
        .values_list("original_sha256", "entry__evaluation__region__name")
    ):
        others[sha].add(name)
    return {pk: sorted(others[sha]) for pk, sha in own if sha in others}
