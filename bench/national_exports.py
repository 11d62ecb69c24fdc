"""The cycle exports at national scale (`kla/reports/exporters.py`), built by the export service as the task does
(the requester's scope and the seal, the rows, the file written and stored, progress written), against their floor
measured in the same run: the same rows read by ONE plain SQL query (`cursor.execute`, no ORM) and written by the
bare writer (`bench.national._bare_write`); interleaved, so a noisy moment slows both alike. The requester is the
ministry, nationwide, and the cycle the published one (every stage scored): the floor's query needs neither scope nor
seal, the export applies both.

`detail_memory` builds the national detail export in a fresh process and reports its peak memory (tracemalloc's
peak of Python allocations while the file is written, and the process's RSS high-water mark).

Runs inside `manage.py shell` (`bench.national.measure`).
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

REPEAT = 5


def _tables() -> dict[str, str]:
    from kla.agencies.models import Agency
    from kla.evaluations.models import Answer, Assignment, Entry, Evaluation
    from kla.evidence.models import Evidence
    from kla.indicators.models import Band, Cluster, Indicator, Question
    from kla.regions.models import Region
    from kla.results.models import StageScore

    models = {
        "evaluation": Evaluation,
        "entry": Entry,
        "answer": Answer,
        "assignment": Assignment,
        "evidence": Evidence,
        "indicator": Indicator,
        "cluster": Cluster,
        "question": Question,
        "agency": Agency,
        "region": Region,
        "stagescore": StageScore,
        "band": Band,
    }
    return {name: model._meta.db_table for name, model in models.items()}


# One row per kab/kota of the cycle: counts, the five stage scores and the predicate of the final score.
SUMMARY_SQL = """
WITH ans AS (SELECT en.evaluation_id AS id, COUNT(*) AS n FROM {answer} a JOIN {entry} en ON en.id = a.entry_id
             WHERE a.answered GROUP BY en.evaluation_id),
evi AS (SELECT en.evaluation_id AS id, COUNT(*) AS n FROM {evidence} x JOIN {entry} en ON en.id = x.entry_id
        WHERE x.status = 'active' GROUP BY en.evaluation_id),
st AS (SELECT evaluation_id AS id, MAX(CASE WHEN stage = 'province_va' THEN total END) AS pva,
              MAX(CASE WHEN stage = 'ministry_va' THEN total END) AS mva,
              MAX(CASE WHEN stage = 'vl' THEN total END) AS vl,
              MAX(CASE WHEN stage = 'final' THEN total END) AS final FROM {stagescore} GROUP BY evaluation_id)
SELECT e.region_id, COALESCE(p.name, ''), r.name, e.status, COALESCE(ans.n, 0),
       (SELECT COUNT(*) FROM {question} q JOIN {indicator} i ON i.id = q.indicator_id WHERE i.framework_id = %s),
       COALESCE(evi.n, 0), e.em_score, st.pva, st.mva, st.vl, st.final,
       COALESCE((SELECT b.name FROM {band} b WHERE b.framework_id = %s AND b.min_score <= st.final
                 ORDER BY b.min_score DESC LIMIT 1), '')
FROM {evaluation} e JOIN {region} r ON r.code = e.region_id LEFT JOIN {region} p ON p.code = r.parent_id
LEFT JOIN ans ON ans.id = e.id LEFT JOIN evi ON evi.id = e.id LEFT JOIN st ON st.id = e.id
WHERE e.cycle_id = %s
ORDER BY e.region_id
"""

# One row per kab/kota and indicator: the entry's status, agencies, counts and each stage's points out of the stored
# EM snapshot and stage breakdowns.
DETAIL_SQL = """
WITH pts AS (
    SELECT e.id AS eid, 'em' AS stage, j.key AS code, {points} AS p
    FROM {evaluation} e, {em_each} j WHERE e.cycle_id = %s AND e.em_score IS NOT NULL
    UNION ALL
    SELECT s.evaluation_id, s.stage, j.key, {points}
    FROM {stagescore} s JOIN {evaluation} e ON e.id = s.evaluation_id, {stage_each} j WHERE e.cycle_id = %s
),
piv AS (SELECT eid, code, MAX(CASE WHEN stage = 'em' THEN p END) AS em,
               MAX(CASE WHEN stage = 'province_va' THEN p END) AS pva,
               MAX(CASE WHEN stage = 'ministry_va' THEN p END) AS mva, MAX(CASE WHEN stage = 'vl' THEN p END) AS vl,
               MAX(CASE WHEN stage = 'final' THEN p END) AS final
        FROM pts GROUP BY eid, code),
ans AS (SELECT entry_id, COUNT(*) AS n FROM {answer} WHERE answered GROUP BY entry_id),
evi AS (SELECT entry_id, COUNT(*) AS n FROM {evidence} WHERE status = 'active' GROUP BY entry_id),
agn AS ({agencies}),
qn AS (SELECT indicator_id, COUNT(*) AS n FROM {question} GROUP BY indicator_id)
SELECT e.region_id, COALESCE(p.name, ''), r.name, c.name, i.number, i.name, en.status, COALESCE(agn.names, ''),
       COALESCE(ans.n, 0), COALESCE(qn.n, 0), COALESCE(evi.n, 0), i.max_points,
       piv.em, piv.pva, piv.mva, piv.vl, piv.final
