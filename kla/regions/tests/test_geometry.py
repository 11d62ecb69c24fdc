"""The pure geometry module: reading and checking a GeoJSON geometry, Douglas–Peucker that keeps rings closed and
at least 4 points, rounding, and reading a boundary file. No database."""

from __future__ import annotations

import itertools
import json
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.regions import geometry
from kla.regions.boundary_file import BoundaryFileError, decode, load_collection, normalise_code, read_features
from kla.regions.geometry import GeometryError, read_geometry, simplify, simplify_ring
from kla.regions.levels import Level
from kla.regions.tests import synthetic

SQUARE = [[106.0, -6.0], [107.0, -6.0], [107.0, -5.0], [106.0, -5.0], [106.0, -6.0]]


def polygon(*rings: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


# --- reading -----------------------------------------------------------------------------------------------------


def test_a_polygon_and_a_multipolygon_are_read() -> None:
    assert read_geometry(polygon(SQUARE)) == [[[tuple(p) for p in SQUARE]]]
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]}
    assert len(read_geometry(multi)) == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "tidak memiliki geometri"),
        ({"type": "Point", "coordinates": [106.0, -6.0]}, "jenis geometri 'Point' tidak dapat dipakai"),
        ({"type": "MultiPolygon", "coordinates": []}, "paling sedikit satu poligon"),
        (polygon(), "poligon harus berupa daftar garis batas yang tidak kosong"),
        (polygon(SQUARE[:3]), "poligon, garis batas ke-1: garis batas hanya 3 titik; paling sedikit 4 titik"),
        (polygon(SQUARE[:4]), "poligon, garis batas ke-1: garis batas tidak tertutup"),
        (polygon([*SQUARE[:2], ["106", -5.0], *SQUARE[3:]]), "titik ke-3: koordinat bukan angka ('106', -5.0)"),
        (polygon([*SQUARE[:2], [True, -5.0], *SQUARE[3:]]), "titik ke-3: koordinat bukan angka"),
        (polygon([*SQUARE[:2], [math.nan, -5.0], *SQUARE[3:]]), "titik ke-3: koordinat bukan angka"),
        (polygon([*SQUARE[:2], [107.0], *SQUARE[3:]]), "titik ke-3: titik harus berupa pasangan"),
        (polygon([[-6.0, 106.0], [-6.0, 107.0], [-5.0, 107.0], [-6.0, 106.0]]), "di luar wilayah Indonesia"),
        (polygon([[0, 0], [1, 0], [1, 1], [0, 0]]), "koordinat (0.0, 0.0) di luar wilayah Indonesia"),
        ({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE[:4]]]}, "poligon ke-2, garis batas ke-1"),
    ],
)
def test_a_broken_geometry_is_named(value: object, message: str) -> None:
    with pytest.raises(GeometryError) as info:
        read_geometry(value)
    assert message in str(info.value)


# --- simplification ----------------------------------------------------------------------------------------------


def test_points_on_a_straight_side_are_removed_and_the_corners_kept() -> None:
    ring = [tuple(p) for p in synthetic.square(100.0, -2.0, 2.0, per_side=50)]
    out = simplify_ring(ring, 0.01)
    assert out == [(100.0, -2.0), (102.0, -2.0), (102.0, 0.0), (100.0, 0.0), (100.0, -2.0)]


def test_a_small_ring_keeps_four_points_and_stays_closed() -> None:
    tiny = [(100.0, 0.0), (100.0001, 0.0), (100.0001, 0.0001), (100.00005, 0.00015), (100.0, 0.0001), (100.0, 0.0)]
    out = simplify_ring(tiny, 1.0)
    assert len(out) == 4 and out[0] == out[-1]


def test_tolerance_zero_keeps_every_point_that_is_not_on_a_straight_line() -> None:
    ring = [tuple(p) for p in synthetic.square(100.0, -2.0, 2.0, per_side=6)]
    assert simplify_ring(ring, 0.0) == [p for p in ring]  # the bulges put every point off the line


