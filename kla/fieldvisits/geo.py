"""The location a phone's browser reported for a field photo. Pure module: no Django import.

Coordinates arrive as text from hidden form fields filled by `navigator.geolocation`; they are optional (no
JavaScript, permission refused, no fix indoors). When given they must be plausible, and they are kept on the
photo's database row only, never written into the image file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_ACCURACY_M = Decimal(100_000)  # beyond 100 km a "location" says nothing about the site
_SIX = Decimal("0.000001")  # about 11 cm at the equator: finer than any phone fix
_ONE = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Location:
    latitude: Decimal
    longitude: Decimal
    accuracy_m: Decimal | None


def _number(raw: object, label: str) -> Decimal | None:
    text = "" if raw is None else str(raw).strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label} harus berupa angka.") from None
    if not value.is_finite():
        raise ValueError(f"{label} harus berupa angka.")
    return value


def parse_location(latitude: object, longitude: object, accuracy_m: object = None) -> Location | None:
    """The location from form values, None when none was captured; ValueError (Indonesian) when implausible."""
    lat = _number(latitude, "Lintang")
    lon = _number(longitude, "Bujur")
    acc = _number(accuracy_m, "Akurasi lokasi")
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise ValueError("Lintang dan bujur harus diisi bersama; ambil ulang lokasi atau kosongkan keduanya.")
    if not Decimal(-90) <= lat <= Decimal(90):
        raise ValueError(f"Lintang {lat} di luar rentang -90 sampai 90.")
    if not Decimal(-180) <= lon <= Decimal(180):
        raise ValueError(f"Bujur {lon} di luar rentang -180 sampai 180.")
    if acc is not None and not Decimal(0) <= acc <= MAX_ACCURACY_M:
        raise ValueError(f"Akurasi lokasi harus antara 0 dan {MAX_ACCURACY_M} meter.")
    return Location(
        latitude=lat.quantize(_SIX, ROUND_HALF_UP),
        longitude=lon.quantize(_SIX, ROUND_HALF_UP),
        accuracy_m=acc.quantize(_ONE, ROUND_HALF_UP) if acc is not None else None,
    )
