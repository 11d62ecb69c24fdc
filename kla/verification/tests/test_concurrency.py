"""Conflicting workflow steps at the same moment: exactly one wins, the rest are refused, no illegal state, one audit
row per successful step (PostgreSQL: row locks across real concurrent connections)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from kla.accounts.models import User
from kla.core.models import AuditEvent
from kla.demo.answers import fill_answers
from kla.evaluations.models import Evaluation
from kla.evaluations.services import evaluation_submit
from kla.evaluations.workflow import Step
from kla.verification.services import steps

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL")
def test_twenty_simultaneous_starts_of_the_same_review_give_one_success() -> None:
    from kla.demo.services import demo_seed

    demo_seed()
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.71")
    fill_answers(evaluation, seed=5, strength=0.8)
    evaluation_submit(evaluation=evaluation, by=None, acknowledge_missing=True)
    reviewer = User.objects.get(username="prov-sumsel")
    barrier = threading.Barrier(20)

    def attempt(_: int) -> str:
        try:
            barrier.wait()
            steps.advance(evaluation=evaluation, step=Step.START_PROVINCE_REVIEW, by=reviewer)
            return "ok"
        except ValidationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(attempt, range(20)))
    assert results.count("ok") == 1 and results.count("refused") == 19
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PROVINCE_REVIEW
    assert (
        AuditEvent.objects.filter(action="kla.evaluation.start_province_review", object_id=str(evaluation.pk)).count()
        == 1
    )
