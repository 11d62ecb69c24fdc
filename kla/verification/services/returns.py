"""Entries sent back to the kab/kota for correction, and sent again once corrected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.core import audit
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import unexplained_warnings
from kla.verification.models import Verdict
from kla.verification.review_stages import REVIEW_STAGE
from kla.verification.services.preconditions import (
    StepRefused,
    chosen_entries,
    current_time,
    lock_evaluation,
    review_stage_for,
)
from kla.verification.tasks import notify_returned


@transaction.atomic
def entries_return(
    *,
    evaluation: Evaluation,
    entries: Iterable[Entry],
    reason: str,
    deadline: dt.datetime,
    by: User | None,
    base_url: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Return only the chosen entries to the kab/kota for correction, with a mandatory reason and a deadline."""
    now = current_time(now)
    evaluation = lock_evaluation(evaluation)
    reason = reason.strip()[:2000]
    if not reason:
        raise StepRefused(gettext("Alasan pengembalian wajib diisi: tuliskan apa yang harus diperbaiki."))
    if deadline <= now:
        raise StepRefused(gettext("Batas perbaikan harus di masa depan."))
    chosen = chosen_entries(evaluation, entries, gettext("Pilih paling sedikit satu indikator untuk dikembalikan."))
    for entry in chosen:
        stage = review_stage_for(entry, by, now)
        if stage == Verdict.Stage.FIELD:
            raise StepRefused(
                gettext("Pada verifikasi lapangan, catat temuan sebagai poin indikator, bukan pengembalian.")
            )
        entry.status = Entry.Status.RETURNED
        entry.return_reason, entry.return_deadline, entry.returned_at, entry.returned_by = reason, deadline, now, by
        entry.save(update_fields=["status", "return_reason", "return_deadline", "returned_at", "returned_by"])
        audit.record(
            action="kla.entry.returned",
            by=by,
            obj=entry,
            region_code=evaluation.region_id,
            after={"stage": stage, "deadline": deadline.isoformat()},
            reason=reason,
        )
    ids = [e.pk for e in chosen]
    transaction.on_commit(lambda: notify_returned.enqueue(evaluation.pk, ids, base_url))
    return len(chosen)


@transaction.atomic
def entry_resubmit(*, entry: Entry, by: User | None, now: dt.datetime | None = None) -> Entry:
    """The kab/kota sends a corrected entry back; its returned questions are open for review again."""
    now = current_time(now)
    entry = Entry.objects.select_for_update(of=("self",)).select_related("evaluation__region").get(pk=entry.pk)
    if by is not None:
        access.require(by, Action.EVALUATION_SUBMIT, entry.evaluation.region_id)
    if entry.status != Entry.Status.RETURNED:
        raise StepRefused(gettext("Entri ini tidak sedang dikembalikan, jadi tidak perlu dikirim ulang."))
    if unexplained := unexplained_warnings(entry.evaluation, entry=entry):  # as at submission: no way around it
        raise StepRefused(
            gettext(
                "Indikator ini belum dapat dikirim ulang. %(join)s Perbaiki jawaban tersebut atau isi "
                'kolom "Penjelasan" di bawahnya, kemudian kirim ulang.'
            )
            % {"join": " ".join(unexplained)}
        )
    stage = REVIEW_STAGE.get(entry.evaluation.state)
    removed = 0
    if stage is not None:
        removed, _ = Verdict.objects.filter(entry=entry, stage=stage, decision=Verdict.Decision.RETURNED).delete()
    reason = entry.return_reason
    entry.status = Entry.Status.SUBMITTED
    entry.resubmitted_at = now
    entry.return_reason, entry.return_deadline = "", None
    entry.save(update_fields=["status", "resubmitted_at", "return_reason", "return_deadline"])
    audit.record(
        action="kla.entry.resubmitted",
        by=by,
        obj=entry,
        region_code=entry.evaluation.region_id,
        before={"return_reason": reason},
        after={"reopened_questions": removed},
    )
    return entry
