"""The dashboards' choropleth (issue 23 item 2): with imported boundaries the dashboards draw the map from a GeoJSON
of their own (the dashboard's tile map: same classes, titles and links, through the same seal), the tile grid
otherwise; the GeoJSON keeps the dashboard's gates, is private with an ETag, and reads a constant number of
queries."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kla.accounts.models import User
from kla.dashboards.selectors.national import national_dashboard
from kla.dashboards.selectors.province import province_dashboard
from kla.evaluations.models import Cycle
from kla.regions.models import Region
from kla.regions.tests import synthetic

pytestmark = pytest.mark.django_db

DEMO = "evaluasi-kla-demo"
PROVINCE = f"/dasbor/provinsi/16/peta.geojson?cycle={DEMO}"
NATIONAL = f"/dasbor/nasional/peta.geojson?cycle={DEMO}"


def import_boundaries(tmp_path: Path) -> None:
    for level in ("provinsi", "kabkota"):
        path = tmp_path / f"batas-{level}.geojson"
        path.write_bytes(synthetic.dumps(synthetic.from_database(level)))
        call_command("import_boundaries", str(path), "--level", level, stdout=StringIO())


def features(response: Any) -> dict[str, dict[str, Any]]:
    return {f["properties"]["code"]: f["properties"] for f in json.loads(response.content)["features"]}


def test_without_boundaries_the_dashboards_draw_the_tile_grid(client_for: Any) -> None:
    page = client_for("province").get(f"/dasbor/provinsi/16/?cycle={DEMO}").content.decode()
    assert 'class="tilemap"' in page and "data-geojson" not in page
    response = client_for("province").get(PROVINCE)
    assert response.status_code == 200 and json.loads(response.content)["features"] == []


def test_with_boundaries_the_dashboards_point_at_their_own_geojson(client_for: Any, tmp_path: Path) -> None:
    import_boundaries(tmp_path)
    cache.clear()
    page = client_for("province").get(f"/dasbor/provinsi/16/?cycle={DEMO}").content.decode()
    assert f'data-geojson="/dasbor/provinsi/16/peta.geojson?cycle={DEMO}"' in page and "<svg" not in page
    page = client_for("ministry_admin").get(f"/dasbor/nasional/?cycle={DEMO}").content.decode()
    assert f'data-geojson="/dasbor/nasional/peta.geojson?cycle={DEMO}"' in page


def test_the_features_are_the_dashboard_tile_map(client_for: Any, tmp_path: Path) -> None:
    """Same class and title as the tile the dashboard draws for the same viewer, linked to the same dashboard."""
    import_boundaries(tmp_path)
    cycle = Cycle.objects.get(code=DEMO)
    user = User.objects.get(username="prov-sumsel")
    board = province_dashboard(user, Region.objects.get(code="16"), cycle)
    assert board.tile_map is not None
    got = features(client_for("province").get(PROVINCE))
    assert len(got) == Region.objects.filter(parent_id="16").count()
    for tile in board.tile_map.grid.tiles:
        assert (got[tile.code]["class"], got[tile.code]["title"]) == (tile.css, tile.name)
        assert got[tile.code]["url"] == f"/dasbor/kabkota/{tile.code}/?cycle={DEMO}"
    data = json.loads(client_for("province").get(PROVINCE).content)
    assert [item["class"] for item in data["legend"]] == [item.css for item in board.tile_map.legend]
    ministry = User.objects.get(username="kemen-admin")
    national = national_dashboard(ministry, cycle).tile_map
    got = features(client_for("ministry_admin").get(NATIONAL))
    for tile in national.grid.tiles:
        assert (got[tile.code]["class"], got[tile.code]["title"]) == (tile.css, tile.name)
        assert got[tile.code]["url"] == f"/dasbor/provinsi/{tile.code}/?cycle={DEMO}"


def test_scope_another_province_and_the_kabkota_get_404(client_for: Any, tmp_path: Path) -> None:
    import_boundaries(tmp_path)
    province = client_for("province")
    assert province.get(PROVINCE).status_code == 200
    other = Region.objects.filter(level="provinsi").exclude(code="16").first()
    assert other is not None
    assert province.get(f"/dasbor/provinsi/{other.code}/peta.geojson?cycle={DEMO}").status_code == 404
    assert client_for("secretariat").get(PROVINCE).status_code == 404
    assert province.get(NATIONAL).status_code == 403
    assert client_for("anonymous").get(PROVINCE).status_code == 302


def test_private_with_an_etag_and_a_304(client_for: Any, tmp_path: Path) -> None:
    import_boundaries(tmp_path)
    client = client_for("province")
    response = client.get(PROVINCE)
    assert response["Content-Type"] == "application/geo+json"
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    again = client.get(PROVINCE, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again["ETag"] == response["ETag"]
    ministry = client_for("ministry_admin").get(PROVINCE)
    assert ministry["ETag"] != response["ETag"]  # keyed by the viewer's grants, as the dashboard's figures


def _counts(client_for: Any) -> list[int]:
    out = []
    for persona, url in (("province", PROVINCE), ("ministry_admin", NATIONAL)):
        national = Cycle.objects.filter(code__startswith="nasional-").order_by("pk").first()
        assert national is not None
        url = url.replace(DEMO, national.code)
        client = client_for(persona)
        assert client.get(url).status_code == 200  # warm the per-process caches
        cache.clear()
        for _kept in (False, True):  # with an empty cache, then with the dashboard's figures kept
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200 and features(response)
            out.append(len(queries))
    return out


def test_queries_stay_constant_at_two_scales(client_for: Any, tmp_path: Path) -> None:
    from bench.national_data import seed_national

    seed_national(provinces=["16"])
    import_boundaries(tmp_path)
    small = _counts(client_for)
    seed_national(provinces=["16", "75", "64"])
    import_boundaries(tmp_path)
    assert _counts(client_for) == small
