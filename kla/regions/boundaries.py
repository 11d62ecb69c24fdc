"""Importing region boundaries for the web map, and reading them back.

`boundaries_import` checks a whole GeoJSON file before anything is written (`boundary_file.read_features`: JSON,
FeatureCollection, a Kemendagri code per feature, geometry; then the codes against the loaded regions: unknown ones,
and regions of the level the file leaves out), simplifies each geometry once (`geometry.simplify`) and replaces the
level's boundaries in one transaction with one audit event. Any fault refuses the whole file: nothing is
half-imported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from kla.core import audit
from kla.core.formatting import format_number
from kla.regions import geometry
from kla.regions.boundary_file import LEVEL_WORDS, LEVELS, BoundaryFileError, FeatureIn, decode, read_features
from kla.regions.levels import Level
from kla.regions.models import Boundary, Region

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

# 100 MiB: a national kab/kota file prepared for the web is a few MiB; a 200 MiB survey file is refused unread.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_TOLERANCE = {Level.PROVINSI: 0.01, Level.KABKOTA: 0.002}  # degrees: about 1 km and 200 m
MAX_NAMED = 40  # missing regions named in a message; the rest counted


def max_bytes() -> int:
    """The largest boundary file accepted (setting `KLA_BOUNDARY_MAX_BYTES`)."""
    return int(getattr(settings, "KLA_BOUNDARY_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_problem(size: int, limit: int | None = None) -> str | None:
    """The refusal of a file of `size` bytes, or None; checked before the file is read."""
    limit = max_bytes() if limit is None else limit
    if size <= limit:
        return None
    mib = 1024 * 1024
    return (
        f"Berkas terlalu besar ({format_number(size / mib, 1)} MiB; batas {format_number(limit / mib, 1)} MiB). "
        "Sederhanakan batas wilayah terlebih dahulu (mis. dengan mapshaper) atau naikkan batas dengan --max-mb."
    )


@dataclass(frozen=True)
class ImportReport:
    level: Level
    count: int
    points_source: int
    points: int
    replaced: int
    missing: list[tuple[str, str]]  # (code, name) of the level's regions the file leaves out (allowed)
    checksum: str


def _names(regions: list[tuple[str, str]]) -> str:
    named = ", ".join(f"{code} {name}" for code, name in regions[:MAX_NAMED])
    rest = len(regions) - MAX_NAMED
    return named + (f", dan {rest} lainnya" if rest > 0 else "")


def _check_codes(codes: dict[str, str], level: Level) -> tuple[list[str], list[tuple[str, str]]]:
    """(problems for unknown codes, the level's regions absent from the file) in one query."""
    known = dict(Region.objects.filter(level=level.value).order_by("code").values_list("code", "name"))
    word = LEVEL_WORDS[level]
    problems = [
        f"Kode {code}{f' ({name})' if name else ''} tidak dikenal sebagai {word} Kemendagri."
        for code, name in codes.items()
        if code not in known
    ]
    missing = [(code, name) for code, name in known.items() if code not in codes]
    return problems, missing


def boundaries_import(
    *,
    data: bytes,
    level: Level,
    source_name: str,
    tolerance: float | None = None,
    allow_missing: bool = False,
    limit: int | None = None,
    by: _User | None,
) -> ImportReport:
    """Check, simplify and store a boundary file of `level`, replacing that level's boundaries; `ValidationError`
    with every problem (in Indonesian) and nothing written when the file has any fault. Regions of the level that
    the file leaves out are a fault unless `allow_missing` (they are then named in the report)."""
    if (problem := size_problem(len(data), limit)) is not None:
        raise ValidationError(problem)
    if level not in LEVELS:
        raise ValidationError(f"Batas wilayah hanya untuk provinsi dan kabupaten/kota, bukan {level.value}.")
    tolerance = DEFAULT_TOLERANCE[level] if tolerance is None else tolerance
    if not 0 <= tolerance < 1:
        raise ValidationError("Toleransi penyederhanaan harus antara 0 dan 1 derajat.")
    try:
        reading = read_features(decode(data), level)
    except BoundaryFileError as exc:
        raise ValidationError(str(exc)) from None
    problems = list(reading.problems)
    unknown, missing = _check_codes(reading.codes, level)
    problems += unknown
    if missing and not allow_missing:
        word = LEVEL_WORDS[level]
        problems.append(
            f"{len(missing)} {word} tidak ada di berkas: {_names(missing)}. Lengkapi berkasnya, atau impor dengan "
            "--allow-missing agar wilayah itu tampil tanpa peta."
        )
    if problems:
        raise ValidationError(problems)
    return _store(reading.features, level, data, source_name, tolerance, missing, by)


@transaction.atomic
def _store(
    features: list[FeatureIn],
    level: Level,
    data: bytes,
    source_name: str,
    tolerance: float,
    missing: list[tuple[str, str]],
    by: _User | None,
) -> ImportReport:
    checksum = hashlib.sha256(data).hexdigest()
    now = timezone.now()
    rows = []
    for feature in features:
        simple = geometry.simplify(feature.polygons, tolerance)
        rows.append(
            Boundary(
                region_id=feature.code,
                level=level.value,
                geometry=json.dumps(geometry.to_geojson(simple), separators=(",", ":")),
                points=geometry.count_points(simple),
                points_source=geometry.count_points(feature.polygons),
                tolerance=tolerance,
                source_name=source_name[:255],
                checksum=checksum,
                imported_at=now,
            )
        )
    replaced, _ = Boundary.objects.filter(level=level.value).delete()
    Boundary.objects.bulk_create(rows, batch_size=500)
    report = ImportReport(
        level=level,
        count=len(rows),
        points_source=sum(r.points_source for r in rows),
        points=sum(r.points for r in rows),
        replaced=replaced,
        missing=missing,
        checksum=checksum,
    )
    audit.record(
        action="kla.boundaries.imported",
        by=by,
        object_type="regions.boundary",
        object_label=source_name[:255],
        before={"count": replaced},
        after={
            "level": level.value,
            "count": report.count,
            "file": source_name,
            "sha256": checksum,
            "boundary_points": report.points,
            "tolerance": tolerance,
            "without_boundary": [code for code, _name in missing],
        },
    )
    return report


# --- reads ------------------------------------------------------------------------------------------------------


def boundary_levels() -> set[str]:
    """The levels that have imported boundaries (one query)."""
    return set(Boundary.objects.values_list("level", flat=True).distinct())


def has_boundaries(level: Level, parent: str | None = None) -> bool:
    """Whether a map of `level` (under `parent`, for kab/kota of a province) can be drawn: one query."""
    qs = Boundary.objects.filter(level=level.value)
    if parent is not None:
        qs = qs.filter(region__parent_id=parent)
    return qs.exists()


def boundaries_version(level: Level) -> str:
    """A fingerprint of a level's boundaries (count and newest import), for ETags: one query."""
    qs = Boundary.objects.filter(level=level.value)
    row = qs.aggregate(n=Count("pk"), at=Max("imported_at"), checksum=Max("checksum"))
    return f"{row['n']}:{row['at'].isoformat() if row['at'] else '-'}:{row['checksum'] or '-'}"


def boundary_rows(level: Level, parent: str | None = None) -> list[tuple[str, str, str]]:
    """(code, name, geometry JSON text) of a level's boundaries (a province's kab/kota with `parent`), one query."""
    qs = Boundary.objects.filter(level=level.value)
    if parent is not None:
        qs = qs.filter(region__parent_id=parent)
    return list(qs.order_by("region_id").values_list("region_id", "region__name", "geometry"))
