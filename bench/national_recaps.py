"""The RAD KLA recaps of a province at national scale (`kla/reports/rad_recaps.py`), built by the export service as
the task does (the requester's scope, the rows, the XLSX with number formats and filters, the file stored, progress
written), against their floor measured in the same run: the same rows read by one plain SQL query and written by the
bare XLSX writer (`bench.national._bare_write`); interleaved, so a noisy moment slows both alike.

The province is the one with the most kab/kota among those seeded (Jawa Timur, 38, on the national data set), asked
for by its own reviewer. Runs inside `manage.py shell` (`bench.national.measure`).
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

REPEAT = 5


def _tables() -> dict[str, str]:
    from kla.agencies.models import Agency
    from kla.indicators.models import Cluster, Indicator
    from kla.rad.models import BudgetLine, Node, Plan, Realisation, RegionBudget, Spend, Version
    from kla.regions.models import Region

    models = {
        "line": BudgetLine,
        "node": Node,
        "version": Version,
        "plan": Plan,
        "region": Region,
        "indicator": Indicator,
        "cluster": Cluster,
        "agency": Agency,
        "realisation": Realisation,
        "spend": Spend,
        "apbd": RegionBudget,
    }
    return {name: model._meta.db_table for name, model in models.items()}


# The plans of the province's kab/kota (and its own) with their version in force: the adopted one (every national
# plan is adopted, version 1). Amounts are whole sen in the database. Table names come from the models' metadata.
PLAN_SQL = """
SELECT p.region_id, r.name, p.title || ' ' || p.start_year || '–' || p.end_year, 'Versi ' || v.number,
       c.name, i.code || ' ' || COALESCE(NULLIF(i.short_name, ''), i.name),
       CASE WHEN n.level = 'sub_activity' THEN n2.name ELSE n1.name END,
       CASE WHEN n.level = 'sub_activity' THEN n1.name ELSE n.name END,
       CASE WHEN n.level = 'sub_activity' THEN n.name ELSE '' END,
       n.code, COALESCE(a.name, ''), b.year, b.source, b.amount / 100.0, COALESCE(s.total, 0) / 100.0
FROM {plan} p
JOIN {region} r ON r.code = p.region_id
JOIN {version} v ON v.plan_id = p.id AND v.status = 'adopted'
JOIN {node} n ON n.version_id = v.id
JOIN {line} b ON b.node_id = n.id
JOIN {indicator} i ON i.id = n.indicator_id
JOIN {cluster} c ON c.id = i.cluster_id
LEFT JOIN {agency} a ON a.id = n.agency_id
LEFT JOIN {node} n1 ON n1.id = n.parent_id
LEFT JOIN {node} n2 ON n2.id = n1.parent_id
LEFT JOIN (
    SELECT z.plan_id, z.activity_key, z.year, sp.source, SUM(sp.amount) AS total
    FROM {spend} sp JOIN {realisation} z ON z.id = sp.realisation_id
    GROUP BY z.plan_id, z.activity_key, z.year, sp.source
) s ON s.plan_id = p.id AND s.activity_key = n.key AND s.year = b.year AND s.source = b.source
WHERE r.parent_id = %s OR p.region_id = %s
ORDER BY p.region_id, n.position, n.id, b.year, b.source
"""

# per plan, year and agency (planned, realised), then a total row per plan and year with the region's APBD and share
BUDGET_SQL = """
WITH planned AS (
    SELECT p.id AS plan, n.key AS key, b.year AS year, n.agency_id AS agency, SUM(b.amount) AS amount
    FROM {plan} p
    JOIN {region} r ON r.code = p.region_id
    JOIN {version} v ON v.plan_id = p.id AND v.status = 'adopted'
    JOIN {node} n ON n.version_id = v.id
    JOIN {line} b ON b.node_id = n.id
    WHERE r.parent_id = %s OR p.region_id = %s
    GROUP BY p.id, n.key, b.year, n.agency_id
), spent AS (
    SELECT z.plan_id AS plan, z.activity_key AS key, z.year AS year, SUM(sp.amount) AS amount
    FROM {spend} sp JOIN {realisation} z ON z.id = sp.realisation_id
    WHERE z.plan_id IN (SELECT plan FROM planned)
    GROUP BY z.plan_id, z.activity_key, z.year
), parts AS (
    SELECT pl.plan, pl.year, pl.agency, SUM(pl.amount) AS planned, SUM(COALESCE(s.amount, 0)) AS realised
    FROM planned pl LEFT JOIN spent s ON s.plan = pl.plan AND s.key = pl.key AND s.year = pl.year
    GROUP BY pl.plan, pl.year, pl.agency
)
SELECT p.region_id, r.name, p.title || ' ' || p.start_year || '–' || p.end_year, x.year, x.agency_name,
       x.planned / 100.0, x.realised / 100.0, x.apbd / 100.0, x.share
