"""Reading a boundary file: a GeoJSON FeatureCollection whose features carry a Kemendagri code. Pure module.

The code of a feature is read from the first of these properties that is present: `kode`, `kode_wilayah`,
`code`, then the column of the national base map (Badan Informasi Geospasial): `KDPPUM` for provinces, `KDPKAB`
for kab/kota. Dotted (``16``, ``16.71``) and undotted (``1671``) codes are accepted, as text or number. The
name, only used in messages, from `nama`, `name`, `WADMPR` (provinsi) or `WADMKK` (kab/kota).

Every fault of the file is collected (up to `MAX_PROBLEMS`), so one run names them all; nothing is stored by
this module.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kla.regions.geometry import GeometryError, Polygons, read_geometry
from kla.regions.levels import Level

CODE_PROPERTIES = ("kode", "kode_wilayah", "code")
LEVEL_CODE_PROPERTY = {Level.PROVINSI: "KDPPUM", Level.KABKOTA: "KDPKAB"}
NAME_PROPERTIES = ("nama", "name")
LEVEL_NAME_PROPERTY = {Level.PROVINSI: "WADMPR", Level.KABKOTA: "WADMKK"}
LEVELS = (Level.PROVINSI, Level.KABKOTA)
LEVEL_WORDS = {Level.PROVINSI: "provinsi", Level.KABKOTA: "kabupaten/kota"}
MAX_PROBLEMS = 50

_DOTTED = {Level.PROVINSI: re.compile(r"^\d{2}$"), Level.KABKOTA: re.compile(r"^\d{2}\.\d{2}$")}
_PLAIN = {Level.PROVINSI: re.compile(r"^\d{2}$"), Level.KABKOTA: re.compile(r"^\d{4}$")}


class BoundaryFileError(ValueError):
    """The file cannot be read at all (not JSON, not a FeatureCollection): one message."""


@dataclass(frozen=True)
class FeatureIn:
    code: str
    name: str
    polygons: Polygons


@dataclass
class Reading:
    features: list[FeatureIn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # every well-formed code in the file → its name

    def problem(self, message: str) -> None:
        self.problems.append(message)


def normalise_code(value: Any, level: Level) -> str | None:
    """A code of `level` in dotted form (``1671`` → ``16.71``), or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    if _DOTTED[level].match(text):
        return text
    if _PLAIN[level].match(text):
        return text if level == Level.PROVINSI else f"{text[:2]}.{text[2:]}"
    return None


def _first(properties: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if properties.get(name) not in (None, ""):
            return properties[name]
    return None


def decode(data: bytes) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or `BoundaryFileError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BoundaryFileError("Berkas bukan teks UTF-8; berkas GeoJSON adalah teks JSON berenkode UTF-8.") from None


def load_collection(text: str) -> list[Any]:
    """The features of a GeoJSON FeatureCollection, or `BoundaryFileError` saying what the file is instead."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryFileError(
            f"Berkas bukan JSON yang sah (baris {exc.lineno}, kolom {exc.colno}: {exc.msg}); "
            "unggah berkas GeoJSON FeatureCollection."
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise BoundaryFileError(
            f"Berkas JSON ini bukan GeoJSON FeatureCollection (jenisnya: {found!r}); "
            'diperlukan {"type": "FeatureCollection", "features": [...]}.'
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileError("FeatureCollection tidak berisi fitur apa pun.")
    return features


def _feature(reading: Reading, number: int, feature: Any, level: Level, seen: dict[str, int]) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        reading.problem(f"Fitur ke-{number}: bukan GeoJSON Feature.")
        return
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    raw = _first(properties, (*CODE_PROPERTIES, LEVEL_CODE_PROPERTY[level]))
    name = str(_first(properties, (*NAME_PROPERTIES, LEVEL_NAME_PROPERTY[level])) or "")
    label = f"Fitur ke-{number}" + (f" ({name})" if name else "")
    if raw is None:
        names = ", ".join(CODE_PROPERTIES) + f" atau {LEVEL_CODE_PROPERTY[level]}"
        reading.problem(f"{label}: tidak ada kode wilayah (properti {names}).")
        return
    code = normalise_code(raw, level)
    if code is None:
        reading.problem(f"{label}: {raw!r} bukan kode {LEVEL_WORDS[level]}.")
        return
    label = f"Fitur ke-{number} (kode {code}" + (f", {name})" if name else ")")
    if code in seen:
        reading.problem(f"{label}: kode yang sama sudah dipakai fitur ke-{seen[code]}.")
        return
    seen[code] = number
    reading.codes[code] = name
    try:
        polygons = read_geometry(feature.get("geometry"))
    except GeometryError as exc:
        reading.problem(f"{label}: {exc}")
        return
    reading.features.append(FeatureIn(code, name, polygons))


def read_features(text: str, level: Level) -> Reading:
    """Every feature of the file checked: the readable ones, and a message per fault (at most `MAX_PROBLEMS`, then
    a count of the rest). Raises `BoundaryFileError` when the file is not a FeatureCollection at all."""
    if level not in LEVELS:
        raise BoundaryFileError(f"Batas wilayah hanya untuk provinsi dan kabupaten/kota, bukan {level.value}.")
    reading = Reading()
    seen: dict[str, int] = {}
    for number, feature in enumerate(load_collection(text), start=1):
        _feature(reading, number, feature, level, seen)
    if len(reading.problems) > MAX_PROBLEMS:
        rest = len(reading.problems) - MAX_PROBLEMS
        reading.problems = [*reading.problems[:MAX_PROBLEMS], f"… dan {rest} masalah lain."]
    return reading
