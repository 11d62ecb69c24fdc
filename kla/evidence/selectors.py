"""Reads of evidence files."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext as _

from kla.core.compiled import CompiledQuery
from kla.core.formatting import format_count
from kla.evaluations.models import Entry, Evaluation
from kla.evidence.models import Evidence, FileHolding, SharedFile
from kla.evidence.requirements import NAMED_AT_MOST, missing_by_question
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.indicators.models import Question

# compiled once per process: every entry page reads it (`kla.core.compiled`)
_FILES: CompiledQuery[Evidence] = CompiledQuery(
    lambda entry_id: (
        Evidence.objects.filter(entry_id=entry_id).exclude(status=Evidence.Status.REPLACED).order_by("uploaded_at")
    ),
    int,
)


def files_by_question(entry: Entry) -> dict[int, list[Evidence]]:
    """Active and deleted (restorable) files of an entry, grouped by question; replaced versions are history."""
    grouped: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in _FILES.fetch(entry.pk):
        grouped[evidence.question_id].append(evidence)
    return grouped


DUPLICATE_NAMES = 10  # above this many other kab/kota, a shared file is shown as a count


def duplicates_elsewhere(entry: Entry, *, names_up_to: int = DUPLICATE_NAMES) -> dict[int, list[str]]:
    """For each file of the entry, the other kab/kota whose evaluations hold the same file (by original SHA-256).

    For verifiers only: the regions themselves are never told about each other's files. One query reads the entry's
    files with, per file, the number of kab/kota holding it and whether this one does (the counters of
    `kla.evidence.holdings`: one row per file, however many evaluations attach it); a second fetches the names only
    where at most `names_up_to` other kab/kota hold the file. A file held by many regions (a national regulation
    every kab/kota attaches) is summarised as a count instead of fetching one row per region.
    """
    region = entry.evaluation.region_id
    own = list(
        Evidence.objects.filter(entry=entry)
        .exclude(status=Evidence.Status.REPLACED)
        .annotate(
            holders=Subquery(
                SharedFile.objects.filter(original_sha256=OuterRef("original_sha256")).values("regions")[:1]
            ),
            mine=Subquery(
                FileHolding.objects.filter(original_sha256=OuterRef("original_sha256"), region_id=region).values(
                    "active"
                )[:1]
            ),
        )
        .values_list("pk", "original_sha256", "holders", "mine")
    )
    counts = {sha: (holders or 0) - (1 if mine else 0) for _pk, sha, holders, mine in own}
    few = [sha for sha, n in counts.items() if 0 < n <= names_up_to]
    others: dict[str, set[str]] = defaultdict(set)
    if few:
        for sha, name in (
            FileHolding.objects.filter(original_sha256__in=few, active__gt=0)
            .exclude(region_id=region)
            .values_list("original_sha256", "region__name")
        ):
            others[sha].add(name)
    result = {}
    for pk, sha, _holders, _mine in own:
        if sha in others:
            result[pk] = sorted(others[sha])
        elif counts[sha] > 0:
            result[pk] = [_("%(n)s kabupaten/kota lain") % {"n": counts[sha]}]
    return result


def same_file_in_region(evidence: Evidence) -> list[Evidence]:
    """Other active files of the same kab/kota with the same original content (told to the uploader)."""
    return list(
        Evidence.objects.filter(
            entry__evaluation__region_id=evidence.entry.evaluation.region_id,
            original_sha256=evidence.original_sha256,
            status=Evidence.Status.ACTIVE,
        )
        .exclude(pk=evidence.pk)
        .select_related("entry__indicator", "question")
    )


def previous_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The region's evaluation of the cycle before this one (the latest year up to this one's, then the latest
    opened), whose files carry forward."""
    return (
        Evaluation.objects.filter(region_id=evaluation.region_id, cycle__year__lte=evaluation.cycle.year)
        .exclude(pk=evaluation.pk)
        .order_by("-cycle__year", "-cycle__opened_at")
        .first()
    )


def pending_confirmations(evaluation: Evaluation) -> int:
    """Files carried from the previous cycle that the agencies have not confirmed, replaced or withdrawn yet."""
    return Evidence.objects.filter(
        entry__evaluation=evaluation, status=Evidence.Status.ACTIVE, confirmation=Evidence.Confirmation.PENDING
    ).count()


def unconfirmed_carried(evaluation: Evaluation) -> list[str]:
    """What submission lists as missing about evidence: carried files still waiting for their confirmation.

    Registered with `kla.evaluations.submission` by this app's `ready()`, so the self-assessment's submission
    refuses (or lists, when acknowledged) them without evaluations importing evidence."""
    count = pending_confirmations(evaluation)
    if not count:
        return []
    return [
        gettext("%(count)s bukti dukung bawaan siklus sebelumnya belum dikonfirmasi") % {"count": format_count(count)}
    ]


def missing_required_evidence(evaluation: Evaluation) -> list[str]:
    """What submission lists as missing about required evidence: the questions whose instrument requires a type of
    evidence no active file of the question has (uploaded or attached by reference), named with those types.

    Registered with `kla.evaluations.submission` by this app's `ready()`: an acknowledgeable missing item, not a
    blocker. Two queries, whatever the number of questions and files."""
    questions = (
        Question.objects.filter(indicator__framework_id=evaluation.cycle.framework_id)
        .order_by("indicator__position", "position")
        .values_list("code", "spec")
    )
    attached: dict[str, set[str]] = defaultdict(set)
    for code, kind in (
        Evidence.objects.filter(entry__evaluation=evaluation, status=Evidence.Status.ACTIVE)
        .values_list("question__code", "evidence_type")
        .order_by()
        .distinct()
    ):
        attached[code].add(kind)
    missing = missing_by_question(questions, attached)
    if not missing:
        return []
    index = 1 if (get_language() or "id").startswith("en") else 0
    named = "; ".join(
        f"{code} ({', '.join(EVIDENCE_TYPE_LABELS[t][index] if t in EVIDENCE_TYPE_LABELS else t for t in kinds)})"
        for code, kinds in missing[:NAMED_AT_MOST]
    )
    count = len(missing)
    phrase = ngettext(
        "bukti dukung wajib belum dilampirkan pada %(count)s pertanyaan: %(named)s",
        "bukti dukung wajib belum dilampirkan pada %(count)s pertanyaan: %(named)s",
        count,
    ) % {"count": format_count(count), "named": named}
    rest = count - NAMED_AT_MOST
    if rest > 0:
        phrase += ngettext("; serta %(rest)s pertanyaan lainnya", "; serta %(rest)s pertanyaan lainnya", rest) % {
            "rest": format_count(rest)
        }
    return [phrase]
