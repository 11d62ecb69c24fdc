"""The choropleth's GeoJSON through the HTTP stack: only released results, only with imported boundaries, the tile
grid's classes and legend, nothing sealed, ETag and 304, constant query counts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kla.evaluations.models import Cycle, Evaluation
from kla.regions.tests import synthetic
from kla.results.models import StageScore
from kla.results.tests.test_views import DEMO, SEALED, determine, palembang, publish

pytestmark = pytest.mark.django_db

NATIONAL = reverse("results:map_geojson", kwargs={"cycle_code": DEMO})


def province_url(code: str = "16") -> str:
    return reverse("results:map_province_geojson", kwargs={"cycle_code": DEMO, "code": code})


def import_boundaries(tmp_path: Path, level: str = "provinsi", *extra: str, drop: tuple[str, ...] = ()) -> None:
    data = synthetic.from_database(level)
    data["features"] = [f for f in data["features"] if not f["properties"]["kode"].startswith(drop or ("x",))]
    path = tmp_path / f"batas-{level}.geojson"
    path.write_bytes(synthetic.dumps(data))
    call_command("import_boundaries", str(path), "--level", level, *extra, stdout=StringIO())


@pytest.fixture
def released(tmp_path: Path) -> Cycle:
    """Palembang determined (Madya, the sealed canary scores), the cycle released, province boundaries imported."""
    determine(palembang())
    publish(palembang().cycle)
    import_boundaries(tmp_path)
    return Cycle.objects.get(code=DEMO)


def features(response: Any) -> dict[str, dict[str, Any]]:
    data = json.loads(response.content)
    return {f["properties"]["code"]: f for f in data["features"]}


def test_nothing_before_the_release_even_with_boundaries(tmp_path: Path, client_for) -> None:
    import_boundaries(tmp_path)
    determine(palembang())
    for persona in ("anonymous", "ministry_admin"):
        assert client_for(persona).get(NATIONAL).status_code == 404
    publish(palembang().cycle, release_at=timezone.now() + dt.timedelta(hours=2))  # confirmed, not yet released
    assert client_for("anonymous").get(NATIONAL).status_code == 404
    assert client_for("ministry_admin").get(province_url()).status_code == 404


def test_nothing_without_boundaries(client_for) -> None:
    determine(palembang())
    publish(palembang().cycle)
    response = client_for("anonymous").get(NATIONAL)
    assert response.status_code == 404 and b"belum diimpor" in response.content
    assert client_for("anonymous").get(province_url()).status_code == 404


def test_provinces_coloured_by_the_share_with_a_published_predicate(released: Cycle, client_for) -> None:
    response = client_for("anonymous").get(NATIONAL)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert "public" in response["Cache-Control"] and response["ETag"].startswith('"')
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and data["level"] == "provinsi"
    assert [item["class"] for item in data["legend"]][:5] == [f"tile-share-{n}" for n in (4, 3, 2, 1, 0)]
    shapes = features(response)
    assert len(shapes) == 38
    sumsel = shapes["16"]
    assert sumsel["geometry"]["type"] == "Polygon"
    assert sumsel["properties"]["class"] == "tile-share-1"  # 1 of Sumatera Selatan's 17 kab/kota
    assert "1 dari 17 kabupaten/kota berpredikat" in sumsel["properties"]["title"]
    assert sumsel["properties"]["url"] == f"/hasil/{DEMO}/?provinsi=16"
    assert shapes["11"]["properties"]["class"] in ("tile-share-0", "tile-none")


def test_a_province_s_kabkota_coloured_by_predicate(released: Cycle, tmp_path: Path, client_for) -> None:
    assert client_for("anonymous").get(province_url()).status_code == 404  # no kab/kota boundaries yet
    import_boundaries(tmp_path, "kabkota", "--allow-missing", drop=("11.",))
    response = client_for("anonymous").get(province_url())
    shapes = features(response)
    assert len(shapes) == 17 and json.loads(response.content)["level"] == "kabkota"
    palembang_shape = shapes["16.71"]["properties"]
    assert palembang_shape["class"].startswith("tile-band-") and palembang_shape["title"] == "Kota Palembang: Madya"
    assert palembang_shape["url"] == "/hasil/daerah/16.71/"
    assert shapes["16.01"]["properties"]["class"] == "tile-none"
    legend = json.loads(response.content)["legend"]
    assert any(item["label"].startswith("Madya") for item in legend) and legend[-1]["class"] == "tile-none"
    assert client_for("anonymous").get(province_url("11")).status_code == 404  # its kab/kota left out
    assert client_for("anonymous").get(province_url("99")).status_code == 404
    assert client_for("anonymous").get(province_url("16.71")).status_code == 404  # not a province


@pytest.mark.parametrize("details", [False, True])
def test_no_score_reaches_the_map_whoever_asks(released: Cycle, tmp_path: Path, client_for, details: bool) -> None:
    """Predicates and counts only: not the sealed stages, and not the final score even where the cycle publishes
    it; the file is the same for everybody, the ministry included."""
    Cycle.objects.filter(pk=released.pk).update(public_details=details)
    import_boundaries(tmp_path, "kabkota")
    bodies = set()
    for persona in ("anonymous", "secretariat", "province", "ministry_admin"):
        for url in (NATIONAL, province_url()):
            cache.clear()
            body = client_for(persona).get(url).content.decode()
            assert not [s for v in SEALED.values() for s in (v, v.replace(".", ",")) if s in body]
            assert "612.34" not in body and "612,34" not in body  # the EM score either
            bodies.add((url, body))
    assert len(bodies) == 2


def test_etag_answers_304_and_changes_with_the_results_and_the_boundaries(
    released: Cycle, tmp_path: Path, client_for
) -> None:
    client = client_for("anonymous")
    tag = client.get(NATIONAL)["ETag"]
    again = client.get(NATIONAL, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again["ETag"] == tag and again.content == b""
    other = Evaluation.objects.filter(cycle=released, region__parent_id="16").exclude(region_id="16.71").first()
    StageScore.objects.create(
        evaluation=other, stage="final", total=Decimal("700"), band_code="nindya", framework_code="kla-2024-ref"
    )
    changed = client.get(NATIONAL, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert "2 dari 17" in features(changed)["16"]["properties"]["title"]
    tag = changed["ETag"]
    import_boundaries(tmp_path, "provinsi", "--tolerance", "0")
    assert client.get(NATIONAL, headers={"If-None-Match": tag}).status_code == 200


def _count(client: Any, url: str, *, fresh: bool) -> int:
    if fresh:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_regions(released: Cycle, tmp_path: Path, client_for) -> None:
    import_boundaries(tmp_path, "kabkota")
    client = client_for("anonymous")
    urls = (NATIONAL, province_url())
    small = [(_count(client, u, fresh=True), _count(client, u, fresh=False)) for u in urls]
    others = Evaluation.objects.filter(cycle=released).exclude(region_id="16.71")[:8]
    for i, evaluation in enumerate(others):
        StageScore.objects.create(
            evaluation=evaluation, stage="final", total=Decimal(520 + 20 * i), framework_code="kla-2024-ref"
        )
    assert [(_count(client, u, fresh=True), _count(client, u, fresh=False)) for u in urls] == small
    # built: the cycle, the results' fingerprint, the boundaries' fingerprint, the boundaries, the bands, the
    # results (3), the provinces' kab/kota; kept: the first three only (a province: + the province)
    assert small == [(9, 3), (10, 4)]


def test_the_page_draws_the_choropleth_when_boundaries_exist_else_the_tile_grid(
    released: Cycle, tmp_path: Path, client_for
) -> None:
    page = reverse("results:public_cycle", kwargs={"cycle_code": DEMO})
    html = client_for("anonymous").get(page).content.decode()
    assert f'class="choropleth" data-geojson="{NATIONAL}"' in html and 'class="tilemap"' not in html
    assert "/static/js/map.js" in html and "/static/vendor/leaflet/leaflet.js" in html
    province = client_for("anonymous").get(page + "?provinsi=16").content.decode()
    assert 'class="choropleth"' not in province and 'class="tilemap"' in province  # no kab/kota boundaries
    import_boundaries(tmp_path, "kabkota")
    cache.clear()
    province = client_for("secretariat").get(page + "?provinsi=16").content.decode()
    assert f'data-geojson="{province_url()}"' in province
