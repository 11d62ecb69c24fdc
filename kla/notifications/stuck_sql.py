"""The stuck-items board's reads as plain SQL: building and compiling the ORM's querysets (subqueries, a scope of
code ranges, four joins) cost several times what running them does (measured at national scale: the board spent
~60% of its CPU there). Each reader is one query of plain values; table names come from the models, every value is
a parameter. PostgreSQL and SQLite alike (datetimes read back through `_aware`).

The filters are those of the ORM version they replace (`kla.notifications.stuck`): the scope is each province and
every code under it (`kla.regions.levels.subtree_bounds`), a region filter is the region or its children.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation, StageDeadline, StageExtension
from kla.indicators.models import Indicator
from kla.notifications.models import ReminderSent
from kla.regions.levels import Level as RegionLevel
from kla.regions.levels import subtree_bounds
from kla.regions.models import Region


def _t(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _in(values: Collection[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _param(value: dt.datetime) -> Any:
    """A datetime as the backend stores it (SQLite: UTC text), as the ORM adapts it."""
    return connection.ops.adapt_datetimefield_value(value)


def _aware(value: Any) -> dt.datetime | None:
    """A datetime read back: PostgreSQL gives it aware; SQLite gives naive UTC (or text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [tuple(row) for row in cursor.fetchall()]


def _where(scope: list[str] | None, region: str, column: str, parent: str) -> tuple[str, list[Any]]:
    """`column` (a region code) within `scope` (None: everywhere) and, when `region` is given, equal to it or a
    child of it (`parent`: the region's parent column)."""
    parts: list[str] = []
    params: list[Any] = []
    if scope is not None:
        ranges = []
        for code in scope:
            low, high = subtree_bounds(code)
            ranges.append(f"({column} = %s OR ({column} >= %s AND {column} < %s))")
            params += [code, low, high]
        parts.append("(" + (" OR ".join(ranges) or "1 = 0") + ")")
    if region:
        parts.append(f"({column} = %s OR {parent} = %s)")
        params += [region, region]
    return " AND ".join(parts) or "1 = 1", params


_PLACE = """ JOIN {cycle} c ON c.id = e.cycle_id JOIN {region} r ON r.code = e.region_id
LEFT JOIN {region} p ON p.code = r.parent_id"""


def returned(
    now: dt.datetime, days: int, scope: list[str] | None, region: str
) -> list[tuple[int, dt.datetime, dt.datetime | None, bool, str, str, str, str, str, str]]:
    """Returned entries of open cycles past their fix deadline (without one: `days` after being returned): (entry,
    returned at, fix deadline, an agency assigned?, indicator label, cycle name, region code and name, province
    code and name)."""
    where, params = _where(scope, region, "e.region_id", "r.parent_id")
    sql = f"""SELECT en.id, en.returned_at, en.return_deadline,
EXISTS(SELECT 1 FROM {_t(Assignment)} a WHERE a.entry_id = en.id), i.number, i.name,
c.name, r.code, r.name, p.code, p.name
FROM {_t(Entry)} en JOIN {_t(Evaluation)} e ON e.id = en.evaluation_id JOIN {_t(Indicator)} i ON i.id = en.indicator_id
{_PLACE.format(cycle=_t(Cycle), region=_t(Region))}
WHERE en.status = %s AND c.status = %s AND en.returned_at IS NOT NULL
AND (en.return_deadline <= %s OR (en.return_deadline IS NULL AND en.returned_at <= %s)) AND {where}"""  # noqa: S608
    head = [Entry.Status.RETURNED.value, Cycle.Status.OPEN.value, _param(now), _param(now - dt.timedelta(days=days))]
    out = []
    for pk, at, deadline, assigned, number, name, cycle, code, rname, pcode, pname in _rows(sql, head + params):
        returned_at = _aware(at)
        assert returned_at is not None
        label = f"{number}. {name}"
        out.append(
            (pk, returned_at, _aware(deadline), bool(assigned), label, cycle, code, rname, pcode or "", pname or "")
        )
    return out


def evaluations(
    now: dt.datetime, kinds: Sequence[tuple[list[str], str, str, int]], scope: list[str] | None, region: str
) -> list[tuple[int, str, dt.datetime | None, dt.datetime | None, int, str, str, str, str, str]]:
    """Evaluations of open cycles that may be late: for each kind (its states, the column it waits since, its stage,
    its days), in one of the states, waiting since more than the days or with the stage's deadline passed. (id,
    status, submitted at, status changed at, cycle id, cycle name, region code and name, province code and name)."""
    where, params = _where(scope, region, "e.region_id", "r.parent_id")
    alternatives, head = [], []
    for states, since, stage, days in kinds:
        assert since in ("submitted_at", "status_changed_at")
        alternatives.append(
            f"""(e.status IN ({_in(states)}) AND e.{since} IS NOT NULL AND (e.{since} <= %s
OR EXISTS(SELECT 1 FROM {_t(StageDeadline)} d WHERE d.cycle_id = e.cycle_id AND d.stage = %s AND d.ends_at <= %s)))"""  # noqa: S608
        )
        head += [*states, _param(now - dt.timedelta(days=days)), stage, _param(now)]
    sql = f"""SELECT e.id, e.status, e.submitted_at, e.status_changed_at, e.cycle_id, c.name, r.code, r.name, p.code,
p.name FROM {_t(Evaluation)} e {_PLACE.format(cycle=_t(Cycle), region=_t(Region))}
WHERE c.status = %s AND ({" OR ".join(alternatives) or "1 = 0"}) AND {where}"""  # noqa: S608
    rows = _rows(sql, [Cycle.Status.OPEN.value, *head, *params])
    return [
        (pk, status, _aware(sub), _aware(changed), cycle, cname, code, rname, pcode or "", pname or "")
        for pk, status, sub, changed, cycle, cname, code, rname, pcode, pname in rows
    ]


def deadlines(cycles: Collection[int], regions: Collection[str], stages: Collection[str]) -> list[tuple[Any, ...]]:
    """(cycle, stage, "", ends) of the calendar's deadlines, then (cycle, stage, region, ends) of the extensions of
    `regions` (one query)."""
    if not cycles:
        return []
    ext_regions = f"AND x.region_id IN ({_in(regions)})" if regions else "AND 1 = 0"
    sql = f"""SELECT 0, d.cycle_id, d.stage, '', d.ends_at FROM {_t(StageDeadline)} d
WHERE d.cycle_id IN ({_in(cycles)}) AND d.stage IN ({_in(stages)})
UNION ALL SELECT 1, x.cycle_id, x.stage, x.region_id, x.ends_at FROM {_t(StageExtension)} x
WHERE x.cycle_id IN ({_in(cycles)}) AND x.stage IN ({_in(stages)}) {ext_regions}
ORDER BY 1"""  # noqa: S608
    params = [*cycles, *stages, *cycles, *stages, *regions]
    return [(c, s, r, _aware(ends)) for _n, c, s, r, ends in _rows(sql, params)]


def agency_names(entry_ids: Collection[int]) -> list[tuple[int, str]]:
    """(entry, agency short name) of the assignments of `entry_ids`, by short name."""
    from kla.agencies.models import Agency

    sql = f"""SELECT a.entry_id, g.short_name FROM {_t(Assignment)} a JOIN {_t(Agency)} g ON g.id = a.agency_id
WHERE a.entry_id IN ({_in(entry_ids)}) ORDER BY g.short_name"""  # noqa: S608
    return [(pk, name) for pk, name in _rows(sql, list(entry_ids))] if entry_ids else []


def reminded(keys: Collection[str]) -> set[str]:
    """The reminder keys among `keys` already sent."""
    if not keys:
        return set()
    key = connection.ops.quote_name("key")
    sql = f"SELECT {key} FROM {_t(ReminderSent)} WHERE {key} IN ({_in(keys)})"  # noqa: S608
    return {found for (found,) in _rows(sql, list(keys))}


def filter_regions(scope: list[str] | None) -> list[tuple[str, str]]:
    """The provinces (`scope` None) or the kab/kota of the scope's provinces, by code."""
    level = connection.ops.quote_name("level")
    if scope is None:
        sql, params = f"SELECT code, name FROM {_t(Region)} WHERE {level} = %s", [RegionLevel.PROVINSI.value]  # noqa: S608
    elif not scope:
        return []
    else:
        sql = f"SELECT code, name FROM {_t(Region)} WHERE {level} = %s AND parent_id IN ({_in(scope)})"  # noqa: S608
        params = [RegionLevel.KABKOTA.value, *scope]
    return [(code, name) for code, name in _rows(sql + " ORDER BY code", params)]
