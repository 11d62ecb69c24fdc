"""The page of `GET /api/v1/evaluations/` as one plain query: the evaluations the user may see (the access layer's
scope, `kla.evaluations.selectors.evaluations_for_user`), newest cycle first, cut to the page, with the live EM
score, the answered count and the framework's question count computed for the page's rows only, and the total of
the scope as a window over the same rows.

The ORM version (ids first, then the rows with three correlated subqueries, then a count) spent most of the
endpoint's CPU building and compiling its querysets (measured at national scale for the ministry: about 60%). The
same values, in the same order; the scope's filter is the access layer's own (compiled as a subquery only for a
user who does not see the whole country).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.evaluations.models import Answer, Cycle, Entry, Evaluation
from kla.indicators.models import Indicator, Question
from kla.regions.models import Region

COLUMNS = ("id", "status", "region_code", "cycle_code", "region_name", "em_score_submitted")


def _t(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _scope(user: User) -> tuple[str, list[Any]] | None:
    """The access layer's scope of the user's evaluations as SQL on `e` ("" = nationwide); None: nothing."""
    scope = access.region_scope_q(user, Action.EVALUATION_VIEW)
    if scope is None:
        return "", []
    try:
        sql, params = Evaluation.objects.filter(scope).values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"WHERE e.id IN ({sql})", list(params)


def _decimal(value: Any) -> Decimal | None:
    """A DECIMAL(7, 2) read by a plain cursor: PostgreSQL gives it as the ORM does; SQLite a float, an int or text,
    which the ORM quantizes to the column's two places."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _sql(where: str) -> str:
    answers = f"{_t(Answer)} a JOIN {_t(Entry)} en ON en.id = a.entry_id WHERE en.evaluation_id = page.id"
    questions = (
        f"SELECT COUNT(q.id) FROM {_t(Question)} q JOIN {_t(Indicator)} i ON i.id = q.indicator_id "  # noqa: S608
        "WHERE i.framework_id = page.framework_id GROUP BY i.framework_id"
    )
    return f"""WITH page AS (
SELECT e.id, e.status, e.region_id, c.code AS cycle_code, r.name AS region_name, e.em_score, c.framework_id,
c.year AS cycle_year, COUNT(*) OVER () AS total
FROM {_t(Evaluation)} e JOIN {_t(Region)} r ON r.code = e.region_id JOIN {_t(Cycle)} c ON c.id = e.cycle_id
{where} ORDER BY c.year DESC, e.region_id ASC LIMIT %s OFFSET %s)
SELECT page.id, page.status, page.region_id, page.cycle_code, page.region_name, page.em_score, page.total,
COALESCE((SELECT SUM(a.points) FROM {answers}), %s),
COALESCE((SELECT COUNT(a.id) FROM {answers} AND a.answered = %s GROUP BY en.evaluation_id), 0),
({questions})
FROM page ORDER BY page.cycle_year DESC, page.region_id ASC"""  # noqa: S608 - table names from the models


def page_of(user: User, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The rows of the page (as `EvaluationOut` reads them) and the number of evaluations in the user's scope."""
    scope = _scope(user)
    if scope is None:
        return [], 0
    where, params = scope
    with connection.cursor() as cursor:
        cursor.execute(_sql(where), [*params, limit, offset, Decimal(0), True])
        rows = cursor.fetchall()
    if not rows:
        return [], _count(where, params) if offset else 0
    items = [
        {
            **dict(zip(COLUMNS, (pk, status, region, cycle, name, _decimal(em)), strict=True)),
            "em_score_live": _decimal(live),
            "answered": answered,
            "questions": questions,
        }
        for pk, status, region, cycle, name, em, _total, live, answered, questions in rows
    ]
    return items, int(rows[0][6])


def _count(where: str, params: list[Any]) -> int:
    """The number of evaluations in scope (only for a page past the end, where the window counted no row)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_t(Evaluation)} e {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])