def test_specks_are_dropped_but_the_largest_polygon_stays() -> None:
    big = [tuple(p) for p in synthetic.square(100.0, -2.0, 2.0)]
    speck = [(110.0, 0.0), (110.000001, 0.0), (110.000001, 0.000001), (110.0, 0.0)]
    hole = [(100.5, -1.5), (100.500001, -1.5), (100.500001, -1.499999), (100.5, -1.5)]
    out = simplify([[big, hole], [speck]], 0.01)
    assert len(out) == 1 and len(out[0]) == 1  # the speck and the hole (smaller than 0.01°) are gone
    only_speck = simplify([[speck]], 0.01)
    assert len(only_speck) == 1 and len(only_speck[0][0]) == 4  # never empty, even if rounding would collapse it


def test_to_geojson_is_a_polygon_or_a_multipolygon() -> None:
    one = [[[(100.0, 0.0), (101.0, 0.0), (101.0, 1.0), (100.0, 0.0)]]]
    assert geometry.to_geojson(one)["type"] == "Polygon"
    assert geometry.to_geojson(one * 2)["type"] == "MultiPolygon"
    assert read_geometry(json.loads(json.dumps(geometry.to_geojson(one * 2)))) == one * 2


def test_segment_distance() -> None:
    assert geometry.segment_distance((0.0, 1.0), (-1.0, 0.0), (1.0, 0.0)) == 1.0
    assert geometry.segment_distance((3.0, 4.0), (0.0, 0.0), (0.0, 0.0)) == 5.0  # a point segment
    assert geometry.segment_distance((2.0, 0.0), (-1.0, 0.0), (1.0, 0.0)) == 1.0  # beyond the end


coordinate = st.tuples(
    st.floats(min_value=95.0, max_value=141.0, allow_nan=False), st.floats(min_value=-11.0, max_value=6.0)
)
rings = st.lists(coordinate, min_size=3, max_size=60).map(lambda pts: [*pts, pts[0]])
tolerances = st.floats(min_value=0.0, max_value=2.0)


@settings(max_examples=300, deadline=None)
@given(rings, tolerances)
def test_simplified_ring_is_closed_at_least_four_points_a_subsequence_and_within_tolerance(ring, tolerance) -> None:
    out = simplify_ring(ring, tolerance)
    assert out[0] == out[-1] and len(out) >= 4 and len(out) <= len(ring)
    it = iter(ring)
    assert all(p in it for p in out)  # a sub-sequence, in order
    # Douglas–Peucker's promise: every dropped point lies within the tolerance of the simplified outline (twice
    # that where fewer than 4 points would remain and the first splits are kept anyway)
    bound = tolerance if len(geometry.douglas_peucker(ring, tolerance)) >= 4 else 2 * tolerance
    for p in ring:
        nearest = min(geometry.segment_distance(p, a, b) for a, b in itertools.pairwise(out))
        assert nearest <= bound + 1e-9


@settings(max_examples=300, deadline=None)
@given(st.lists(rings, min_size=1, max_size=4), tolerances)
def test_simplified_polygons_are_never_empty_closed_rounded_and_inside_the_bounds(polys, tolerance) -> None:
    out = simplify([[r] for r in polys], tolerance)
    assert 1 <= len(out) <= len(polys)
    west, south, east, north = geometry.BOUNDS
    for poly in out:
        for ring in poly:
            assert ring[0] == ring[-1] and len(ring) >= 4
            for lon, lat in ring:
                assert west <= lon <= east and south <= lat <= north
    rounded = [r for poly in out for r in poly if all(round(c, 5) == c for p in r for c in p)]
    assert len(rounded) >= sum(len(p) for p in out) - 1  # only the fallback ring may stay unrounded


