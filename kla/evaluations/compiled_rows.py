"""A `values_list` queryset compiled to SQL once per process and run again with new values, as
`kla.core.compiled.CompiledQuery` does for model instances: for the plain rows (sums, a date) the busiest pages read
on every request. Only the values of the placeholders may change; the rows are converted as the ORM converts them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet


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
        converted = []
        for raw in rows:
            row = list(raw)
            for position, converters, expression in plan.converters:
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            converted.append(row)
        return converted
