"""Boundary geometry for the web map: checking a GeoJSON geometry and simplifying it. Pure module: no Django import.

A geometry is read into `Polygons`: a list of polygons, each a list of rings (the outer ring first, then its holes),
each ring a list of (longitude, latitude) points whose first and last point are the same. Only Polygon and
MultiPolygon are boundaries; anything else is refused with a message that names where the fault is.

Simplification is Douglas–Peucker on each ring with a tolerance in degrees, then coordinates rounded to
`DIGITS` decimals (1e-5° is about 1 m). Every ring that comes out is still closed and has at least 4 points;
polygons and holes smaller than the tolerance are dropped, except that a geometry always keeps its largest polygon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
Polygons = list[list[Ring]]

# Indonesia with a margin: Sabang/Miangas to Merauke/Rote (about 95°–141° E, 11° S–6° N)
BOUNDS = (94.0, -12.0, 142.0, 7.0)  # west, south, east, north
DIGITS = 5
MIN_RING = 4  # a triangle and its closing point


class GeometryError(ValueError):
    """A geometry that cannot be a boundary; the message says where (polygon, ring, point) and why."""


# --- reading and checking --------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _point(value: Any, where: str) -> Point:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise GeometryError(f"{where}: titik harus berupa pasangan [bujur, lintang].")
    lon, lat = _number(value[0]), _number(value[1])
    if lon is None or lat is None:
        raise GeometryError(f"{where}: koordinat bukan angka ({value[0]!r}, {value[1]!r}).")
    west, south, east, north = BOUNDS
    if not (west <= lon <= east and south <= lat <= north):
        raise GeometryError(
            f"{where}: koordinat ({lon}, {lat}) di luar wilayah Indonesia "
            f"(bujur {west}–{east}, lintang {south}–{north}); periksa urutan [bujur, lintang] dan sistem koordinatnya "
            "(harus WGS 84, derajat)."
        )
    return lon, lat


def _ring(value: Any, where: str) -> Ring:
    if not isinstance(value, list):
        raise GeometryError(f"{where}: garis batas harus berupa daftar titik.")
    if len(value) < MIN_RING:
        raise GeometryError(f"{where}: garis batas hanya {len(value)} titik; paling sedikit {MIN_RING} titik.")
    ring = [_point(p, f"{where}, titik ke-{i}") for i, p in enumerate(value, start=1)]
    if ring[0] != ring[-1]:
        raise GeometryError(f"{where}: garis batas tidak tertutup (titik pertama dan terakhir berbeda).")
    return ring


def _polygon(value: Any, where: str) -> list[Ring]:
    if not isinstance(value, list) or not value:
        raise GeometryError(f"{where}: poligon harus berupa daftar garis batas yang tidak kosong.")
    return [_ring(r, f"{where}, garis batas ke-{i}") for i, r in enumerate(value, start=1)]


def read_geometry(geometry: Any) -> Polygons:
    """A GeoJSON Polygon or MultiPolygon as `Polygons`, or `GeometryError`."""
    if not isinstance(geometry, dict):
        raise GeometryError("tidak memiliki geometri.")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [_polygon(coordinates, "poligon")]
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise GeometryError("MultiPolygon harus berisi paling sedikit satu poligon.")
        return [_polygon(p, f"poligon ke-{i}") for i, p in enumerate(coordinates, start=1)]
    raise GeometryError(
        f"jenis geometri {kind!r} tidak dapat dipakai sebagai batas wilayah; hanya Polygon atau MultiPolygon."
    )


def count_points(polygons: Polygons) -> int:
    return sum(len(ring) for polygon in polygons for ring in polygon)


def extent(ring: Sequence[Point]) -> float:
    """The larger side of the ring's bounding box, in degrees."""
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(lons) - min(lons), max(lats) - min(lats))


# --- simplification --------------------------------------------------------------------------------------------


def segment_distance(p: Point, a: Point, b: Point) -> float:
    """The distance from `p` to the segment a–b (to `a` when the segment is a point, as a closed ring's ends are)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def _farthest(points: Sequence[Point], i: int, j: int) -> tuple[float, int]:
    """The point strictly between i and j farthest from the segment i–j: (distance, index)."""
    best, k = -1.0, i + 1
    a, b = points[i], points[j]
    for m in range(i + 1, j):
        d = segment_distance(points[m], a, b)
        if d > best:
            best, k = d, m
    return best, k


def douglas_peucker(points: Sequence[Point], tolerance: float) -> set[int]:
    """The indices Douglas–Peucker keeps: both ends, and recursively the point farthest from the current segment
    while it lies more than `tolerance` away. Iterative (a ring of a million points does not exhaust the stack), and
    a segment whose farthest point is within the tolerance is not looked into again."""
    kept = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        best, k = _farthest(points, i, j)
        if best > tolerance:
            kept.add(k)
            stack.append((i, k))
            stack.append((k, j))
    return kept


def simplify_ring(ring: Sequence[Point], tolerance: float) -> Ring:
    """Douglas–Peucker on a closed ring; the result is a closed sub-sequence of it with at least 4 points.

    The ends of a closed ring are the same point, so the first split is the point farthest from it. When the
    tolerance leaves fewer than 4 points, the first two splits Douglas–Peucker would make are kept anyway: the point
    farthest from the start, then the point farthest from either half (every point then lies within twice the
    tolerance of the outline, as all of them lay within the tolerance of the corners kept)."""
    if len(ring) <= MIN_RING:
        return list(ring)
    kept = douglas_peucker(ring, tolerance)
    if len(kept) < MIN_RING:
        last = len(ring) - 1
        _d, k1 = _farthest(ring, 0, last)
        (d1, left), (d2, right) = _farthest(ring, 0, k1), _farthest(ring, k1, last)  # a half without points: -1
        kept |= {k1, left if d1 >= d2 else right}
    return [ring[i] for i in sorted(kept)]


def round_ring(ring: Sequence[Point], digits: int = DIGITS) -> Ring | None:
    """Coordinates rounded, repeated neighbours merged; None when fewer than 4 points remain (a speck)."""
    out: Ring = []
    for lon, lat in ring:
        point = (round(lon, digits), round(lat, digits))
        if not out or out[-1] != point:
            out.append(point)
    return out if len(out) >= MIN_RING and out[0] == out[-1] else None


def _largest(polygons: Polygons) -> int:
    return max(range(len(polygons)), key=lambda i: extent(polygons[i][0]))


def simplify(polygons: Polygons, tolerance: float, digits: int = DIGITS) -> Polygons:
    """Each ring simplified and rounded; specks and polygons or holes smaller than `tolerance` dropped, but the
    largest polygon always stays (unrounded if rounding would collapse it), so the result is never empty."""
    largest = _largest(polygons)
    out: Polygons = []
    for index, polygon in enumerate(polygons):
        if index != largest and extent(polygon[0]) < tolerance:
            continue
        outer = round_ring(simplify_ring(polygon[0], tolerance), digits)
        if outer is None:
            continue
        holes = [
            r
            for hole in polygon[1:]
            if extent(hole) >= tolerance and (r := round_ring(simplify_ring(hole, tolerance), digits)) is not None
        ]
        out.append([outer, *holes])
    if not out:
        out.append([simplify_ring(polygons[largest][0], tolerance)])
    return out


def to_geojson(polygons: Polygons) -> dict[str, Any]:
    """A Polygon for one polygon, a MultiPolygon otherwise; points as [longitude, latitude] lists."""
    coordinates = [[[list(p) for p in ring] for ring in polygon] for polygon in polygons]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}
