"""A synthetic boundary file for tests: no real boundary data is available, so each region is a square with many
points along its sides (something for the simplification to remove), placed on a grid across Indonesia."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

COLUMNS = 10
CELL = 4.5  # degrees between provinces
SIDE = 3.5  # a province's square


def square(west: float, south: float, size: float, per_side: int = 12) -> list[list[float]]:
    """A closed ring: the square's four sides, each cut into `per_side` steps with a slight bulge (< 0.001°)."""
    ring: list[list[float]] = []
    corners = [(west, south), (west + size, south), (west + size, south + size), (west, south + size)]
    for k in range(4):
        (x0, y0), (x1, y1) = corners[k], corners[(k + 1) % 4]
        for i in range(per_side):
            t = i / per_side
            bulge = 0.0005 * (i % 2)
            ring.append([round(x0 + (x1 - x0) * t + bulge, 6), round(y0 + (y1 - y0) * t + bulge, 6)])
    ring.append(list(ring[0]))
    return ring


def province_cell(index: int) -> tuple[float, float]:
    """The south-west corner of the index-th province's square."""
    return 95.5 + (index % COLUMNS) * CELL, 3.0 - (index // COLUMNS) * CELL


def feature(code: str, name: str, ring: list[list[float]], key: str = "kode") -> dict[str, Any]:
    shape = {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "properties": {key: code, "nama": name}, "geometry": shape}


def collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def provinces(regions: Sequence[tuple[str, str]], key: str = "kode") -> dict[str, Any]:
    """(code, name) of provinces → a FeatureCollection of squares in code order."""
    return collection(
        feature(code, name, square(*province_cell(i), SIDE), key) for i, (code, name) in enumerate(regions)
    )


def kabkota(provinces_order: Sequence[str], regions: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """(code, name, province code) of kab/kota → squares tiling their province's square."""
    by_province: dict[str, list[tuple[str, str]]] = {}
    for code, name, parent in regions:
        by_province.setdefault(parent, []).append((code, name))
    features = []
    for index, parent in enumerate(provinces_order):
        children = by_province.get(parent, [])
        n = max(1, int(len(children) ** 0.5 + 0.999))
        size = SIDE / n
        west, south = province_cell(index)
        for k, (code, name) in enumerate(children):
            features.append(feature(code, name, square(west + (k % n) * size, south + (k // n) * size, size * 0.95, 4)))
    return collection(features)


def dumps(data: Any) -> bytes:
    return json.dumps(data).encode()


def from_database(level: str = "provinsi", key: str = "kode") -> dict[str, Any]:
    """The synthetic file for every loaded region of `level` (the demo loads 38 provinces, 514 kab/kota)."""
    from kla.regions.models import Region

    province_rows = list(Region.objects.filter(level="provinsi").order_by("code").values_list("code", "name"))
    if level == "provinsi":
        return provinces(province_rows, key)
    rows = Region.objects.filter(level="kabkota").order_by("code").values_list("code", "name", "parent_id")
    return kabkota([code for code, _ in province_rows], list(rows))
