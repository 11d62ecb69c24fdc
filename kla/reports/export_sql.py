"""The SQL of the cycle exports (`kla.reports.exporters`): each export is one query of plain values, with the
requester's scope and the seal applied in the database, read through a server-side cursor in chunks (constant memory
whatever the number of rows) and never turned into model instances.

The scoped evaluations come from the ORM (`access.region_scope_q`, the access layer every page uses) with the
requester's standing towards each region (`viewer`, as `kla.results.selectors.scores.viewer_for` decides it) worked
out by the database; the stage scores the seal hides for that standing are never read out of it
(`visible_stages`, `predicate_visible`). PostgreSQL and SQLite differ only in their JSON and list functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, Q, QuerySet, Value, When

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import NATIONAL_ROLES, Action, Role
from kla.agencies.models import Agency
from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation
from kla.evaluations.seal import ScoreStage, Viewer, predicate_visible, visible_stages
from kla.evidence.models import Evidence
from kla.indicators.models import Cluster, Indicator, Question
from kla.regions.selectors import subtree_q
from kla.results.models import StageScore

FETCH = 2000  # rows per round trip of the server-side cursor
STAGES = list(ScoreStage)
EV_COLUMNS = "id, region_id, region_name, province_name, status, em_score, viewer"


def _viewer_case(user: User) -> Case:
    """The requester's standing towards an evaluation's region, by the roles they hold over it (national roles
    first, then the province reviewer, then the kab/kota's own), as `viewer_for` decides it row by row."""
    codes: dict[Viewer, list[str | None]] = {Viewer.MINISTRY: [], Viewer.PROVINCE: [], Viewer.REGION: []}
    for grant in access.grants(user):
        role = Role(grant.role)
        if role in NATIONAL_ROLES:
            codes[Viewer.MINISTRY].append(grant.region_code)
        elif role == Role.PROVINCE_REVIEWER:
            codes[Viewer.PROVINCE].append(grant.region_code)
        elif role in (Role.SECRETARIAT, Role.OPD_OPERATOR):
            codes[Viewer.REGION].append(grant.region_code)
    whens = []
    for viewer, held in codes.items():
        if held:
            where = subtree_q(held, "region_id")
            whens.append(When(where if where is not None else Q(pk__isnull=False), then=Value(str(viewer))))
    return Case(*whens, default=Value(str(Viewer.PUBLIC)), output_field=CharField())


def scoped_evaluations(user: User, cycle: Cycle) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.filter(cycle=cycle)
    scope = access.region_scope_q(user, Action.EVALUATION_VIEW)
    return qs.filter(scope) if scope is not None else qs


def _ev(user: User, cycle: Cycle) -> tuple[str, tuple[Any, ...]]:
    """The requester's evaluations of the cycle with their standing: the `ev` CTE of every export query."""
    viewer = _viewer_case(user)
    fields = ("pk", "region_id", "region__name", "region__parent__name", "status", "em_score", "viewer")
    qs: QuerySet[Any] = scoped_evaluations(user, cycle).order_by().annotate(viewer=viewer).values_list(*fields)
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # no region in scope: the same columns, no row
        none: QuerySet[Any] = Evaluation.objects.filter(pk__lt=0).annotate(viewer=viewer).values_list(*fields)
        sql, params = none.query.sql_with_params()
    return sql, tuple(params)


class Seal:
    """Which stages (and whether the predicate) each standing may see in this cycle."""

    def __init__(self, cycle: Cycle) -> None:
        published = cycle.is_published()
        self.allowed = {
            str(v): visible_stages(v, published=published, public_details=cycle.public_details) for v in Viewer
        }
        self.predicate = {str(v): predicate_visible(v, published=published) for v in Viewer}

    def who_sees(self, stage: ScoreStage) -> list[str]:
        return [v for v, stages in self.allowed.items() if stage in stages] or ["-"]

    def who_sees_predicate(self) -> list[str]:
        return [v for v, seen in self.predicate.items() if seen] or ["-"]


def _in(column: str, values: Sequence[str]) -> tuple[str, list[str]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _t(**models: Any) -> dict[str, str]:
    return {name: model._meta.db_table for name, model in models.items()}


TABLES = _t(
    evaluation=Evaluation,
    entry=Entry,
    answer=Answer,
    assignment=Assignment,
    evidence=Evidence,
    indicator=Indicator,
    cluster=Cluster,
    question=Question,
    agency=Agency,
    stagescore=StageScore,
)


def summary_sql(user: User, cycle: Cycle, seal: Seal) -> tuple[str, list[Any]]:
    """One row per evaluation: region code, province, kab/kota, status, answered, active evidence, the five stage
    scores (NULL where sealed), the final score for the predicate (NULL where sealed), the standing."""
    ev, params = _ev(user, cycle)
    args: list[Any] = [*params, Evidence.Status.ACTIVE]
    cells = []
    for stage in STAGES:
        cond, values = _in("ev.viewer", seal.who_sees(stage))
        column = "ev.em_score" if stage == ScoreStage.EM else f"st.s_{stage}"
        cells.append(f"CASE WHEN {cond} THEN {column} END")
        args += values
    cond, values = _in("ev.viewer", seal.who_sees_predicate())
    cells.append(f"CASE WHEN {cond} THEN st.s_final END")
    args += values
    pivot = ", ".join(f"MAX(CASE WHEN s.stage = '{s}' THEN s.total END) AS s_{s}" for s in STAGES[1:])
    sql = f"""
WITH ev ({EV_COLUMNS}) AS (__EV__),
ans AS (SELECT en.evaluation_id AS id, COUNT(*) AS n FROM {{answer}} a JOIN {{entry}} en ON en.id = a.entry_id
        WHERE a.answered AND en.evaluation_id IN (SELECT id FROM ev) GROUP BY en.evaluation_id),
evi AS (SELECT en.evaluation_id AS id, COUNT(*) AS n FROM {{evidence}} x JOIN {{entry}} en ON en.id = x.entry_id
        WHERE x.status = %s AND en.evaluation_id IN (SELECT id FROM ev) GROUP BY en.evaluation_id),
st AS (SELECT s.evaluation_id AS id, {pivot} FROM {{stagescore}} s
       WHERE s.evaluation_id IN (SELECT id FROM ev) GROUP BY s.evaluation_id)
SELECT ev.region_id, COALESCE(ev.province_name, ''), ev.region_name, ev.status, COALESCE(ans.n, 0),
       COALESCE(evi.n, 0), {", ".join(cells)}, ev.viewer
FROM ev LEFT JOIN ans ON ans.id = ev.id LEFT JOIN evi ON evi.id = ev.id LEFT JOIN st ON st.id = ev.id
ORDER BY ev.region_id"""  # noqa: S608 - table names from the models, every value a parameter
    return sql.format(**TABLES).replace("__EV__", ev), args


def _json_points(source: str) -> tuple[str, str]:
    """(the table function listing a JSON column's "indicators" object, the text of an item's "points")."""
    if connection.vendor == "postgresql":
        return f"jsonb_each({source} -> 'indicators')", "j.value ->> 'points'"
    return f"json_each({source}, '$.indicators')", "json_extract(j.value, '$.points')"


def _agency_names() -> str:
    """Per entry of the scoped evaluations, the names of its agencies, alphabetically, joined by "; "."""
    if connection.vendor == "postgresql":
        return """SELECT g.entry_id, string_agg(ag.name, '; ' ORDER BY ag.name) AS names
            FROM {assignment} g JOIN {agency} ag ON ag.id = g.agency_id JOIN {entry} en ON en.id = g.entry_id
            WHERE en.evaluation_id IN (SELECT id FROM ev) GROUP BY g.entry_id"""
    return """SELECT entry_id, group_concat(name, '; ') AS names FROM (
            SELECT g.entry_id, ag.name FROM {assignment} g JOIN {agency} ag ON ag.id = g.agency_id
            JOIN {entry} en ON en.id = g.entry_id WHERE en.evaluation_id IN (SELECT id FROM ev)
            ORDER BY g.entry_id, ag.name) GROUP BY entry_id"""


def detail_sql(user: User, cycle: Cycle, seal: Seal) -> tuple[str, list[Any]]:
    """One row per entry: region code, province, kab/kota, cluster, number, indicator, entry status, agencies,
    answered, questions, active evidence, maximum points, the five stages' points (NULL where sealed or absent)."""
    ev, params = _ev(user, cycle)
    em_each, points = _json_points("e.em_snapshot")
    stage_each, _ = _json_points("s.breakdown")
    em_cond, em_values = _in("ev.viewer", seal.who_sees(ScoreStage.EM))
    args: list[Any] = [*params, *em_values]
    stage_conds = []
    for stage in STAGES[1:]:
        cond, values = _in("ev.viewer", seal.who_sees(stage))
        stage_conds.append(f"(s.stage = %s AND {cond})")
        args += [str(stage), *values]
    args += [Evidence.Status.ACTIVE, cycle.framework_id]
    pivot = ", ".join(f"MAX(CASE WHEN stage = '{s}' THEN p END) AS p_{s}" for s in STAGES)
    sql = f"""
WITH ev ({EV_COLUMNS}) AS (__EV__),
pts AS (
    SELECT ev.id AS eid, 'em' AS stage, j.key AS code, {points} AS p
    FROM ev JOIN {{evaluation}} e ON e.id = ev.id, {em_each} j WHERE e.em_score IS NOT NULL AND {em_cond}
    UNION ALL
    SELECT s.evaluation_id, s.stage, j.key, {points}
    FROM {{stagescore}} s JOIN ev ON ev.id = s.evaluation_id, {stage_each} j WHERE {" OR ".join(stage_conds)}
),
piv AS (SELECT eid, code, {pivot} FROM pts GROUP BY eid, code),
ans AS (SELECT a.entry_id, COUNT(*) AS n FROM {{answer}} a JOIN {{entry}} en ON en.id = a.entry_id
        WHERE a.answered AND en.evaluation_id IN (SELECT id FROM ev) GROUP BY a.entry_id),
evi AS (SELECT x.entry_id, COUNT(*) AS n FROM {{evidence}} x JOIN {{entry}} en ON en.id = x.entry_id
        WHERE x.status = %s AND en.evaluation_id IN (SELECT id FROM ev) GROUP BY x.entry_id),
agn AS ({_agency_names()}),
qn AS (SELECT q.indicator_id, COUNT(*) AS n FROM {{question}} q JOIN {{indicator}} qi ON qi.id = q.indicator_id
       WHERE qi.framework_id = %s GROUP BY q.indicator_id)
SELECT ev.region_id, COALESCE(ev.province_name, ''), ev.region_name, c.name, i.number, i.name, en.status,
       COALESCE(agn.names, ''), COALESCE(ans.n, 0), COALESCE(qn.n, 0), COALESCE(evi.n, 0), i.max_points,
       {", ".join(f"piv.p_{s}" for s in STAGES)}, ev.viewer
FROM ev JOIN {{entry}} en ON en.evaluation_id = ev.id JOIN {{indicator}} i ON i.id = en.indicator_id
JOIN {{cluster}} c ON c.id = i.cluster_id
LEFT JOIN piv ON piv.eid = ev.id AND piv.code = i.code
LEFT JOIN agn ON agn.entry_id = en.id LEFT JOIN ans ON ans.entry_id = en.id LEFT JOIN evi ON evi.entry_id = en.id
LEFT JOIN qn ON qn.indicator_id = i.id
ORDER BY ev.region_id, i.position, en.id"""  # noqa: S608 - as above
    return sql.format(**TABLES).replace("__EV__", ev), args


def stream(sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of one query, `FETCH` at a time through a server-side cursor on PostgreSQL: constant memory."""
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")  # off behind transaction pooling
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            yield from rows
