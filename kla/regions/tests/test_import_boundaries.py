"""`manage.py import_boundaries`: a synthetic GeoJSON of every province (and kab/kota) imported, simplified once and
audited; each bad file refused with an Indonesian message naming the fault, and nothing half-imported."""

from __future__ import annotations

import json
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kla.core.audit_labels import action_label
from kla.core.models import AuditEvent
from kla.regions import geometry
from kla.regions.boundaries import boundaries_version, boundary_rows, has_boundaries
from kla.regions.levels import Level
from kla.regions.models import Boundary
from kla.regions.tests import synthetic

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, data: Any, name: str = "batas.geojson") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else synthetic.dumps(data))
    return path


def _run(path: Path, *extra: str) -> str:
    out = StringIO()
    call_command("import_boundaries", str(path), *extra, stdout=out)
    return out.getvalue()


def _refusal(path: Path, *extra: str) -> str:
    with pytest.raises(CommandError) as info:
        _run(path, *extra)
    return str(info.value)


def _stored() -> dict[str, str]:
    return dict(Boundary.objects.values_list("region_id", "geometry"))


@pytest.fixture
def imported(tmp_path: Path) -> dict[str, str]:
    """Every province imported from the synthetic file: what is stored."""
    _run(_file(tmp_path, synthetic.from_database(), "awal.geojson"), "--by", "kemen-admin")
    return _stored()


def test_every_province_is_imported_simplified_and_audited(tmp_path: Path) -> None:
    output = _run(_file(tmp_path, synthetic.from_database()), "--by", "kemen-admin")
    assert "Batas 38 provinsi diimpor dari batas.geojson (1.862 titik disederhanakan menjadi 190, 10,2%)" in output
    assert "0 batas lama diganti" in output
    rows = Boundary.objects.select_related("region").order_by("region_id")
    assert rows.count() == 38 and {r.level for r in rows} == {"provinsi"}
    sumsel = rows.get(region_id="16")
    shape = json.loads(sumsel.geometry)
    assert shape["type"] == "Polygon" and len(shape["coordinates"][0]) == 5  # a square's corners, closed
    assert sumsel.points == 5 and sumsel.points_source == 49 and sumsel.tolerance == 0.01
    assert sumsel.source_name == "batas.geojson" and len(sumsel.checksum) == 64
    event = AuditEvent.objects.get(action="kla.boundaries.imported")
    assert event.actor.username == "kemen-admin" and event.after["count"] == 38 and event.after["level"] == "provinsi"
    assert str(action_label(event.action)) == "Batas wilayah untuk peta diimpor"
    assert has_boundaries(Level.PROVINSI) and not has_boundaries(Level.KABKOTA)


def test_reimport_replaces_the_level(tmp_path: Path, imported: dict[str, str]) -> None:
    version = boundaries_version(Level.PROVINSI)
    data = synthetic.from_database(key="KDPPUM")  # the national base map's column, same shapes
    for f in data["features"]:
        f["geometry"]["coordinates"][0] = [[x + 0.25, y] for x, y in f["geometry"]["coordinates"][0]]
    output = _run(_file(tmp_path, data, "baru.geojson"), "--tolerance", "0")
    assert "38 batas lama diganti" in output
    assert Boundary.objects.count() == 38 and set(Boundary.objects.values_list("source_name", flat=True)) == {
        "baru.geojson"
    }
    assert _stored() != imported and boundaries_version(Level.PROVINSI) != version
    assert Boundary.objects.get(region_id="16").points == 49  # tolerance 0: nothing simplified away
    assert AuditEvent.objects.filter(action="kla.boundaries.imported").count() == 2


def test_kabkota_are_imported_with_their_province(tmp_path: Path) -> None:
    output = _run(_file(tmp_path, synthetic.from_database("kabkota")), "--level", "kabkota")
    assert "Batas 514 kabupaten/kota diimpor" in output
    palembang = boundary_rows(Level.KABKOTA, parent="16")
    assert len(palembang) == 17 and ("16.71", "Kota Palembang") in [(c, n) for c, n, _g in palembang]
    assert not has_boundaries(Level.PROVINSI) and has_boundaries(Level.KABKOTA, parent="16")


def _assert_unchanged(before: dict[str, str]) -> None:
    assert _stored() == before
    assert AuditEvent.objects.filter(action="kla.boundaries.imported").count() == (1 if before else 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"kode,nama\n16,Sumatera Selatan\n", "Berkas bukan JSON yang sah (baris 1, kolom 1: Expecting value)"),
        (b'{"type": "Topology", "objects": {}}', "bukan GeoJSON FeatureCollection (jenisnya: 'Topology')"),
        (b"\x89PNG\r\n\x1a\n", "Berkas bukan teks UTF-8"),
    ],
)
def test_a_file_that_is_not_geojson_is_refused(
    tmp_path: Path, imported: dict[str, str], data: bytes, message: str
) -> None:
    text = _refusal(_file(tmp_path, data))
    assert "impor ditolak, tidak ada yang diubah" in text and message in text
    _assert_unchanged(imported)


