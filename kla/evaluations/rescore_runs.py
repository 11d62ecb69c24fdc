"""Re-scoring one cycle in the background: asked for by the ministry from the cycle's page, run by a task a chunk of
evaluations at a time with its progress on a `RescoreRun`, the result (the evaluations whose engine total differs from
the points stored on their answers) shown on the page (`rescore_views`).

Read-only on scores: like `manage.py check_scores`, it stores nothing on answers or evaluations. Idempotent: a task
retried after its worker died starts the run again from the first chunk; a finished run is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.core import audit
from kla.evaluations import rescoring
from kla.evaluations.models import Cycle, Evaluation, RescoreRun
from kla.indicators.scoring import ZERO

CHUNK = 100  # evaluations per chunk: a progress write after each
SHOWN = 200  # differing evaluations kept on the run for the page
UNFINISHED = (RescoreRun.Status.PENDING, RescoreRun.Status.RUNNING)
# Kept on the run as marked Indonesian and said in the reader's language where shown (`RescoreRun.error_text`).
FAILED = gettext_noop(
    "Penilaian ulang gagal karena kesalahan sistem. Silakan minta lagi; bila tetap gagal, hubungi administrator."
)
LOST = gettext_noop("Pekerja tugas latar berhenti saat menilai ulang siklus ini; silakan minta lagi.")


def latest(cycle: Cycle, limit: int = 5) -> list[RescoreRun]:
    return list(RescoreRun.objects.filter(cycle=cycle).select_related("requested_by")[:limit])


def request_run(*, user: User, cycle: Cycle) -> RescoreRun:
    """Queue a re-score of `cycle` (ministry administrators); refused while one of the cycle is still running."""
    access.require(user, Action.CYCLE_MANAGE, None, hide=False)
    if cycle.status == Cycle.Status.DRAFT:
        raise ValidationError(gettext("Siklus yang masih disiapkan belum memiliki jawaban untuk dinilai ulang."))
    with transaction.atomic():
        # two requests at once (a double click, two administrators) queue one after the other: one run at a time
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        running = RescoreRun.objects.filter(cycle=cycle, status__in=UNFINISHED).first()
        if running is not None:
            raise ValidationError(
                gettext(
                    "Penilaian ulang siklus ini sedang berjalan (%(done)s dari %(total)s evaluasi). Tunggu sampai "
                    "selesai; hasilnya tampil di halaman ini."
                )
                % {"done": running.evaluations_done, "total": running.evaluations_total or "…"}
            )
        run = RescoreRun.objects.create(cycle=cycle, requested_by=user)
        audit.record(action="kla.cycle.rescore_requested", by=user, obj=run, object_label=cycle.name)
        from kla.evaluations.rescore_tasks import rescore_cycle

        transaction.on_commit(lambda: rescore_cycle.enqueue(run.pk))
    return run


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def run(run_id: int) -> RescoreRun:
    """Re-score the run's cycle a chunk at a time, writing progress after each; the differences at the end."""
    found = RescoreRun.objects.select_related("cycle").get(pk=run_id)
    if found.status == RescoreRun.Status.DONE:
        return found
    cycle = found.cycle
    ids = list(Evaluation.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True))
    progress = RescoreRun.objects.filter(pk=run_id)
    progress.update(status=RescoreRun.Status.RUNNING, evaluations_done=0, evaluations_total=len(ids), error="")
    rescorer = rescoring.Rescorer(cycle)
    differing: dict[int, tuple[Decimal, Decimal]] = {}
    answers = invalid = done = 0
    for chunk in _chunks(ids):
        engine = rescorer.rescore(chunk)
        stored = rescoring.stored_totals(cycle, chunk)
        for pk in stored.keys() | engine.totals.keys():
            before, after = stored.get(pk, ZERO), engine.totals.get(pk, ZERO)
            if before != after:
                differing[pk] = (before, after)
        answers, invalid, done = answers + engine.answers, invalid + engine.invalid, done + len(chunk)
        progress.update(evaluations_done=done, answers=answers)
    shown = Evaluation.objects.filter(pk__in=differing).order_by("region_id")[:SHOWN]
    found.differences = [
        [pk, code, name, str(differing[pk][0]), str(differing[pk][1])]
        for pk, code, name in shown.values_list("pk", "region_id", "region__name")
    ]
    found.status, found.evaluations_done, found.evaluations_total = RescoreRun.Status.DONE, done, len(ids)
    found.answers, found.invalid, found.differing = answers, invalid, len(differing)
    found.finished_at = timezone.now()
    found.save(
        update_fields=[
            "status",
            "evaluations_done",
            "evaluations_total",
            "answers",
            "invalid",
            "differences",
            "differing",
            "finished_at",
        ]
    )
    audit.record(
        action="kla.cycle.rescored",
        by=None,
        obj=found,
        object_label=cycle.name,
        after={"evaluations": done, "answers": answers, "differing": len(differing), "invalid": invalid},
    )
    return found


def fail(run_id: int, message: str) -> None:
    RescoreRun.objects.filter(pk=run_id).exclude(status=RescoreRun.Status.DONE).update(
        status=RescoreRun.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )
