"""The SQL of the dashboards' cache keys (`kla.dashboards.kept`): aggregates of what a dashboard's figures are built
from, as plain SQL because the ORM's compilation of the same aggregates costs more than running them (measured at
national scale: about 10 ms against 0.4 ms). Table and column names come from the models, every value is a
parameter; the rows are only hashed, never shown.
"""

# ruff: noqa: S608

from __future__ import annotations

import datetime as dt

from django.db import connection

from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation
from kla.rad.models import Plan, Realisation, Spend, Version
from kla.regions.models import Boundary, Region
from kla.results.models import PredicateRecord, StageScore, Target
from kla.taskforce.models import FollowUp
from kla.verification.models import Verdict

type Param = int | str | dt.datetime

# answers answered and done (an answer whose warning waits for an explanation is still open)
_DONE = "SUM(CASE WHEN a.answered AND NOT a.needs_justification THEN 1 ELSE 0 END)"


def answered_sql(count: int) -> str:
    """Answers answered and done per evaluation, for `count` evaluation ids (the parameters). Each entry's answers are
    summed by a subquery on their entry index: joined instead, PostgreSQL scanned every answer of the country (28 ms
    for a page of 50 evaluations at national scale, 2.7 ms this way)."""
    q = connection.ops.quote_name
    entry, answer = q(Entry._meta.db_table), q(Answer._meta.db_table)
    marks = ", ".join(["%s"] * count)
    per_entry = f"(SELECT {_DONE} FROM {answer} a WHERE a.entry_id = n.id)"
    return (
        f"SELECT t.evaluation_id, SUM(t.done) FROM (SELECT n.evaluation_id, {per_entry} AS done FROM {entry} n "
        f"WHERE n.evaluation_id IN ({marks})) t GROUP BY t.evaluation_id"
    )


def cycle_sql() -> str:
    """Plain SQL (the ORM's compilation of the same aggregate cost more than running it): the evaluations of a
    cycle with their final scores, the predicate history and the newest verdict."""
    q = connection.ops.quote_name
    evaluation, score = q(Evaluation._meta.db_table), q(StageScore._meta.db_table)
    records, verdict = q(PredicateRecord._meta.db_table), q(Verdict._meta.db_table)
    return f"""SELECT COUNT(e.id), MAX(e.id), MAX(e.status_changed_at), SUM(e.em_score),
COUNT(f.id), SUM(f.total), MAX(f.computed_at),
(SELECT COUNT(*) FROM {records}), (SELECT MAX(recorded_at) FROM {records}), (SELECT MAX(id) FROM {verdict})
FROM {evaluation} e LEFT JOIN {score} f ON f.evaluation_id = e.id AND f.stage = %s
WHERE e.cycle_id = %s"""


def province_query(cycle: Cycle, province: str, year: int) -> tuple[str, list[Param]]:
    """What a province dashboard shows, for its kab/kota and itself: the evaluations of the cycle (status, EM),
    their stage scores, their answers (completeness), the RAD KLA versions and the year's realisation."""
    q = connection.ops.quote_name
    evaluation, score, region = q(Evaluation._meta.db_table), q(StageScore._meta.db_table), q(Region._meta.db_table)
    entry, answer, plan = q(Entry._meta.db_table), q(Answer._meta.db_table), q(Plan._meta.db_table)
    version, realisation, spend = q(Version._meta.db_table), q(Realisation._meta.db_table), q(Spend._meta.db_table)
    regions = f"(SELECT code FROM {region} WHERE parent_id = %s OR code = %s)"
    in_cycle = f"e.cycle_id = %s AND e.region_id IN {regions}"
    plans = f"(SELECT id FROM {plan} WHERE region_id IN {regions})"
    wheres: dict[str, tuple[str, list[Param]]] = {
        "evaluations": (f"FROM {evaluation} e WHERE {in_cycle}", [cycle.pk, province, province]),
        "scores": (
            f"FROM {score} s JOIN {evaluation} e ON e.id = s.evaluation_id WHERE {in_cycle}",
            [cycle.pk, province, province],
        ),
        "answers": (
            f"FROM {answer} a JOIN {entry} n ON n.id = a.entry_id JOIN {evaluation} e ON e.id = n.evaluation_id "
            f"WHERE {in_cycle}",
            [cycle.pk, province, province],
        ),
        "versions": (f"FROM {version} v WHERE v.plan_id IN {plans}", [province, province]),
        "realisations": (
            f"FROM {realisation} r WHERE r.plan_id IN {plans} AND r.year = %s",
            [province, province, year],
        ),
        "spends": (
            f"FROM {spend} x JOIN {realisation} r ON r.id = x.realisation_id WHERE r.plan_id IN {plans} "
            "AND r.year = %s",
            [province, province, year],
        ),
    }
    columns = {
        "evaluations": ["COUNT(*)", "MAX(e.id)", "MAX(e.status_changed_at)", "SUM(e.em_score)"],
        "scores": ["COUNT(*)", "SUM(s.total)", "MAX(s.computed_at)"],
        "answers": [
            "COUNT(*)",
            "MAX(a.updated_at)",
            _DONE,
        ],
        "versions": ["COUNT(*)", "MAX(v.id)", "MAX(v.adopted_at)", "MAX(v.status)"],
        "realisations": ["COUNT(*)", "MAX(r.recorded_at)"],
        "spends": ["COUNT(*)", "SUM(x.amount)"],
    }
    return _one_row([(where, values, columns[name]) for name, (where, values) in wheres.items()])


