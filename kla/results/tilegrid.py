"""Tile-grid maps: each region a labelled square, placed roughly where it lies. Pure module: no Django import.

No boundary file is needed. The 38 provinces sit on a 15 × 7 grid by their Kemendagri code (Sumatra on the left,
Java and Nusa Tenggara along the bottom, Kalimantan and Sulawesi in the middle, Maluku and Papua on the right);
their labels are the ISO 3166-2:ID subdivision codes, their names go into each tile's title. A province's
kab/kota sit in a plain grid in code order. The colour of a tile is a CSS class (the CSP forbids inline styles):
`tile-share-N` (share of kab/kota with a published predicate, 0-4), `tile-band-N` (a predicate's rank among the
cycle's bands, 1 = lowest) or `tile-none` (no data or no predicate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Kemendagri province code → (column, row, ISO 3166-2:ID label)
PROVINCE_GRID: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "AC"),  # Aceh
    "12": (1, 1, "SU"),  # Sumatera Utara
    "14": (2, 1, "RI"),  # Riau
    "21": (3, 1, "KR"),  # Kepulauan Riau
    "13": (1, 2, "SB"),  # Sumatera Barat
    "15": (2, 2, "JA"),  # Jambi
    "19": (3, 2, "BB"),  # Kepulauan Bangka Belitung
    "17": (1, 3, "BE"),  # Bengkulu
    "16": (2, 3, "SS"),  # Sumatera Selatan
    "18": (2, 4, "LA"),  # Lampung
    "31": (4, 4, "JK"),  # DKI Jakarta
    "36": (3, 5, "BT"),  # Banten
    "32": (4, 5, "JB"),  # Jawa Barat
    "33": (5, 5, "JT"),  # Jawa Tengah
    "34": (5, 6, "YO"),  # DI Yogyakarta
    "35": (6, 5, "JI"),  # Jawa Timur
    "51": (7, 5, "BA"),  # Bali
    "52": (8, 5, "NB"),  # Nusa Tenggara Barat
    "53": (9, 5, "NT"),  # Nusa Tenggara Timur
    "61": (5, 1, "KB"),  # Kalimantan Barat
    "65": (7, 0, "KU"),  # Kalimantan Utara
    "64": (7, 1, "KI"),  # Kalimantan Timur
    "62": (6, 2, "KT"),  # Kalimantan Tengah
    "63": (7, 2, "KS"),  # Kalimantan Selatan
    "76": (8, 2, "SR"),  # Sulawesi Barat
    "75": (9, 1, "GO"),  # Gorontalo
    "71": (10, 1, "SA"),  # Sulawesi Utara
    "72": (9, 2, "ST"),  # Sulawesi Tengah
    "73": (8, 3, "SN"),  # Sulawesi Selatan
    "74": (9, 3, "SG"),  # Sulawesi Tenggara
    "82": (11, 1, "MU"),  # Maluku Utara
    "81": (11, 2, "MA"),  # Maluku
    "96": (12, 1, "PD"),  # Papua Barat Daya
    "92": (13, 1, "PB"),  # Papua Barat
    "91": (14, 1, "PA"),  # Papua
    "94": (13, 2, "PT"),  # Papua Tengah
    "95": (14, 2, "PE"),  # Papua Pegunungan
    "93": (14, 3, "PS"),  # Papua Selatan
}

TILE = 44  # side of a tile in SVG units
GAP = 4
SHARE_STEPS = 4  # tile-share-1..4: above 0 up to 25 %, 50 %, 75 %, 100 %; tile-share-0: none
KABKOTA_COLUMNS = 6
NO_DATA = "tile-none"


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str
    x: int
    y: int
    css: str
    figure: str  # the short figure printed in the tile ("50%", a predicate's initial), may be empty

    size = TILE

    @property
    def centre_x(self) -> int:
        return self.x + TILE // 2

    @property
    def label_y(self) -> int:  # the label's baseline: centred, or raised above a figure
        return self.y + (TILE // 2 if self.figure else TILE // 2 + 5)

    @property
    def figure_y(self) -> int:
        return self.y + TILE // 2 + 14


@dataclass(frozen=True)
class Grid:
    tiles: list[Tile]
    width: int
    height: int


def share_class(with_predicate: int, total: int) -> str:
    """The colour class of a province by the share of its kab/kota with a published predicate."""
    if total <= 0:
        return NO_DATA
    if with_predicate <= 0:
        return "tile-share-0"
    step = -(-with_predicate * SHARE_STEPS // total)  # ceiling: any share above 0 % is at least step 1
    return f"tile-share-{min(step, SHARE_STEPS)}"


def share_percent(with_predicate: int, total: int) -> int | None:
    """The share as a whole percentage rounded down (never 100 before every kab/kota has one), None without data."""
    return None if total <= 0 else with_predicate * 100 // total


def band_class(band_code: str | None, band_codes: Sequence[str]) -> str:
    """The colour class of a predicate by its rank among the bands (listed lowest first)."""
    if not band_code or band_code not in band_codes:
        return NO_DATA
    return f"tile-band-{band_codes.index(band_code) + 1}"


def _place(column: int, row: int) -> tuple[int, int]:
    return column * (TILE + GAP), row * (TILE + GAP)


def _size(columns: int, rows: int) -> tuple[int, int]:
    return max(columns * (TILE + GAP) - GAP, 0), max(rows * (TILE + GAP) - GAP, 0)


def province_grid(names: dict[str, str], classes: dict[str, str], figures: dict[str, str] | None = None) -> Grid:
    """Every province of `PROVINCE_GRID` as a tile (those without a class: `tile-none`); `names` by code."""
    tiles = []
    for code, (column, row, label) in sorted(PROVINCE_GRID.items()):
        x, y = _place(column, row)
        css = classes.get(code, NO_DATA)
        tiles.append(Tile(code, names.get(code, label), label, x, y, css, (figures or {}).get(code, "")))
    columns = max(c for c, _r, _l in PROVINCE_GRID.values()) + 1
    rows = max(r for _c, r, _l in PROVINCE_GRID.values()) + 1
    return Grid(tiles, *_size(columns, rows))


def kabkota_label(code: str) -> str:
    """The tile label of a kab/kota: its own part of the code (``16.71`` → ``71``)."""
    return code.rsplit(".", 1)[-1]


def simple_grid(items: Sequence[tuple[str, str, str, str]], columns: int = KABKOTA_COLUMNS) -> Grid:
    """(code, name, class, figure) in code order, `columns` to a row: a province's kab/kota."""
    tiles = []
    for i, (code, name, css, figure) in enumerate(sorted(items)):
        x, y = _place(i % columns, i // columns)
        tiles.append(Tile(code, name, kabkota_label(code), x, y, css, figure))
    rows = -(-len(tiles) // columns)
    return Grid(tiles, *_size(min(columns, len(tiles)), rows))


def percent_text(value: int | None) -> str:
    return "" if value is None else f"{value}%"
