"""The dashboards read a fixed number of queries: pinned with one province of national data and again with three
(tests/test_query_scale.py checks the same pages stay equal; here the numbers themselves are pinned)."""

from __future__ import annotations

from typing import Any

import pytest

from kla.evaluations.models import Cycle

# (persona, path, queries): the page's own reads, the session and the user's memberships included
PAGES: list[tuple[str, str, int]] = [
    ("secretariat", "/dasbor/kabkota/16.71/?cycle={current}", 18),
    ("province", "/dasbor/provinsi/16/?cycle={current}", 14),
    ("province", "/dasbor/provinsi/16/?cycle={published}", 14),
    ("ministry_admin", "/dasbor/nasional/?cycle={current}", 21),
    ("ministry_admin", "/dasbor/nasional/?cycle={published}&provinsi=16", 22),
    ("province", "/api/v1/dashboards/provinsi/16?cycle={current}", 14),
    ("secretariat", "/dasbor/kabkota/16.71/simulasi/?cycle={current}", 10),
    ("ministry_verifier", "/api/v1/dashboards/nasional/id?cycle={current}", 21),
]


def _url(template: str) -> str:
    national = Cycle.objects.filter(code__startswith="nasional-")
    current = national.filter(published_at__isnull=True).first()
    published = national.filter(published_at__isnull=False).first()
    assert current is not None and published is not None
    return template.format(current=current.code, published=published.code)


def _check(client_for: Any, django_assert_num_queries: Any) -> None:
    for persona, template, queries in PAGES:
        client, url = client_for(persona), _url(template)
        assert client.get(url).status_code == 200, url  # warm per-process caches
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_dashboard_queries_are_pinned_at_two_scales(client_for: Any, django_assert_num_queries: Any) -> None:
    from bench.national_data import seed_national

    seed_national(provinces=["16"])
    _check(client_for, django_assert_num_queries)
    seed_national(provinces=["16", "75", "64"])
    _check(client_for, django_assert_num_queries)
