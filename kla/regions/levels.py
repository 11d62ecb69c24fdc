"""Region levels and dotted Kemendagri codes. Pure module: no Django import.

Codes are dotted: ``16`` (provinsi), ``16.71`` (kab/kota), ``16.71.01`` (kecamatan), ``16.71.01.1001``
(desa/kelurahan). A region's subtree is every code that starts with its code plus a dot; as ``'/'`` sorts right
after ``'.'``, the subtree is the half-open range ``[code + '.', code + '/')``, which any B-tree index on the code
answers in one range scan, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Level(StrEnum):
    PROVINSI = "provinsi"
    KABKOTA = "kabkota"
    KECAMATAN = "kecamatan"
    DESA = "desa"

    @property
    def depth(self) -> int:
        return LEVEL_ORDER.index(self) + 1


LEVEL_ORDER: tuple[Level, ...] = (Level.PROVINSI, Level.KABKOTA, Level.KECAMATAN, Level.DESA)
LEVEL_LABELS: dict[Level, str] = {
    Level.PROVINSI: "Provinsi",
    Level.KABKOTA: "Kabupaten/Kota",
    Level.KECAMATAN: "Kecamatan",
    Level.DESA: "Desa/Kelurahan",
}

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def is_valid_code(code: str) -> bool:
    """True for a well-formed dotted Kemendagri code (it may still not exist)."""
    return bool(_CODE.match(code))


def level_of(code: str) -> Level:
    """The level a well-formed code belongs to, from its number of parts."""
    if not is_valid_code(code):
        raise ValueError(f"kode wilayah tidak sah: {code!r}")
    return LEVEL_ORDER[code.count(".")]


def parent_of(code: str) -> str | None:
    """``16.71`` → ``16``; a province has no parent."""
    if not is_valid_code(code):
        raise ValueError(f"kode wilayah tidak sah: {code!r}")
    return code.rsplit(".", 1)[0] if "." in code else None


def subtree_bounds(code: str) -> tuple[str, str]:
    """The half-open code range ``[low, high)`` holding every descendant of `code` (not `code` itself)."""
    return code + ".", code + "/"


def is_within(code: str, ancestor: str) -> bool:
    """True if `code` is `ancestor` or lies under it."""
    return code == ancestor or code.startswith(ancestor + ".")
