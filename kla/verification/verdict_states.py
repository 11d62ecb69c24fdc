"""How far the verification of each entry is, in words: after the reviewers accept an indicator it no longer reads
"Dikirim" but "Diterima" (one query for any list of entries).

The latest review stage that decided anything about an entry speaks: field verification, then the ministry's, then
the province's administrative verification. The label names no points (corrections are sealed like scores), only
whether the indicator is accepted, still being verified, or sent and not yet looked at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from kla.evaluations.models import Entry
from kla.verification.models import Verdict

ACCEPTED = _("Diterima")
IN_REVIEW = _("Sedang diverifikasi")
LATEST_FIRST = (Verdict.Stage.FIELD, Verdict.Stage.MINISTRY, Verdict.Stage.PROVINCE)
ACCEPTING = {Verdict.Decision.ACCEPTED.value, Verdict.Decision.CORRECTED.value}


def decisions(entry_ids: Iterable[int]) -> dict[int, dict[str, dict[str, int]]]:
    """Per entry and stage, how many verdicts of each decision (one query)."""
    found: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        Verdict.objects.filter(entry_id__in=list(entry_ids))
        .values("entry_id", "stage", "decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        found[row["entry_id"]][row["stage"]][row["decision"]] = row["n"]
    return found


def label(status: str, questions: int, by_stage: dict[str, dict[str, int]] | None) -> str:
    """The status an entry shows: its own status unless it is submitted and a review has decided on it."""
    if status != Entry.Status.SUBMITTED or not by_stage:
        return str(Entry.Status(status).label)
    stage = next((s for s in LATEST_FIRST if by_stage.get(s.value)), None)
    if stage is None:
        return str(Entry.Status(status).label)
    counts = by_stage[stage.value]
    accepted = sum(n for d, n in counts.items() if d in ACCEPTING)
    if stage == Verdict.Stage.FIELD:  # one verdict per indicator
        return str(ACCEPTED if accepted else IN_REVIEW)
    return str(ACCEPTED if accepted >= questions > 0 and accepted == sum(counts.values()) else IN_REVIEW)


def labels(entries: Iterable[tuple[int, str, int]]) -> dict[int, str]:
    """{entry id: status label} for (entry id, status, number of questions) triples (one query)."""
    rows = list(entries)
    found = decisions(pk for pk, status, _n in rows if status == Entry.Status.SUBMITTED)
    return {pk: label(status, n, found.get(pk)) for pk, status, n in rows}
