"""The task-force pages run the same number of queries with one meeting, member and follow-up as with many."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kla.taskforce import services
from kla.taskforce.rules import TaskForceRole
from kla.taskforce.tests import builders as b

pytestmark = pytest.mark.django_db


def _pages(meeting_pk: int) -> list[tuple[str, str]]:
    return [
        ("secretariat", "/gugus-tugas/wilayah/16.71/"),
        ("secretariat", "/gugus-tugas/wilayah/16.71/rakor/"),
        ("secretariat", f"/gugus-tugas/rakor/{meeting_pk}/"),
        ("secretariat", "/gugus-tugas/wilayah/16.71/tindak-lanjut/"),
        ("opd", "/gugus-tugas/wilayah/16.71/tindak-lanjut/?status=overdue"),
        ("province", "/gugus-tugas/"),
        ("secretariat", "/api/v1/regions/16.71/task-force"),
        ("secretariat", "/api/v1/regions/16.71/meetings"),
        ("secretariat", f"/api/v1/meetings/{meeting_pk}"),
        ("opd", "/api/v1/regions/16.71/follow-ups?status=overdue"),
    ]


def _counts(client_for: Callable[[str], Client], meeting_pk: int) -> dict[str, int]:
    out = {}
    for persona, url in _pages(meeting_pk):
        client = client_for(persona)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (persona, url)
        out[f"{persona} {url}"] = len([q for q in captured.captured_queries if "django_session" not in q["sql"]])
    return out


def _grow(meeting_pk: int, n: int) -> None:
    region = b.region()
    for i in range(n):
        services.member_add(
            region=region,
            agency=b.agency("BAPPEDA"),
            person_name=f"Anggota {i}",
            position="Staf",
            role=TaskForceRole.ANGGOTA,
            start=dt.date(2025, 1, 1),
            by=None,
        )
        meeting = b.held_meeting()
        for kind in ("DISDUKCAPIL", "DINKES"):
            services.follow_up_add(
                meeting=meeting,
                owner=b.agency(kind),
                description=f"Tugas {i}",
                due_date=timezone.localdate() - dt.timedelta(days=i + 1),
                by=None,
            )


def test_query_counts_do_not_grow(client_for: Callable[[str], Client], settings: Any) -> None:
    meeting = b.scale_meeting()
    small = _counts(client_for, meeting.pk)
    _grow(meeting.pk, 5)
    large = _counts(client_for, meeting.pk)
    assert large == small
    print(small)  # the counts for the report (pytest -s)
