"""Querysets compiled to SQL once per process and run again with new values, as `kla.core.compiled.CompiledQuery`
does for plain model querysets: `CompiledRows` for the plain rows (sums, a date) and `CompiledAnnotated` for model
instances with annotations, which the busiest pages read on every request. Only the values of the placeholders may
change; the rows are converted as the ORM converts them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


@dataclass(frozen=True, slots=True)
class _RowsPlan:
    db: str
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


class CompiledRows:
    """A `values_list` queryset compiled once per process; `fetch(*values)` runs it with new values (plain rows)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *kinds: type[int] | type[str]) -> None:
        self._build = build
        # values no real row has; each must appear exactly once among the compiled query's parameters
        self._placeholders = tuple(
            -918_273_645 - i if kind is int else f"\x00kla-rows-{i}\x00" for i, kind in enumerate(kinds)
        )
        self._plan: _RowsPlan | None = None

    def _compile(self) -> _RowsPlan:
        queryset = self._build(*self._placeholders)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        positions = []
        for placeholder in self._placeholders:
            found = [i for i, param in enumerate(params) if param == placeholder]
            if len(found) != 1:
                raise ValueError(f"placeholder {placeholder!r} appears {len(found)} times in {sql}")
            positions.append(found[0])
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        plan = _RowsPlan(
            queryset.db,
            sql,
            tuple(params),
            tuple(positions),
            tuple((pos, tuple(convs), expr) for pos, (convs, expr) in converters.items()),
        )
        self._plan = plan
        return plan

    def fetch(self, *values: Any) -> list[Sequence[Any]]:
        plan = self._plan or self._compile()
        params = list(plan.params)
        for position, value in zip(plan.positions, values, strict=True):
            params[position] = value
        connection = connections[plan.db]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows: list[Sequence[Any]] = cursor.fetchall()
        if not plan.converters:
            return rows
        converted: list[Sequence[Any]] = []
        for raw in rows:
            row = list(raw)
            for position, converters, expression in plan.converters:
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            converted.append(row)
        return converted


class CompiledAnnotated[M: Model]:
    """`kla.core.compiled.CompiledQuery` for a model queryset with annotations (counts, subqueries): the instances
    are built as the ORM builds them (`from_db`, the `select_related` populators) and each gets its annotated values
    as attributes. Only the values of the placeholders may change."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type[int] | type[str]) -> None:
        self._rows = CompiledRows(build, *kinds)
        self._shape: _Shape | None = None

    def _compile(self) -> _Shape:
        rows = self._rows
        queryset = rows._build(*rows._placeholders)
        compiler = queryset.query.get_compiler(using=queryset.db)
        compiler.as_sql()
        select, klass_info = compiler.select, compiler.klass_info
        if klass_info is None or queryset._known_related_objects:  # type: ignore[attr-defined]
            raise ValueError("CompiledAnnotated runs model querysets without related managers")
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fetch_mode = queryset._fetch_mode  # type: ignore[attr-defined]
        shape = _Shape(
            model=klass_info["model"],
            db=queryset.db,
            fields=(start, end),
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            populators=tuple(get_related_populators(klass_info, select, queryset.db, fetch_mode)),
            annotations=tuple(compiler.annotation_col_map.items()),
            fetch_mode=fetch_mode,
        )
        self._shape = shape
        return shape

    def fetch(self, *values: Any) -> list[M]:
        shape = self._shape or self._compile()
        start, end = shape.fields
        found: list[M] = []
        peers: list[Any] = []
        for row in self._rows.fetch(*values):
            obj = shape.model.from_db(shape.db, shape.init_list, row[start:end], fetch_mode=shape.fetch_mode)
            if shape.fetch_mode.track_peers:
                peers.append(weakref.ref(obj))
                obj._state.peers = peers
            for populator in shape.populators:
                populator.populate(row, obj)
            for name, position in shape.annotations:
                setattr(obj, name, row[position])
            found.append(obj)  # type: ignore[arg-type]
        return found


@dataclass(frozen=True, slots=True)
class _Shape:
    model: type[Model]
    db: str
    fields: tuple[int, int]
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]
    fetch_mode: Any