def kabkota_query(cycle: Cycle, region: str, now: dt.datetime) -> tuple[str, list[Param]]:
    """What a kab/kota dashboard shows: its evaluation of the cycle (status, EM, stage scores), its entries (returned
    items), their assignments and answers (completeness by cluster and agency), its task force's follow-ups, its
    RAD KLA (every year), its target and its predicate history with the cycles released by `now`."""
    q = connection.ops.quote_name
    evaluation, score, entry = q(Evaluation._meta.db_table), q(StageScore._meta.db_table), q(Entry._meta.db_table)
    answer, assignment, follow_up = q(Answer._meta.db_table), q(Assignment._meta.db_table), q(FollowUp._meta.db_table)
    plan, version, realisation, spend = (
        q(Plan._meta.db_table),
        q(Version._meta.db_table),
        q(Realisation._meta.db_table),
        q(Spend._meta.db_table),
    )
    records, target, cycles = q(PredicateRecord._meta.db_table), q(Target._meta.db_table), q(Cycle._meta.db_table)
    one = "SELECT id FROM " + evaluation + " WHERE cycle_id = %s AND region_id = %s"
    plans = f"(SELECT id FROM {plan} WHERE region_id = %s)"
    both: list[Param] = [cycle.pk, region]
    wheres: list[tuple[str, list[Param], list[str]]] = [
        (
            f"FROM {evaluation} e WHERE e.cycle_id = %s AND e.region_id = %s",
            both,
            ["MAX(e.id)", "MAX(e.status)", "MAX(e.status_changed_at)", "MAX(e.em_score)"],
        ),
        (f"FROM {score} s WHERE s.evaluation_id IN ({one})", both, ["COUNT(*)", "SUM(s.total)", "MAX(s.computed_at)"]),
        (
            f"FROM {entry} n WHERE n.evaluation_id IN ({one})",
            both,
            ["COUNT(*)", "SUM(CASE WHEN n.status = 'returned' THEN 1 ELSE 0 END)", "MAX(n.returned_at)"],
        ),
        (
            f"FROM {assignment} g JOIN {entry} n ON n.id = g.entry_id WHERE n.evaluation_id IN ({one})",
            both,
            ["COUNT(*)", "MAX(g.id)"],
        ),
        (
            f"FROM {answer} a JOIN {entry} n ON n.id = a.entry_id WHERE n.evaluation_id IN ({one})",
            both,
            [
                "COUNT(*)",
                "MAX(a.updated_at)",
                _DONE,
            ],
        ),
        (
            f"FROM {follow_up} f WHERE f.region_id = %s",
            [region],
            ["COUNT(*)", "MAX(f.id)", "SUM(CASE WHEN f.status = 'open' THEN 1 ELSE 0 END)", "MAX(f.due_date)"],
        ),
        (f"FROM {version} v WHERE v.plan_id IN {plans}", [region], ["COUNT(*)", "MAX(v.adopted_at)", "MAX(v.status)"]),
        (f"FROM {realisation} r WHERE r.plan_id IN {plans}", [region], ["COUNT(*)", "MAX(r.recorded_at)"]),
        (
            f"FROM {spend} x JOIN {realisation} r ON r.id = x.realisation_id WHERE r.plan_id IN {plans}",
            [region],
            ["COUNT(*)", "SUM(x.amount)"],
        ),
        (f"FROM {target} t WHERE t.region_id = %s", [region], ["MAX(t.set_at)", "MAX(t.band_code)"]),
        (f"FROM {records} p WHERE p.region_id = %s", [region], ["COUNT(*)", "MAX(p.recorded_at)"]),
        (f"FROM {cycles} c WHERE c.release_at <= %s AND c.published_at IS NOT NULL", [now], ["COUNT(*)"]),
    ]
    return _one_row(wheres)


def boundaries_exist(level: str, parent: str | None = None) -> tuple[str, list[Param]]:
    """Whether boundaries of `level` (under `parent`) were imported: what `kla.regions.boundaries.has_boundaries`
    asks, as a column of the fingerprint's row (`with_facts`)."""
    q = connection.ops.quote_name
    boundary, region = q(Boundary._meta.db_table), q(Region._meta.db_table)
    if parent is None:
        return f"EXISTS (SELECT 1 FROM {boundary} b WHERE b.level = %s)", [level]
    return (
        f"EXISTS (SELECT 1 FROM {boundary} b JOIN {region} r ON r.code = b.region_id "
        "WHERE b.level = %s AND r.parent_id = %s)",
        [level, parent],
    )


def region_exists(code: str, level: str) -> tuple[str, list[Param]]:
    """Whether a region of `level` has `code`, as a column of the fingerprint's row (`with_facts`)."""
    region = connection.ops.quote_name(Region._meta.db_table)
    return f"EXISTS (SELECT 1 FROM {region} x WHERE x.code = %s AND x.level = %s)", [code, level]


def with_facts(query: tuple[str, list[Param]], facts: list[tuple[str, list[Param]]]) -> tuple[str, list[Param]]:
    """The fingerprint's row (`query`) followed by one column per fact: read in the same query, never hashed."""
    sql, params = query
    columns = ", ".join(f"{fact} AS k{i}" for i, (fact, _) in enumerate(facts))
    return f"SELECT * FROM ({sql}) f, (SELECT {columns}) k", [*params, *(p for _, values in facts for p in values)]


def _one_row(parts: list[tuple[str, list[Param], list[str]]]) -> tuple[str, list[Param]]:
    """One row of every part's aggregates: each part a derived table of one row (read once, whatever the number of
    its columns), joined side by side."""
    tables, params = [], []
    for i, (where, values, columns) in enumerate(parts):
        tables.append(f"(SELECT {', '.join(columns)} {where}) t{i}")
        params += values
    return "SELECT * FROM " + ",\n".join(tables), params
