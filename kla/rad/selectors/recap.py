"""The budget recap's figures of many plans at once (`kla.reports.rad_recaps.budget_recap`): per plan, year and
agency, the planned and realised amounts, summed by the database in one query of plain values.

The same rules as the budget page (`kla.rad.selectors.budget_report`): the version in force of each plan (the adopted
one, or the draft before the first adoption) gives the planned amounts; every quarter's spending of the plan counts;
each activity's money goes to the agency of the latest version up to the one in force that held its key (money an
activity spent before a revision removed it stays with its agency), `analytics.REMOVED` when no such version held it,
`NO_AGENCY` when the activity names none. Amounts are whole sen summed exactly, handed out as rupiah (`Decimal`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import connection

from kla.agencies.models import Agency
from kla.rad import analytics, rules
from kla.rad.analytics import Ref, Row
from kla.rad.fields import to_rupiah
from kla.rad.models import BudgetLine, Node, Realisation, Spend, Version
from kla.rad.selectors.budget import NO_AGENCY

# Plain SQL that runs on PostgreSQL and SQLite alike (window functions, no DISTINCT ON); table names from the models.
SQL = """
WITH vf AS (
    SELECT id, plan_id, number FROM (
        SELECT v.id, v.plan_id, v.number, ROW_NUMBER() OVER (
            PARTITION BY v.plan_id ORDER BY CASE WHEN v.status = %s THEN 0 ELSE 1 END, v.number
        ) AS pick
        FROM {version} v WHERE v.plan_id IN ({plans}) AND v.status <> %s
    ) x WHERE pick = 1
), owner AS (
    SELECT plan_id, key, agency_id FROM (
        SELECT vf.plan_id, n.key, n.agency_id, ROW_NUMBER() OVER (
            PARTITION BY vf.plan_id, n.key ORDER BY v.number DESC, n.id DESC
        ) AS pick
        FROM vf JOIN {version} v ON v.plan_id = vf.plan_id AND v.number <= vf.number
        JOIN {node} n ON n.version_id = v.id
        WHERE n.level IN ({levels})
    ) y WHERE pick = 1
), flows AS (
    SELECT vf.plan_id, n.key, b.year, b.amount AS planned, 0 AS realised
    FROM vf JOIN {node} n ON n.version_id = vf.id JOIN {line} b ON b.node_id = n.id
    UNION ALL
    SELECT z.plan_id, z.activity_key, z.year, 0, s.amount
    FROM vf JOIN {realisation} z ON z.plan_id = vf.plan_id JOIN {spend} s ON s.realisation_id = z.id
    UNION ALL
    SELECT vf.plan_id, NULL, NULL, 0, 0 FROM vf  -- a plan with a version in force: year NULL
)
SELECT f.plan_id, f.year, CASE WHEN o.plan_id IS NULL THEN 1 ELSE 0 END, o.agency_id, a.name,
       SUM(f.planned), SUM(f.realised)
FROM flows f
LEFT JOIN owner o ON o.plan_id = f.plan_id AND o.key = f.key
LEFT JOIN {agency} a ON a.id = o.agency_id
GROUP BY f.plan_id, f.year, CASE WHEN o.plan_id IS NULL THEN 1 ELSE 0 END, o.agency_id, a.name
"""


LEVELS = sorted(level.value for level in rules.FUNDED_LEVELS)


def _sql(plans: int) -> str:
    tables = {
        name: model._meta.db_table
        for name, model in (
            ("version", Version),
            ("node", Node),
            ("line", BudgetLine),
            ("realisation", Realisation),
            ("spend", Spend),
            ("agency", Agency),
        )
    }
    return SQL.format(plans=", ".join(["%s"] * plans), levels=", ".join(["%s"] * len(LEVELS)), **tables)


def by_agency(plan_ids: Sequence[int]) -> tuple[set[int], dict[tuple[int, int], list[Row]]]:
    """(the plans with a version in force, per (plan, year) the rows per agency in the budget page's order): one
    query. A plan without a version in force has no rows; each amount is in exactly one row."""
    if not plan_ids:
        return set(), {}
    params: list[int | str] = [Version.Status.ADOPTED.value, *plan_ids, Version.Status.SUPERSEDED.value, *LEVELS]
    with connection.cursor() as cursor:
        cursor.execute(_sql(len(plan_ids)), params)
        found = cursor.fetchall()
    in_force: set[int] = set()
    out: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for plan_id, year, removed, agency_id, agency_name, planned, realised in found:
        if year is None:
            in_force.add(plan_id)
            continue
        ref = NO_AGENCY if agency_id is None else Ref(agency_id, agency_name)
        if removed:
            ref = analytics.REMOVED
        out[(plan_id, year)].append(Row(ref, to_rupiah(int(planned)), to_rupiah(int(realised))))
    for rows in out.values():
        rows.sort(key=lambda r: (r.ref.position, r.ref.label, str(r.ref.id)))
    return in_force, out
