"""One page of the reviewer's queue (`selectors.reviewable`, filtered by stage) in one query compiled once per process
and shape, its total counted in the same query (`COUNT(*) OVER ()`) instead of a second one.

The shape is what changes the SQL: how many regions the reviewer's scope has (none for a national role), how many
stages are asked for, and the page's offset. The scope is the same filter as `selectors.reviewable`: every region
where the user may view evaluations and everything under it (`kla.regions.selectors.subtree_q`), with its bounds as
values (`subtree_bounds`); `tests` compare both on every persona.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Window

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import NATIONAL_ROLES, Action, allows
from kla.core.compiled import CompiledQuery
from kla.evaluations.models import Cycle, Evaluation
from kla.evaluations.selectors import EVALUATION_ROW_FIELDS
from kla.regions.levels import subtree_bounds

PER_PAGE = 50
# a queue row: what the table shows, the seal's fields, who acts next (the workflow) and the instrument's version
ROW_FIELDS = (*EVALUATION_ROW_FIELDS, "cycle__workflow", "cycle__framework__loaded_at")


def scope_codes(user: User) -> list[str] | None:
    """The regions whose subtrees the user reviews (`selectors.reviewable`); None: nationwide."""
    if access.has_role(user, *NATIONAL_ROLES):
        return None
    codes = [g.region_code for g in access.grants(user) if allows([g], Action.EVALUATION_VIEW, g.region_code)]
    return None if None in codes else [c for c in codes if c is not None]


@functools.lru_cache(maxsize=256)
def _query(regions: int | None, states: int, offset: int) -> CompiledQuery[Evaluation]:
    def build(*values: str) -> QuerySet[Evaluation]:
        qs = Evaluation.objects.exclude(status=Evaluation.Status.DRAFT)
        if regions is not None:
            scope = Q(pk__in=[])
            for i in range(regions):
                code, low, high = values[3 * i : 3 * i + 3]
                scope |= Q(region_id=code) | Q(region_id__gte=low, region_id__lt=high)
            qs = qs.filter(scope)
        if states:
            qs = qs.filter(status__in=values[3 * (regions or 0) :])
        return (
            qs.select_related("cycle__framework", "region")
            .only(*ROW_FIELDS)
            .annotate(queue_total=Window(Count("id")))
            .order_by("cycle_id", "region_id")[offset : offset + PER_PAGE]
        )

    return CompiledQuery(build, *([str] * (3 * (regions or 0) + states)))


@dataclass
class QueuePage:
    page: Page[int]  # the numbers the pagination shows (the rows are `evaluations`)
    evaluations: list[Evaluation]


def _fetch(codes: list[str] | None, states: Sequence[str], number: int) -> tuple[list[Evaluation], int]:
    values: list[str] = []
    for code in codes or []:
        values += [code, *subtree_bounds(code)]
    found = _query(None if codes is None else len(codes), len(states), (number - 1) * PER_PAGE).fetch(*values, *states)
    return found, found[0].queue_total if found else 0  # type: ignore[attr-defined]


def queue_page(user: User, states: Sequence[str], number: str | None) -> QueuePage:
    """The page `number` (as `Paginator.get_page` reads it: the first when not a number, the last when past it) of
    the evaluations past the self-assessment in the user's scope, in the given states (any when none)."""
    codes = scope_codes(user)
    if codes == []:  # a reviewer of no region: nothing to read
        return QueuePage(Paginator(range(0), PER_PAGE).get_page(1), [])
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 1
    found, total = _fetch(codes, states, wanted) if wanted >= 1 else ([], 0)
    if not found and wanted != 1:  # past the last page (or below the first): count, then read the last
        _, total = _fetch(codes, states, 1)
        wanted = max(1, -(-total // PER_PAGE))
        found, total = _fetch(codes, states, wanted)
    return QueuePage(Paginator(range(total), PER_PAGE).get_page(wanted), found)


_OPEN_CYCLES: CompiledQuery[Cycle] = CompiledQuery(lambda status: Cycle.objects.exclude(status=status), str)


def open_cycles() -> list[Cycle]:
    """The cycles past their draft (the province summaries' links)."""
    return _OPEN_CYCLES.fetch(Cycle.Status.DRAFT.value)
