"""Re-scoring a cycle in the background (`rescore_runs`, `rescore_tasks`, `rescore_views`): the ministry asks for it
from the cycle's page, the task works a chunk of evaluations at a time with its progress, the totals are the SQL
aggregate of the stored points, one run at a time, idempotent, audited, refused to everyone else."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.core import taskrecovery
from kla.core.models import AuditEvent
from kla.evaluations import rescore_runs, rescoring
from kla.evaluations.models import Answer, Cycle, Evaluation, RescoreRun
from kla.evaluations.rescore_tasks import rescore_cycle
from kla.evaluations.tests.test_rescoring import _answer_everything

CYCLE = "evaluasi-kla-demo"


@pytest.fixture
def answered(db: None) -> Cycle:
    """The demo cycle with five kab/kota answered, each differently."""
    cycle = Cycle.objects.get(code=CYCLE)
    for seed, evaluation in enumerate(Evaluation.objects.filter(cycle=cycle).order_by("region_id")[:5]):
        _answer_everything(evaluation, seed)
    return cycle


def _start(client: Any, capture: Any) -> Any:
    with capture(execute=True):  # the task runs when the request's transaction commits (immediate backend)
        return client.post(reverse("evaluations:cycle_rescore", args=[CYCLE]))


def test_the_ministry_finds_the_button_on_the_cycle_page_and_sees_the_result(
    answered: Cycle, client_for: Any, user_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("ministry_admin")
    cycle_page = client.get(reverse("evaluations:cycle_detail", args=[CYCLE])).content.decode()
    link = reverse("evaluations:cycle_rescore", args=[CYCLE])
    assert f'href="{link}"' in cycle_page and "Penilaian ulang" in cycle_page
    page = client.get(link).content.decode()
    assert "Nilai ulang semua jawaban" in page and "belum pernah dinilai ulang" in page
    response = _start(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == link
    run = RescoreRun.objects.get(cycle=answered)
    total = Evaluation.objects.filter(cycle=answered).count()
    assert run.status == RescoreRun.Status.DONE and run.evaluations_done == run.evaluations_total == total
    assert run.answers == Answer.objects.filter(entry__evaluation__cycle=answered).count() > 0
    assert run.differing == 0 and run.differences == []
    page = client.get(link).content.decode()
    assert "Semua total sama dengan poin yang tersimpan." in page and 'hx-trigger="every 3s"' not in page
    events = AuditEvent.objects.filter(object_id=str(run.pk), action__startswith="kla.cycle.rescore")
    assert sorted(events.values_list("action", flat=True)) == ["kla.cycle.rescore_requested", "kla.cycle.rescored"]


def test_progress_moves_chunk_by_chunk_and_the_totals_are_the_sql_aggregate(
    answered: Cycle, user_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescore_runs, "CHUNK", 4)
    palembang = Evaluation.objects.filter(cycle=answered).order_by("region_id").first()  # one of those answered
    assert palembang is not None
    answer = Answer.objects.filter(entry__evaluation=palembang, points__gt=0).order_by("pk").first()
    assert answer is not None
    Answer.objects.filter(pk=answer.pk).update(points=answer.points + Decimal("1.25"))  # a stored point drifts
    run = RescoreRun.objects.create(cycle=answered, requested_by=user_of("ministry_admin"))
    with CaptureQueriesContext(connection) as queries:
        rescore_runs.run(run.pk)
    progress = [
        int(m.group(1))
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and (m := re.search(r'"evaluations_done" = (\d+)', q["sql"]))
    ]
    total = Evaluation.objects.filter(cycle=answered).count()
    assert progress == [0, *range(4, total, 4), total, total][: len(progress)] and progress[-1] == total
    assert len(progress) >= 1 + total // 4
    run.refresh_from_db()
    stored = rescoring.stored_totals(answered)  # SUM(points) per evaluation, in the database
    engine = rescoring.rescore_totals(answered)
    assert run.differing == 1
    code, name, before, after = run.differences[0][1:]
    assert (code, name) == (palembang.region_id, palembang.region.name)
    assert Decimal(before) == stored[palembang.pk] == engine[palembang.pk] + Decimal("1.25")
    assert Decimal(after) == engine[palembang.pk]
    assert {pk: t for pk, t in stored.items() if pk != palembang.pk} == {
        pk: t for pk, t in engine.items() if pk != palembang.pk
    }


def test_a_second_request_while_one_runs_says_so(answered: Cycle, client_for: Any, user_of: Any) -> None:
    RescoreRun.objects.create(
        cycle=answered,
        requested_by=user_of("ministry_admin"),
        status=RescoreRun.Status.RUNNING,
        evaluations_done=4,
        evaluations_total=17,
    )
    client = client_for("ministry_admin")
    response = client.post(reverse("evaluations:cycle_rescore", args=[CYCLE]), follow=True)
    page = response.content.decode()
    assert "sedang berjalan (4 dari 17 evaluasi)" in page
    assert 'hx-trigger="every 3s"' in page and "disabled" in page  # the page polls while the run goes on
    assert RescoreRun.objects.filter(cycle=answered).count() == 1


@pytest.mark.parametrize("persona", ["ministry_verifier", "field_verifier", "province", "secretariat", "opd"])
def test_everyone_but_the_ministry_administrator_is_refused(
    answered: Cycle, client_for: Any, persona: str, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(persona)
    assert client.get(reverse("evaluations:cycle_rescore", args=[CYCLE])).status_code == 403
    assert _start(client, django_capture_on_commit_callbacks).status_code == 403
    cycle_page = client.get(reverse("evaluations:cycle_detail", args=[CYCLE])).content.decode()
    assert reverse("evaluations:cycle_rescore", args=[CYCLE]) not in cycle_page
    assert not RescoreRun.objects.exists()


def test_a_retried_run_starts_again_and_a_finished_one_is_left_as_it_is(answered: Cycle, user_of: Any) -> None:
    run = RescoreRun.objects.create(
        cycle=answered,
        requested_by=user_of("ministry_admin"),
        status=RescoreRun.Status.RUNNING,
        evaluations_done=9,
        answers=123,
    )
    first = rescore_runs.run(run.pk)  # as a task retried after its worker died: from the first chunk again
    assert first.status == RescoreRun.Status.DONE
    assert first.answers == Answer.objects.filter(entry__evaluation__cycle=answered).count()
    finished_at = first.finished_at
    again = rescore_runs.run(run.pk)
    assert again.finished_at == finished_at and again.answers == first.answers
    assert AuditEvent.objects.filter(action="kla.cycle.rescored", object_id=str(run.pk)).count() == 1


def test_a_worker_lost_for_good_fails_the_run_visibly(answered: Cycle, user_of: Any, client_for: Any) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    run = RescoreRun.objects.create(
        cycle=answered, requested_by=user_of("ministry_admin"), status=RescoreRun.Status.RUNNING
    )
    dead = f"{taskrecovery.this_worker_id().split(':')[0]}:999999999"
    DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [run.pk], "kwargs": {}},
        task_path=f"{rescore_cycle.module_path}",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=[dead, dead, dead],
    )
    taskrecovery.recover(max_attempts=3)
    run.refresh_from_db()
    assert run.status == RescoreRun.Status.FAILED and "minta lagi" in run.error
    response = client_for("ministry_admin").get(reverse("evaluations:cycle_rescore", args=[CYCLE]))
    page = response.content.decode()
    shown = page[page.find('id="rescore-runs"') :]
    assert response.status_code == 200 and "Gagal" in shown and "minta lagi" in shown, shown[:800]
    assert 'hx-trigger="every 3s"' not in page


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_runs_and_differences(
    answered: Cycle, client_for: Any, user_of: Any
) -> None:
    client = client_for("ministry_admin")
    url = reverse("evaluations:cycle_rescore", args=[CYCLE])
    counts = []
    for runs in (1, 6):
        for _ in range(runs):
            RescoreRun.objects.create(
                cycle=answered,
                requested_by=user_of("ministry_admin"),
                status=RescoreRun.Status.DONE,
                differing=runs,
                differences=[[1, "16.71", "Kota Palembang", "10.00", "12.50"]] * runs,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