# --- the boundary file ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "level", "code"),
    [
        ("16", Level.PROVINSI, "16"),
        (16, Level.PROVINSI, "16"),
        (" 16 ", Level.PROVINSI, "16"),
        ("16.71", Level.KABKOTA, "16.71"),
        ("1671", Level.KABKOTA, "16.71"),
        (1671, Level.KABKOTA, "16.71"),
        ("16.71", Level.PROVINSI, None),
        ("16", Level.KABKOTA, None),
        ("167", Level.KABKOTA, None),
        (True, Level.PROVINSI, None),
        (16.0, Level.PROVINSI, None),
        ("Sumsel", Level.PROVINSI, None),
    ],
)
def test_codes_are_normalised(value: object, level: Level, code: str | None) -> None:
    assert normalise_code(value, level) == code


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"kode,nama\n16,Sumatera Selatan\n", "Berkas bukan JSON yang sah (baris 1, kolom 1"),
        (b"[1, 2]", "bukan GeoJSON FeatureCollection (jenisnya: 'list')"),
        (b'{"type": "Feature"}', "bukan GeoJSON FeatureCollection (jenisnya: 'Feature')"),
        (b'{"type": "FeatureCollection", "features": []}', "tidak berisi fitur apa pun"),
        (b"\xff\xfe{}", "Berkas bukan teks UTF-8"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_one_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(BoundaryFileError) as info:
        load_collection(decode(data))
    assert message in str(info.value)


def test_every_fault_of_a_file_is_named_with_its_feature() -> None:
    good = synthetic.feature("16", "Sumatera Selatan", SQUARE)
    data = synthetic.collection(
        [
            good,
            synthetic.feature("16", "Sumsel lagi", SQUARE),
            {"type": "Feature", "properties": {"nama": "Tanpa kode"}, "geometry": polygon(SQUARE)},
            synthetic.feature("Aceh", "Aceh", SQUARE),
            synthetic.feature("11", "Aceh", SQUARE[:4]),
            "bukan fitur",
        ]
    )
    reading = read_features(json.dumps(data), Level.PROVINSI)
    assert [f.code for f in reading.features] == ["16"]
    assert reading.codes == {"16": "Sumatera Selatan", "11": "Aceh"}
    assert reading.problems == [
        "Fitur ke-2 (kode 16, Sumsel lagi): kode yang sama sudah dipakai fitur ke-1.",
        "Fitur ke-3 (Tanpa kode): tidak ada kode wilayah (properti kode, kode_wilayah, code atau KDPPUM).",
        "Fitur ke-4 (Aceh): 'Aceh' bukan kode provinsi.",
        "Fitur ke-5 (kode 11, Aceh): poligon, garis batas ke-1: garis batas tidak tertutup (titik pertama dan "
        "terakhir berbeda).",
        "Fitur ke-6: bukan GeoJSON Feature.",
    ]


def test_the_national_base_map_columns_are_read() -> None:
    data = synthetic.collection(
        [{"type": "Feature", "properties": {"KDPKAB": "16.71", "WADMKK": "Palembang"}, "geometry": polygon(SQUARE)}]
    )
    reading = read_features(json.dumps(data), Level.KABKOTA)
    assert reading.problems == [] and reading.features[0].code == "16.71" and reading.features[0].name == "Palembang"


def test_many_faults_are_counted_after_the_first_fifty() -> None:
    data = synthetic.collection(synthetic.feature(f"{i:02d}", "", SQUARE[:3]) for i in range(10, 80))
    problems = read_features(json.dumps(data), Level.PROVINSI).problems
    assert len(problems) == 51 and problems[-1] == "… dan 20 masalah lain."


def test_a_detailed_boundary_is_simplified_in_time() -> None:
    """A ring of 200.000 points (a wobbly circle, as a coastline at survey detail) and a square of 20.000 points on
    nearly straight sides: Douglas–Peucker does not look again into a segment within the tolerance."""
    n = 200_000
    circle = [
        (120.0 + math.cos(2 * math.pi * i / n) * (1 + 0.001 * math.sin(i)), math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    circle.append(circle[0])
    square = [tuple(p) for p in synthetic.square(100.0, -2.0, 3.5, per_side=5000)]
    started = time.perf_counter()
    out = simplify([[circle], [square]], 0.01)
    assert time.perf_counter() - started < 10
    assert 20 < len(out[0][0]) < 200 and len(out[1][0]) == 5
