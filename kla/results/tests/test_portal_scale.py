"""The public portal at two scales: the cycle page with its maps, the open-data files, the region pages and the data
dictionary read a fixed number of queries whether a cycle holds 17 kab/kota or 137 across eight provinces, with
final scores and predicate history for every one (queries counted for an anonymous visitor, the page cache empty)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kla.evaluations.models import Cycle, Evaluation
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.results.models import PredicateRecord, StageScore
from kla.results.tests.test_views import DEMO, determine, palembang, publish

pytestmark = pytest.mark.django_db

CYCLE = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
# url → its number of queries: the cycle's file 6 (cycle, fingerprint, bands, evaluations, provinces, final scores),
# all years 6 (the released cycles instead of the cycle; 4 more per further released cycle), a kab/kota's page 3
# (region, released cycles, history), a province's 4 (its kab/kota too), the dictionary 1 (released cycles)
PINNED = {
    reverse("results:open_data", kwargs={"cycle_code": DEMO, "fmt": "csv"}): 6,
    reverse("results:open_data", kwargs={"cycle_code": DEMO, "fmt": "xlsx"}): 6,
    reverse("results:open_data", kwargs={"cycle_code": DEMO, "fmt": "json"}): 6,
    reverse("results:open_data_all", kwargs={"fmt": "csv"}): 6,
    reverse("results:public_region", kwargs={"code": "16.71"}): 3,
    reverse("results:public_region", kwargs={"code": "16"}): 4,
    reverse("results:data_dictionary"): 1,
}
# the cycle page with its maps (national, one province): the same count at both scales, within this bound
PAGES = [CYCLE, CYCLE + "?provinsi=16"]
PAGE_CEILING = 10


def _get(url: str) -> None:
    cache.clear()
    response = Client().get(url)
    assert response.status_code == 200, url
    b"".join(response.streaming_content) if response.streaming else response.content  # streamed rows are read here


def _count(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(url)
    return len(queries)


def _grow(cycle: Cycle, n: int) -> None:
    """`n` more kab/kota of other provinces in the cycle, each determined with a final score and a history year."""
    regions = list(Region.objects.filter(level=Level.KABKOTA).exclude(parent_id="16").order_by("code")[:n])
    evaluations = Evaluation.objects.bulk_create(
        [Evaluation(cycle=cycle, region=r, status=Evaluation.Status.PUBLISHED) for r in regions]
    )
    StageScore.objects.bulk_create(
        StageScore(evaluation=e, stage="final", total=Decimal(500 + (i * 7) % 500), framework_code="kla-2024-ref")
        for i, e in enumerate(evaluations)
    )
    PredicateRecord.objects.bulk_create(
        PredicateRecord(region=r, year=2020, band_code="pratama", band_name="Pratama", source="import") for r in regions
    )
    sumsel = Evaluation.objects.filter(cycle=cycle, region__parent_id="16").exclude(region_id="16.71")
    StageScore.objects.bulk_create(
        StageScore(evaluation=e, stage="final", total=Decimal("620.00"), framework_code="kla-2024-ref") for e in sumsel
    )
    PredicateRecord.objects.bulk_create(
        PredicateRecord(region_id=e.region_id, year=2020, band_code="", band_name="", source="import") for e in sumsel
    )


def test_public_portal_queries_do_not_grow_with_the_number_of_kabkota(django_assert_num_queries: Any) -> None:
    determine(palembang())
    publish(palembang().cycle)
    pages = [_count(url) for url in PAGES]
    for url, n in PINNED.items():
        with django_assert_num_queries(n):
            _get(url)
    _grow(Cycle.objects.get(code=DEMO), 120)
    assert Evaluation.objects.filter(cycle__code=DEMO).count() == 137
    for url, n in PINNED.items():
        with django_assert_num_queries(n):
            _get(url)
    assert [_count(url) for url in PAGES] == pages and max(pages) <= PAGE_CEILING


def test_a_current_copy_costs_two_queries(django_assert_num_queries: Any) -> None:
    """If-None-Match with the current ETag: the cycle and the fingerprint of its results, no rows read (304)."""
    determine(palembang())
    publish(palembang().cycle)
    url = reverse("results:open_data", kwargs={"cycle_code": DEMO, "fmt": "xlsx"})
    tag = Client().get(url)["ETag"]
    with django_assert_num_queries(2):
        assert Client().get(url, headers={"If-None-Match": tag}).status_code == 304


def test_a_kept_file_costs_two_queries_at_both_scales(django_assert_num_queries: Any) -> None:
    """The body of an open-data file is kept under its ETag: a second download (no If-None-Match) reads the cycle
    and the fingerprint of its results only, whatever the number of kab/kota; a change makes a new ETag."""
    determine(palembang())
    publish(palembang().cycle)
    url = reverse("results:open_data", kwargs={"cycle_code": DEMO, "fmt": "json"})
    for scale in ("demo", "137 kab/kota"):
        if scale != "demo":
            _grow(Cycle.objects.get(code=DEMO), 120)
        first = Client().get(url)
        with django_assert_num_queries(2):
            second = Client().get(url)
        assert second.content == first.content and second["ETag"] == first["ETag"]
        assert b"16.71" in second.content
