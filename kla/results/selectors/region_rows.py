"""The reads of a kab/kota's results page, each compiled once per process (`kla.core.compiled.CompiledQuery`) or
written as one plain query: building and compiling the ORM's querysets cost more CPU than running them (measured at
national scale, the page's eight queries spent about two thirds of its CPU being built). The same rows as the
querysets they replace (`kla.results.selectors.regions`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import get_language

from kla.agencies.models import Agency
from kla.core.compiled import CompiledQuery
from kla.evaluations.models import Assignment, Cycle, Entry, Evaluation
from kla.indicators.models import Band, Cluster, Indicator
from kla.indicators.scoring import BandRule
from kla.regions.models import Region
from kla.results.models import PredicateRecord, Target
from kla.results.targets import IndicatorStanding

_REGION: CompiledQuery[Region] = CompiledQuery(
    lambda code, level: Region.objects.filter(code=code, level=level).select_related("parent", "kla_target"),
    str,
    str,
)
_ANY_REGION: CompiledQuery[Region] = CompiledQuery(
    lambda code: Region.objects.select_related("parent").filter(code=code), str
)
_EVALUATIONS: CompiledQuery[Evaluation] = CompiledQuery(
    lambda code: (
        Evaluation.objects.filter(region_id=code)
        .select_related("cycle__framework")
        .order_by("-cycle__year", "-cycle__created_at", "-pk")
    ),
    str,
)
_BANDS: CompiledQuery[Band] = CompiledQuery(
    lambda framework: Band.objects.filter(framework_id=framework).order_by("position"), int
)
_TARGET: CompiledQuery[Target] = CompiledQuery(lambda code: Target.objects.filter(region_id=code), str)


def region(code: str, level: str) -> Region | None:
    """The region `code` of `level`, with its parent and its target (`target_read`)."""
    found = _REGION.fetch(code, level)
    return found[0] if found else None


def region_any(code: str) -> Region | None:
    """The region `code` of any level, with its parent."""
    found = _ANY_REGION.fetch(code)
    return found[0] if found else None


def evaluations(region_code: str) -> list[Evaluation]:
    """The region's evaluations with their cycle and framework, newest cycle first."""
    return _EVALUATIONS.fetch(region_code)


def band_rules(framework_id: int) -> list[BandRule]:
    """The predicate bands of a framework, lowest first (`kla.indicators.selectors.band_rules`, compiled)."""
    return [BandRule(b.code, b.name, b.min_score, b.max_score) for b in _BANDS.fetch(framework_id)]


def target_read(region: Region) -> Target | None:
    """The target read with the region by `region` (no query)."""
    try:
        return region.kla_target
    except Target.DoesNotExist:
        return None


def target(region_code: str) -> Target | None:
    found = _TARGET.fetch(region_code)  # one at most: one target per kab/kota
    return found[0] if found else None


def _t(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _decimal(value: Any) -> Decimal:
    """A DECIMAL(7, 2) column read by a plain cursor (SQLite may give a float): as the ORM gives it."""
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(Decimal("0.01"))


def standings(evaluation_id: int, agencies_of: int, parts: dict[str, Any]) -> list[IndicatorStanding]:
    """Per indicator of `evaluation_id` (by position): its points in `parts` (a score breakdown's indicators), its
    maximum, its cluster and the agencies assigned to the same indicator code in evaluation `agencies_of` (by short
    name). One query."""
    assigned = f"""SELECT li.code AS code, g.short_name AS short_name FROM {_t(Assignment)} a
JOIN {_t(Entry)} le ON le.id = a.entry_id JOIN {_t(Indicator)} li ON li.id = le.indicator_id
JOIN {_t(Agency)} g ON g.id = a.agency_id WHERE le.evaluation_id = %s"""  # noqa: S608
    sql = f"""SELECT en.id, i.code, i.name, i.name_en, c.name, c.name_en, i.max_points, x.short_name
FROM {_t(Entry)} en JOIN {_t(Indicator)} i ON i.id = en.indicator_id JOIN {_t(Cluster)} c ON c.id = i.cluster_id
LEFT JOIN ({assigned}) x ON x.code = i.code
WHERE en.evaluation_id = %s ORDER BY i.position, en.id, x.short_name"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [agencies_of, evaluation_id])
        rows = cursor.fetchall()
    english = (get_language() or "id").startswith("en")
    lines: dict[int, tuple[str, str, str, Decimal, list[str]]] = {}
    for pk, code, name, name_en, cluster, cluster_en, max_points, agency in rows:
        if pk not in lines:
            shown, shown_cluster = (name_en or name, cluster_en or cluster) if english else (name, cluster)
            lines[pk] = (code, shown, shown_cluster, _decimal(max_points), [])
        if agency is not None:
            lines[pk][4].append(agency)
    out = []
    for code, name, cluster, max_points, agencies in lines.values():
        part = parts.get(code)
        points = Decimal(str(part["points"])) if part else Decimal("0.00")
        out.append(IndicatorStanding(code, name, cluster, points, max_points, tuple(agencies)))
    return out


def predicate_history(region_code: str, now: dt.datetime) -> list[PredicateRecord]:
    """`kla.results.selectors.regions.predicate_history` as one plain query: the region's imported years and the
    years of cycles whose results have been released by `now`, by year."""
    columns = ", ".join(f"p.{connection.ops.quote_name(str(f.column))}" for f in PredicateRecord._meta.concrete_fields)
    sql = f"""SELECT {columns} FROM {_t(PredicateRecord)} p LEFT JOIN {_t(Cycle)} c ON c.id = p.cycle_id
WHERE p.region_id = %s AND (p.source = %s OR (c.published_at IS NOT NULL AND c.release_at <= %s))
ORDER BY p.year"""  # noqa: S608
    params = [region_code, PredicateRecord.Source.IMPORT.value, connection.ops.adapt_datetimefield_value(now)]
    return list(PredicateRecord.objects.raw(sql, params))


def released_history(*, region: str | None, province: str | None, now: dt.datetime) -> list[tuple[Any, ...]]:
    """The released predicate records of one kab/kota or of every kab/kota of a province, by region and year (one
    query): (region, year, band code, band name, score, source, cycle code, cycle name, cycle publishes details),
    the cycle's columns None for an imported year."""
    where = "p.region_id = %s" if region else "r.parent_id = %s"
    sql = f"""SELECT p.region_id, p.year, p.band_code, p.band_name, p.score, p.source, c.code, c.name, c.public_details
FROM {_t(PredicateRecord)} p JOIN {_t(Region)} r ON r.code = p.region_id LEFT JOIN {_t(Cycle)} c ON c.id = p.cycle_id
WHERE {where} AND (p.source = %s OR (c.published_at IS NOT NULL AND c.release_at <= %s))
ORDER BY p.region_id, p.year"""  # noqa: S608
    params = [region or province, PredicateRecord.Source.IMPORT.value, connection.ops.adapt_datetimefield_value(now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        (code, year, band, name, None if score is None else _decimal(score), source, ccode, cname, bool(details))
        for code, year, band, name, score, source, ccode, cname, details in rows
    ]
