"""The time zone of a region, from its province's code (Kemendagri codes): WITA and WIT by province, WIB elsewhere."""

from __future__ import annotations

from kla.core.formatting import WIB, WIT, WITA

# Bali, NTB, NTT, Kalimantan Selatan/Timur/Utara, the Sulawesi provinces: WITA; Maluku and the Papua provinces: WIT.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def zone_of(region_code: str | None) -> str:
    province = (region_code or "").split(".")[0]
    if province in _WITA:
        return WITA
    if province in _WIT:
        return WIT
    return WIB
