"""The detail export (one row per kab/kota and indicator, the largest) is written in bounded memory: its peak of
Python allocations is the same for 408 rows and for eight times as many (rows are read `export_sql.FETCH` at a
time through a server-side cursor and written straight to the file)."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest

from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.indicators.models import Indicator
from kla.regions.models import Region
from kla.reports import export_sql, services
from kla.reports.models import Export

CYCLE = "evaluasi-kla-demo"
FETCH = 100


def _peak(user: Any, fmt: str) -> tuple[int, int]:
    """(rows written, peak bytes allocated while the service built the detail export)."""
    export = Export.objects.create(
        kind="rincian-indikator", cycle_code=CYCLE, format=fmt, grants=services.grant_keys(user), requested_by=user
    )
    services.build(export.pk)  # warm: imports, compiled templates and caches are not the export's rows
    export = Export.objects.create(
        kind="rincian-indikator", cycle_code=CYCLE, format=fmt, grants=services.grant_keys(user), requested_by=user
    )
    tracemalloc.start()
    try:
        built = services.build(export.pk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return built.rows_done, peak


def _more_evaluations(cycle: Cycle, count: int) -> None:
    """`count` more kab/kota in the cycle, each with its 24 entries (as opening the cycle creates them)."""
    taken = set(Evaluation.objects.filter(cycle=cycle).values_list("region_id", flat=True))
    regions = [
        r
        for r in Region.objects.filter(level="kabkota").order_by("code").values_list("code", flat=True)
        if r not in taken
    ][:count]
    assert len(regions) == count, "the test data holds enough kab/kota"
    evaluations = Evaluation.objects.bulk_create([Evaluation(cycle=cycle, region_id=code) for code in regions])
    indicators = list(Indicator.objects.filter(framework_id=cycle.framework_id).values_list("pk", flat=True))
    Entry.objects.bulk_create([Entry(evaluation=e, indicator_id=i) for e in evaluations for i in indicators])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_detail_exports_peak_memory_does_not_grow_with_its_rows(
    user_of: Any, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_sql, "FETCH", FETCH)
    user = user_of("ministry_verifier")
    small_rows, small = _peak(user, fmt)
    _more_evaluations(Cycle.objects.get(code=CYCLE), 7 * small_rows // 24)
    large_rows, large = _peak(user, fmt)
    assert large_rows >= 8 * small_rows - 24 and small_rows >= 400
    # eight times the rows, not eight times the memory: the same within 25 % (plus 64 KB of allocator noise)
    assert large <= small * 1.25 + 64 * 1024, (small, large)
