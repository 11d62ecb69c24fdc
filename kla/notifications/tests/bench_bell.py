"""The bell's cost on a page (run by hand: pytest kla/notifications/tests/bench_bell.py -s): the page (the operator's
"Tugas saya") rendered as it is, and with the bell's partial and count added, with 50.000 notifications stored."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kla.accounts.models import User
from kla.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_bell_cost(client_for: Any, user_of: Any) -> None:
    users = list(User.objects.values_list("pk", flat=True))
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=users[i % len(users)],
                kind=Kind.ASSIGNED,
                title="x",
                created_at=now,
                dedup_key=f"b{i}",
                read_at=now if i % 3 else None,
            )
            for i in range(50_000)
        ],
        batch_size=5000,
    )
    client = client_for("opd")
    user = user_of("opd")
    client.get("/tugas-saya/")
    rounds = 30
    started = time.perf_counter()
    for _ in range(rounds):
        client.get("/tugas-saya/")
    page = (time.perf_counter() - started) / rounds
    from django.test import RequestFactory

    from kla.notifications.context_processors import unread

    request = RequestFactory().get("/")
    request.user = user
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(rounds):
            render_to_string("notifications/_bell.html", {**unread(request), "user": user})
    bell = (time.perf_counter() - started) / rounds
    print(f"\npage {page * 1000:.1f} ms; bell {bell * 1000:.2f} ms and {len(queries) // rounds} query per page")
    from kla.notifications.selectors import unread_count

    started = time.perf_counter()
    for _ in range(rounds):
        unread_count(user)
    query = (time.perf_counter() - started) / rounds
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        plan = cursor.fetchall()
    print(f"count query alone {query * 1000:.2f} ms; plan {plan}")