def test_unknown_codes_are_named_and_nothing_is_imported(tmp_path: Path) -> None:
    data = synthetic.from_database()
    data["features"].append(synthetic.feature("99", "Provinsi Khayalan", synthetic.square(100, 0, 1)))
    data["features"].append(synthetic.feature("16.71", "Palembang", synthetic.square(101, 0, 1)))
    text = _refusal(_file(tmp_path, data))
    assert "Kode 99 (Provinsi Khayalan) tidak dikenal sebagai provinsi Kemendagri." in text
    assert "Fitur ke-40 (Palembang): '16.71' bukan kode provinsi." in text
    _assert_unchanged({})


def test_missing_provinces_are_named_and_refused_unless_allowed(tmp_path: Path) -> None:
    data = synthetic.from_database()
    data["features"] = [f for f in data["features"] if f["properties"]["kode"] not in ("11", "94")]
    path = _file(tmp_path, data)
    text = _refusal(path)
    assert "2 provinsi tidak ada di berkas: 11 Aceh, 94 Papua Tengah." in text and "--allow-missing" in text
    _assert_unchanged({})
    output = _run(path, "--allow-missing")
    assert "Batas 36 provinsi diimpor" in output and "2 provinsi tanpa batas (tampil tanpa peta): 11 Aceh" in output
    assert AuditEvent.objects.get(action="kla.boundaries.imported").after["without_boundary"] == ["11", "94"]


def _broken(kind: str) -> dict[str, Any]:
    data = synthetic.from_database()
    sumsel = next(f for f in data["features"] if f["properties"]["kode"] == "16")
    ring = sumsel["geometry"]["coordinates"][0]
    if kind == "unclosed":
        ring.pop()
    elif kind == "few":
        del ring[3:]
    elif kind == "text":
        ring[2] = ["104,5", "-3,2"]
    elif kind == "outside":
        ring[2] = [-3.2, 104.5]  # latitude and longitude swapped
    elif kind == "point":
        sumsel["geometry"] = {"type": "Point", "coordinates": [104.5, -3.2]}
    elif kind == "none":
        sumsel["geometry"] = None
    return data


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("unclosed", "garis batas tidak tertutup (titik pertama dan terakhir berbeda)"),
        ("few", "garis batas hanya 3 titik; paling sedikit 4 titik"),
        ("text", "titik ke-3: koordinat bukan angka ('104,5', '-3,2')"),
        ("outside", "titik ke-3: koordinat (-3.2, 104.5) di luar wilayah Indonesia"),
        ("point", "jenis geometri 'Point' tidak dapat dipakai sebagai batas wilayah"),
        ("none", "tidak memiliki geometri"),
    ],
)
def test_invalid_geometry_is_named_with_its_region_and_nothing_is_imported(
    tmp_path: Path, imported: dict[str, str], kind: str, message: str
) -> None:
    text = _refusal(_file(tmp_path, _broken(kind)))
    assert "(kode 16, Sumatera Selatan): " in text and message in text
    assert "tidak ada di berkas" not in text  # the faulty feature's region is not also called missing
    _assert_unchanged(imported)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, imported: dict[str, str], settings) -> None:
    big = tmp_path / "survei.geojson"
    with big.open("wb") as f:  # a sparse 200 MiB file: its size is real, its content would not parse
        f.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    text = _refusal(big)
    assert time.perf_counter() - started < 1.0  # not read, let alone parsed
    assert "Berkas terlalu besar (200,0 MiB; batas 100,0 MiB)" in text and "Tidak ada yang diubah." in text
    settings.KLA_BOUNDARY_MAX_BYTES = 1000
    small = _file(tmp_path, synthetic.from_database())
    assert "batas 0,0 MiB" in _refusal(small)
    assert "Batas 38 provinsi diimpor" in _run(small, "--max-mb", "5")
    assert Boundary.objects.count() == 38


def test_a_missing_file_and_an_unknown_user_are_messages(tmp_path: Path) -> None:
    assert "Berkas tidak ditemukan" in _refusal(tmp_path / "tidak-ada.geojson")
    assert "Pengguna 'siapa' tidak ditemukan." in _refusal(_file(tmp_path, synthetic.from_database()), "--by", "siapa")
    assert not Boundary.objects.exists()


def test_stored_geometry_is_valid_and_rounded(imported: dict[str, str]) -> None:
    for text in imported.values():
        polygons = geometry.read_geometry(json.loads(text))
        assert all(round(c, 5) == c for poly in polygons for ring in poly for p in ring for c in p)
