"""A queryset compiled to SQL once per process and run again with new values: plain rows (tuples) for the reads a page
repeats on every request, where model instances are not needed.

Building and compiling a queryset costs far more CPU than running it (see `kla.core.compiled`). The queryset is built
with placeholder values, its SQL and the compiler's converters are kept, and afterwards only the values are swapped in
and the rows converted as the ORM converts them (an aware datetime, a date, a bool on every database). Only the values
of the placeholders may change; the shape of the query (filters, joins, ordering) is fixed at first use.

`CompiledRows` runs a `values_list` queryset and returns what it would return; `CompiledSQL` returns the rows of any
queryset in the compiler's column order (what `kla.core.compiled.CompiledQuery` builds instances from).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True, slots=True)
class _Plan:
    db: str
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


def placeholder(kind: type[int] | type[str], index: int) -> int | str:
    """A value no real row has; each must appear exactly once among the compiled query's parameters."""
    return -918_273_645 - index if kind is int else f"\x00kla-placeholder-{index}\x00"


class CompiledSQL:
    """`fetch(*values)` returns the converted rows of the queryset `build(*values)` in the compiler's column order."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *kinds: type[int] | type[str]) -> None:
        self._build = build
        self._placeholders = tuple(placeholder(kind, i) for i, kind in enumerate(kinds))
        self._plan: _Plan | None = None

    def queryset(self) -> QuerySet[Any, Any]:
        """The queryset built with the placeholders (its compiler describes the rows' columns)."""
        return self._build(*self._placeholders)

    def _check(self, queryset: QuerySet[Any, Any]) -> None:
        """Refuses a queryset whose rows this class would not return as asked (none here)."""

    def _compile(self) -> _Plan:
        queryset = self.queryset()
        self._check(queryset)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        positions = []
        for value in self._placeholders:
            found = [i for i, param in enumerate(params) if param == value]
            if len(found) != 1:
                raise ValueError(f"placeholder {value!r} appears {len(found)} times in {sql}")
            positions.append(found[0])
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        plan = _Plan(
            db=queryset.db,
            sql=sql,
            params=tuple(params),
            positions=tuple(positions),
            converters=tuple((pos, tuple(convs), expr) for pos, (convs, expr) in converters.items()),
        )
        self._plan = plan
        return plan

    def fetch(self, *values: Any) -> list[tuple[Any, ...]]:
        plan = self._plan or self._compile()
        params = list(plan.params)
        for position, value in zip(plan.positions, values, strict=True):
            params[position] = value
        connection = connections[plan.db]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if not plan.converters:
            return [tuple(row) for row in rows]
        out = []
        for raw in rows:
            row = list(raw)
            for position, converters, expression in plan.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            out.append(tuple(row))
        return out


class CompiledRows(CompiledSQL):
    """`fetch(*values)` returns the rows of the `values_list` queryset `build(*values)`, compiled on first use."""

    def _check(self, queryset: QuerySet[Any, Any]) -> None:
        query = queryset.query
        named = queryset._fields or ()  # type: ignore[attr-defined]
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if not named or [*named, *(f for f in query.annotation_select if f not in named)] != names:
            # values_list would reorder these columns (extra select, annotations named out of order)
            raise ValueError("CompiledRows runs values_list querysets whose columns come in the order named")
