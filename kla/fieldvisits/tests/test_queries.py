"""Pages run a fixed number of queries, however many sites, photos or decisions there are."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.fieldvisits import services
from kla.fieldvisits.models import FieldSite
from kla.fieldvisits.tests import matrix

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kla.fieldvisits.tests.urls")]


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grows(client, url: str, more: Callable[[], object]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    before = _count(client, url)
    more()
    return before, _count(client, url)


def test_plan_page(client_for, site: FieldSite) -> None:
    matrix.field_photo(site)
    url = reverse("fieldvisits:plan", args=[site.plan.evaluation_id])

    def more_sites() -> None:
        for i in range(4):
            matrix.field_photo(matrix.field_site(site.plan, name=f"SD {i}"))

    before, after = _grows(client_for("field_verifier"), url, more_sites)
    assert before == after


def test_site_page(client_for, site: FieldSite) -> None:
    matrix.field_photo(site)
    url = reverse("fieldvisits:site", args=[site.pk])
    before, after = _grows(client_for("field_verifier"), url, lambda: [matrix.field_photo(site) for _ in range(4)])
    assert before == after


def test_points_page(client_for, evaluation, user_of) -> None:
    url = reverse("fieldvisits:points", args=[evaluation.pk])
    from kla.verification.services.verdicts import field_points_record

    def decide() -> None:
        for number in (4, 8, 15, 19):
            field_points_record(
                entry=matrix.entry_of(evaluation, number), points="1", reason="Temuan", by=user_of("field_verifier")
            )

    before, after = _grows(client_for("ministry_verifier"), url, decide)
    assert before == after


def test_index_page(client_for, plan, user_of) -> None:
    from kla.evaluations.models import Evaluation

    url = reverse("fieldvisits:index")

    def another() -> None:
        other = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id="16.73")
        Evaluation.objects.filter(pk=other.pk).update(status="field_verification")
        other.refresh_from_db()
        services.plan_save(
            evaluation=other,
            visit_date=plan.visit_date,
            mode="hybrid",
            team=[],
            expected_version=0,
            by=user_of("field_verifier"),
        )

    before, after = _grows(client_for("ministry_admin"), url, another)
    assert before == after