FROM {evaluation} e JOIN {region} r ON r.code = e.region_id LEFT JOIN {region} p ON p.code = r.parent_id
JOIN {entry} en ON en.evaluation_id = e.id JOIN {indicator} i ON i.id = en.indicator_id
JOIN {cluster} c ON c.id = i.cluster_id
LEFT JOIN piv ON piv.eid = e.id AND piv.code = i.code
LEFT JOIN agn ON agn.entry_id = en.id LEFT JOIN ans ON ans.entry_id = en.id LEFT JOIN evi ON evi.entry_id = en.id
LEFT JOIN qn ON qn.indicator_id = i.id
WHERE e.cycle_id = %s
ORDER BY e.region_id, i.position, en.id
"""


def _detail_sql() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        each, points = "jsonb_each({} -> 'indicators')", "j.value ->> 'points'"
        agencies = """SELECT g.entry_id, string_agg(ag.name, '; ' ORDER BY ag.name) AS names
            FROM {assignment} g JOIN {agency} ag ON ag.id = g.agency_id GROUP BY g.entry_id"""
    else:
        each, points = "json_each({}, '$.indicators')", "json_extract(j.value, '$.points')"
        agencies = """SELECT entry_id, group_concat(name, '; ') AS names FROM (SELECT g.entry_id, ag.name
            FROM {assignment} g JOIN {agency} ag ON ag.id = g.agency_id ORDER BY g.entry_id, ag.name)
            GROUP BY entry_id"""
    tables = _tables()
    return DETAIL_SQL.format(
        points=points,
        em_each=each.format("e.em_snapshot"),
        stage_each=each.format("s.breakdown"),
        agencies=agencies.format(**tables),
        **tables,
    )


def _floor(kind: str, fmt: str, cycle: Any, columns: list[str]) -> int:
    """One plain SQL query for the rows, then the bare writer; returns the number of rows."""
    from django.db import connection

    from bench.national import _bare_write

    if kind == "rekap-evaluasi":
        sql, params = SUMMARY_SQL.format(**_tables()), [cycle.framework_id, cycle.framework_id, cycle.pk]
    else:
        sql, params = _detail_sql(), [cycle.pk, cycle.pk, cycle.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    _bare_write(fmt, columns, rows)
    return len(rows)


def _own(kind: str, fmt: str, user_id: int, cycle: Any) -> int:
    """The export's own work, for the record beside the service's: the requester read afresh, the rows through
    scope and seal, written by the export's writer into a temporary file (no stored file, progress or notice)."""
    import tempfile

    from kla.accounts.models import User
    from kla.reports.exporters import EXPORTERS
    from kla.reports.writers import open_table

    table = EXPORTERS[kind].build(User.objects.get(pk=user_id), cycle)
    rows = 0
    with tempfile.TemporaryDirectory(prefix="kla-bench-own-") as tmp:
        writer = open_table(fmt, f"{tmp}/t.{fmt}", table.columns, title=kind, widths=table.widths)
        for row in table.rows:
            writer.row(row)
            rows += 1
        writer.close()
    return rows


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure_exports(user: Any, cycle: Any) -> dict[str, dict[str, Any]]:
    """Each cycle export in each format, built as the task builds it, against its floor; interleaved. The task
    backend is the database's, as in production: the email telling the requester the file is ready is queued for the
    worker (as it is there), not sent inside the timed build as the benchmark's immediate backend would."""
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        return _measure_exports(user, cycle)


def _measure_exports(user: Any, cycle: Any) -> dict[str, dict[str, Any]]:
    from kla.reports import services
    from kla.reports.exporters import EXPORTERS
    from kla.reports.models import Export

    out: dict[str, dict[str, Any]] = {}
    for kind, exporter in EXPORTERS.items():
        columns = exporter.build(user, cycle).columns
        for fmt in services.TABLE_FORMATS:
            floor_rows = _floor(kind, fmt, cycle, columns)
            built, floor, own, rows = [], [], [], 0
            for _ in range(REPEAT):
                export = Export.objects.create(
                    kind=kind, cycle_code=cycle.code, format=fmt, grants=services.grant_keys(user), requested_by=user
                )
                built.append(_timed(partial(services.build, export.pk)))
                floor.append(_timed(partial(_floor, kind, fmt, cycle, columns)))
                own.append(_timed(partial(_own, kind, fmt, user.pk, cycle)))
                export.refresh_from_db()
                if export.status != Export.Status.READY:
                    raise RuntimeError(f"{kind}.{fmt}: {export.status} {export.error}")
                rows = export.rows_done
                export.file.delete(save=False)
            if rows != floor_rows:
                raise RuntimeError(f"{kind}.{fmt}: {rows} rows built, {floor_rows} read by the floor's query")
            out[f"{kind}.{fmt}"] = {"rows": rows, "export_s": built, "floor_s": floor, "own_s": own}
    return out


MEMORY = "from bench.national_exports import detail_memory; detail_memory()"


def detail_memory() -> None:
    """Runs in a fresh `manage.py shell`: the national detail export (CSV and XLSX) built by the service for the
    ministry; prints one JSON line with the rows, tracemalloc's peak and the RSS high-water mark."""
    import json
    import resource
    import tracemalloc

    from kla.accounts.models import User
    from kla.evaluations.models import Cycle
    from kla.reports import services
    from kla.reports.models import Export

    user = User.objects.get(username="nas-kemen-verif-1")
    cycle = Cycle.objects.filter(code__startswith="nasional-", published_at__isnull=False).first()
    assert cycle is not None
    out: dict[str, Any] = {}
    for fmt in services.TABLE_FORMATS:
        export = Export.objects.create(
            kind="rincian-indikator",
            cycle_code=cycle.code,
            format=fmt,
            grants=services.grant_keys(user),
            requested_by=user,
        )
        tracemalloc.start()
        built = services.build(export.pk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[str(fmt)] = {"rows": built.rows_done, "tracemalloc_peak_bytes": peak, "bytes": built.file.size}
        built.file.delete(save=False)
    out["rss_max_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