FROM (
    SELECT parts.plan, parts.year, 0 AS last, COALESCE(a.name, 'Tanpa instansi') AS agency_name, parts.planned,
           parts.realised, NULL AS apbd, NULL AS share
    FROM parts LEFT JOIN {agency} a ON a.id = parts.agency
    UNION ALL
    SELECT parts.plan, parts.year, 1, 'Jumlah', SUM(parts.planned), SUM(parts.realised), MAX(g.amount),
           ROUND(SUM(parts.planned) * 100.0 / MAX(g.amount), 4)
    FROM parts JOIN {plan} q ON q.id = parts.plan
    LEFT JOIN {apbd} g ON g.region_id = q.region_id AND g.year = parts.year
    GROUP BY parts.plan, parts.year
) x JOIN {plan} p ON p.id = x.plan JOIN {region} r ON r.code = p.region_id
ORDER BY p.region_id, p.start_year, x.year, x.last, x.planned DESC
"""

FLOORS = {"rad-rekap-rencana": PLAN_SQL, "rad-rekap-anggaran": BUDGET_SQL}


def _floor(sql: str, province: str, columns: list[str]) -> int:
    """One plain SQL query for the rows, then the bare XLSX writer; returns the number of rows."""
    from django.db import connection

    from bench.national import _bare_write

    with connection.cursor() as cursor:
        cursor.execute(sql.format(**_tables()), [province, province])  # table names from the models
        rows = [list(row) for row in cursor.fetchall()]
    _bare_write("xlsx", columns, rows)
    return len(rows)


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def largest_province() -> str:
    """The seeded province with the most kab/kota that have a RAD KLA."""
    from django.db.models import Count

    from kla.rad.models import Plan

    row = (
        Plan.objects.values("region__parent_id")
        .annotate(n=Count("id"))
        .order_by("-n", "region__parent_id")
        .values_list("region__parent_id", flat=True)
        .first()
    )
    assert row is not None, "no RAD KLA seeded"
    return row


def measure_rad_recaps() -> dict[str, Any]:
    """Each RAD KLA recap of the largest province, built as the export task builds it, against its floor."""
    from bench.national_data import province_username
    from kla.accounts.models import User
    from kla.reports import services
    from kla.reports.models import Export
    from kla.reports.rad_recaps import BUDGET_COLUMNS, PLAN_COLUMNS, RECAPS

    province = largest_province()
    user = User.objects.get(username=province_username(province))
    out: dict[str, Any] = {}
    for kind in RECAPS:
        columns = PLAN_COLUMNS if kind == "rad-rekap-rencana" else BUDGET_COLUMNS
        floor_rows = _floor(FLOORS[kind], province, columns)
        built, floor, rows = [], [], 0
        for _ in range(REPEAT):
            export = Export.objects.create(
                kind=kind, cycle_code=province, format="xlsx", grants=services.grant_keys(user), requested_by=user
            )
            built.append(_timed(partial(services.build, export.pk)))
            floor.append(_timed(partial(_floor, FLOORS[kind], province, columns)))
            export.refresh_from_db()
            if export.status != Export.Status.READY:
                raise RuntimeError(f"{kind} of {province}: {export.status} {export.error}")
            rows = export.rows_done
            export.file.delete(save=False)
        if rows != floor_rows:
            raise RuntimeError(f"{kind} of {province}: {rows} rows built, {floor_rows} read by the floor's query")
        out[kind] = {"province": province, "rows": rows, "export_s": built, "floor_s": floor}
    return out
