"""The pages that show follow-up panels run the same number of queries with one overdue follow-up as with thirty
(and as many due soon), for every reader: the secretariat, an operator, the province, the ministry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.evaluations.models import Evaluation
from kla.taskforce import selectors, services
from kla.taskforce.models import Meeting
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


def _pages() -> list[tuple[str, str]]:
    evaluation = Evaluation.objects.get(cycle__code="evaluasi-kla-demo", region_id=b.PALEMBANG)
    dashboard = reverse("evaluations:evaluation_detail", args=[evaluation.pk])
    return [
        ("secretariat", dashboard),
        ("opd", dashboard),
        ("province", dashboard),
        ("ministry_verifier", dashboard),
        ("secretariat", reverse("evaluations:my_work")),
        ("opd", reverse("evaluations:my_work")),
    ]


def _counts(client_for: Callable[[str], Client]) -> dict[str, int]:
    out = {}
    for persona, url in _pages():
        client = client_for(persona)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (persona, url)
        out[f"{persona} {url}"] = len([q for q in captured.captured_queries if "django_session" not in q["sql"]])
    return out


def _add(meeting: Meeting, n: int) -> None:
    today = selectors.today()
    for i in range(n):
        for kind, days in (("DISDUKCAPIL", -1 - i), ("DINKES", -2 - i), ("DISDUKCAPIL", i % 7)):
            services.follow_up_add(
                meeting=meeting,
                owner=b.agency(kind),
                description=f"Tindak lanjut {i}",
                due_date=today + dt.timedelta(days=days),
                by=None,
            )


def test_panels_run_a_fixed_number_of_queries(client_for: Callable[[str], Client]) -> None:
    meeting = b.held_meeting()
    _add(meeting, 1)
    small = _counts(client_for)
    _add(meeting, 29)
    large = _counts(client_for)
    assert large == small
    print(small)  # the counts for the report (pytest -s)
