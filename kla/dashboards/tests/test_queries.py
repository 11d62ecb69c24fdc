"""The dashboards read a fixed number of queries: pinned with one province of national data and again with three
(tests/test_query_scale.py checks the same pages stay equal; here the numbers themselves are pinned)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from kla.evaluations.models import Cycle

# (persona, path, queries with an empty cache, queries once the figures are kept): the page's own reads, the session
# and the user's memberships included. The national figures are kept by the data's fingerprint and the viewer's
# grants (kla.dashboards.kept): a kept page reads the cycles, the fingerprint and the completeness of the table's rows.
# A province's and a kab/kota's figures likewise (kept.province_key, kept.kabkota_key: the data they show), after
# their region. The same fingerprint query also tells whether boundaries exist for the map (kla.dashboards.choropleth)
# and whether the province the national table is filtered by exists.
PAGES: list[tuple[str, str, int, int]] = [
    ("secretariat", "/dasbor/kabkota/16.71/?cycle={current}", 17, 5),
    ("province", "/dasbor/provinsi/16/?cycle={current}", 13, 5),
    ("province", "/dasbor/provinsi/16/?cycle={published}", 13, 5),
    ("ministry_admin", "/dasbor/nasional/?cycle={current}", 21, 5),
    ("ministry_admin", "/dasbor/nasional/?cycle={published}&provinsi=16", 21, 5),
    ("province", "/api/v1/dashboards/provinsi/16?cycle={current}", 12, 12),
    ("secretariat", "/dasbor/kabkota/16.71/simulasi/?cycle={current}", 8, 8),
    ("ministry_verifier", "/api/v1/dashboards/nasional/id?cycle={current}", 16, 4),
]


def _url(template: str) -> str:
    national = Cycle.objects.filter(code__startswith="nasional-")
    current = national.filter(published_at__isnull=True).first()
    published = national.filter(published_at__isnull=False).first()
    assert current is not None and published is not None
    return template.format(current=current.code, published=published.code)


def _check(client_for: Any, django_assert_num_queries: Any) -> None:
    for persona, template, cold, warm in PAGES:
        client, url = client_for(persona), _url(template)
        assert client.get(url).status_code == 200, url  # warm per-process caches (instrument facts, translations)
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(warm):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_dashboard_queries_are_pinned_at_two_scales(client_for: Any, django_assert_num_queries: Any) -> None:
    from bench.national_data import seed_national

    seed_national(provinces=["16"])
    _check(client_for, django_assert_num_queries)
    seed_national(provinces=["16", "75", "64"])
    _check(client_for, django_assert_num_queries)
