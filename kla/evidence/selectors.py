"""Reads of evidence files."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

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


DUPLICATE_NAMES = 10  # above this many other kab/kota, a shared file is shown as a count


def duplicates_elsewhere(entry: Entry, *, names_up_to: int = DUPLICATE_NAMES) -> dict[int, list[str]]:
    """For each file of the entry, the other kab/kota whose evaluations hold the same file (by original SHA-256).

    For verifiers only: the regions themselves are never told about each other's files. Three queries whatever the
    data: the entry's files, the number of other kab/kota per file (counted in SQL), and the names only where there
    are at most `names_up_to` of them. A file held by many regions (a national regulation every kab/kota attaches)
    is summarised as a count instead of fetching one row per region.
    """
    own = list(
        Evidence.objects.filter(entry=entry)
        .exclude(status=Evidence.Status.REPLACED)
        .values_list("pk", "original_sha256")
    )
    if not own:
        return {}
    region = entry.evaluation.region_id
    elsewhere = Evidence.objects.filter(
        original_sha256__in={sha for _pk, sha in own}, status=Evidence.Status.ACTIVE
    ).exclude(entry__evaluation__region_id=region)
    counts = dict(
        elsewhere.values("original_sha256")
        .annotate(n=Count("entry__evaluation__region", distinct=True))
        .values_list("original_sha256", "n")
    )
    few = [sha for sha, n in counts.items() if n <= names_up_to]
    others: dict[str, set[str]] = defaultdict(set)
    if few:
        for sha, name in (
            elsewhere.filter(original_sha256__in=few)
            .values_list("original_sha256", "entry__evaluation__region__name")
            .distinct()
        ):
            others[sha].add(name)
    result = {}
    for pk, sha in own:
        if sha in others:
            result[pk] = sorted(others[sha])
        elif counts.get(sha):
            result[pk] = [_("%(n)s kab/kota lain") % {"n": counts[sha]}]
    return result
