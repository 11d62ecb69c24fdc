"""Whether an entry's answers and evidence may change now, and by whom: the one rule every such write checks.

They change while the self-assessment is open (before submission and its deadline), or on an entry a reviewer
returned until the return's own deadline; and only by the kab/kota secretariat or an operator of an agency the entry
is assigned to. The decision is always read fresh from the database, never from an object loaded earlier.

A stage's deadline for one kabupaten/kota is the one in force for it: the later of the cycle's calendar and an
extension the ministry granted to that region (`deadline_of(cycle, stage, region_id)`); every deadline check asks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.core.formatting import format_datetime
from kla.evaluations.access import NOT_ASSIGNED, may_answer
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation, StageDeadline, StageExtension
from kla.evaluations.stages import STAGE_LABELS, Stage

if TYPE_CHECKING:
    from kla.accounts.models import User


class EvaluationClosed(ValidationError):
    """The entry or evaluation cannot be changed now (submitted, or the stage deadline has passed)."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A stage's opening and the deadline in force; `extended` when it is an extension granted to the region."""

    stage: Stage
    starts_at: dt.datetime
    ends_at: dt.datetime
    extended: bool = False

    @property
    def label(self) -> str:
        return gettext(STAGE_LABELS[self.stage])


def later(calendar_end: dt.datetime | None, extension_end: dt.datetime | None) -> dt.datetime | None:
    """The deadline in force: the later of the calendar's and the region's extension (either may be missing)."""
    if calendar_end is None or extension_end is None:
        return calendar_end or extension_end
    return max(calendar_end, extension_end)


def deadline_of(cycle: Cycle, stage: Stage, region_id: str | None = None) -> Deadline | None:
    """The stage's calendar entry, from the cycle's prefetched deadlines; with `region_id`, its deadline in force for
    that kabupaten/kota (one query for its extension)."""
    found: StageDeadline | None = next((d for d in cycle.deadlines.all() if d.stage == stage), None)
    if found is None:
        return None
    deadline = Deadline(Stage(found.stage), found.starts_at, found.ends_at)
    if region_id is None:
        return deadline
    extension = (
        StageExtension.objects.filter(cycle_id=cycle.pk, stage=stage, region_id=region_id)
        .values_list("ends_at", flat=True)
        .first()
    )
    if extension is None or extension <= found.ends_at:
        return deadline
    return Deadline(deadline.stage, deadline.starts_at, extension, extended=True)


def viewer_zone() -> str:
    """The zone a refusal's time is shown in: the viewer's region zone inside a request (ViewerZoneMiddleware)."""
    return timezone.get_current_timezone_name()


def self_assessment_closed(*, evaluation_editable: bool, ends_at: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why the self-assessment of an evaluation no longer takes answers, or None while it does."""
    if not evaluation_editable:
        return gettext("Evaluasi ini sudah dikirim; jawaban hanya dapat diubah bila entri dikembalikan verifikator.")
    if ends_at is not None and now > ends_at:
        return gettext(
            "Batas waktu evaluasi mandiri sudah lewat (%(ends_at)s). Sekretariat Gugus Tugas dapat "
            "meminta perpanjangan kepada Kementerian."
        ) % {"ends_at": format_datetime(ends_at, viewer_zone())}
    return None


def entry_closed(
    *,
    entry_status: str,
    return_deadline: dt.datetime | None,
    evaluation_editable: bool,
    self_assessment_ends: dt.datetime | None,
    now: dt.datetime,
) -> str | None:
    """Why an entry's answers and evidence cannot change now, or None. They change while the self-assessment is
    open, or on an entry a reviewer returned until its own deadline."""
    if entry_status == Entry.Status.RETURNED:
        if return_deadline is not None and now > return_deadline:
            return gettext(
                "Batas waktu perbaikan entri ini sudah lewat (%(return_deadline)s). Hubungi verifikator "
                "yang mengembalikannya."
            ) % {"return_deadline": format_datetime(return_deadline, viewer_zone())}
        return None
    closed = self_assessment_closed(evaluation_editable=evaluation_editable, ends_at=self_assessment_ends, now=now)
    if closed is None and entry_status != Entry.Status.OPEN:
        return gettext("Entri ini sudah dikirim dan hanya dapat diubah bila dikembalikan verifikator.")
    return closed


def check_self_assessment_open(evaluation: Evaluation, now: dt.datetime) -> None:
    deadline = deadline_of(evaluation.cycle, Stage.SELF_ASSESSMENT, evaluation.region_id)
    closed = self_assessment_closed(
        evaluation_editable=evaluation.is_editable, ends_at=deadline.ends_at if deadline else None, now=now
    )
    if closed is not None:
        raise EvaluationClosed(closed)


def require_can_change_entry(entry: Entry, by: User | None, now: dt.datetime) -> None:
    """Refuse a change to the entry's answers or evidence unless `by` (None: the platform itself) may make it now.

    What decides it is read fresh, in one query: the entry's and its evaluation's status, the self-assessment
    deadline and whether one of `by`'s agencies is assigned the entry. So the decision never rests on a stale entry
    object (loaded before a submission, a return or a reassignment). Raises PermissionDenied or EvaluationClosed.
    """
    ends = StageDeadline.objects.filter(cycle_id=OuterRef("evaluation__cycle_id"), stage=Stage.SELF_ASSESSMENT)
    extended = StageExtension.objects.filter(
        cycle_id=OuterRef("evaluation__cycle_id"),
        stage=Stage.SELF_ASSESSMENT,
        region_id=OuterRef("evaluation__region_id"),
    )
    fresh = Entry.objects.filter(pk=entry.pk).annotate(
        evaluation_status=F("evaluation__status"),
        self_assessment_ends=Subquery(ends.values("ends_at")[:1]),
        self_assessment_extended=Subquery(extended.values("ends_at")[:1]),
    )
    agencies = access.agency_ids(by) if by is not None else set()
    fields = ["status", "return_deadline", "evaluation_status", "self_assessment_ends", "self_assessment_extended"]
    if agencies:  # an operator; others answer by their region role alone
        mine = Assignment.objects.filter(entry_id=OuterRef("pk"), agency_id__in=agencies)
        fresh = fresh.annotate(assigned_to_user=Exists(mine))
        fields.append("assigned_to_user")
    row = fresh.values(*fields).get()
    if by is not None and not may_answer(
        by, entry.evaluation.region_id, assigned_to_user=row.get("assigned_to_user", False)
    ):
        raise PermissionDenied(NOT_ASSIGNED)
    closed = entry_closed(
        entry_status=row["status"],
        return_deadline=row["return_deadline"],
        evaluation_editable=row["evaluation_status"] == Evaluation.Status.DRAFT,
        self_assessment_ends=later(row["self_assessment_ends"], row["self_assessment_extended"]),
        now=now,
    )
    if closed is not None:
        raise EvaluationClosed(closed)


def lock_entry_for_change(entry: Entry, by: User | None, now: dt.datetime) -> None:
    """`require_can_change_entry`, under row locks on the entry's evaluation and on the entry, held until the
    transaction ends. Whatever closes the entry takes one of them (a submission locks the evaluation, a resubmission
    the entry), so it either waits for the change being written or the change sees it. Call it inside the writing
    transaction."""
    Evaluation.objects.select_for_update(of=("self",)).filter(pk=entry.evaluation_id).values_list("pk").get()
    Entry.objects.select_for_update(of=("self",)).filter(pk=entry.pk).values_list("pk").get()
    require_can_change_entry(entry, by, now)
