"""The time zone of a region, decided by its province code. Pure module: no Django import.

Indonesia has three zones (Keppres 41/1987): WIB (UTC+7, ``Asia/Jakarta``), WITA (UTC+8, ``Asia/Makassar``) and WIT
(UTC+9, ``Asia/Jayapura``). Every region lies wholly in its province's zone, so the first two digits of a Kemendagri
code decide it:

- WIB: Sumatra and the Riau islands (11-21), Java with Jakarta and Banten (31-36), Kalimantan Barat (61) and
  Kalimantan Tengah (62);
- WITA: Bali and Nusa Tenggara (51-53), Kalimantan Selatan, Timur and Utara (63-65), every Sulawesi province with
  Gorontalo (71-76);
- WIT: Maluku and Maluku Utara (81-82), every Papua province (91-96, and any later 9x).

A viewer without a region (the ministry, the public) reads WIB, the zone of the capital and of the site's settings.
"""

from __future__ import annotations

from kla.core.formatting import WIB, WIT, WITA

DEFAULT_ZONE = WIB

_WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})


def zone_of(region_code: str | None) -> str:
    """``"Asia/Jakarta"``, ``"Asia/Makassar"`` or ``"Asia/Jayapura"`` for a dotted region code (any level).

    An empty or malformed code reads WIB (``DEFAULT_ZONE``)."""
    province = (region_code or "")[:2]
    if len(province) != 2 or not province.isdigit():
        return DEFAULT_ZONE
    if province in _WITA_PROVINCES:
        return WITA
    if province[0] in "89":
        return WIT
    return WIB


def common_zone(region_codes: list[str | None]) -> str:
    """The zone of a person who works in these regions: the zone of the first one with a code (their memberships in
    a stable order), WIB when none has one."""
    for code in region_codes:
        if code:
            return zone_of(code)
    return DEFAULT_ZONE
