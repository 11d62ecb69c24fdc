"""Open follow-ups of the Gugus Tugas for a dashboard panel (the evaluation page, Tugas saya, the kab/kota
dashboard): the first rows, overdue first, and the totals. Two queries whatever the data.

The totals come from the open follow-ups counted per due date (a few rows: the dates still open), so no query
carries today's date; the rows are the first open ones by due date, and the overdue ones are exactly those of them
due before today (every overdue follow-up comes before every other in that order). For one region seen whole (the
common case) both queries are compiled once per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from kla.accounts import access
from kla.accounts.access import Visitor
from kla.accounts.roles import Role
from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.taskforce import rules
from kla.taskforce.models import FollowUp

SOON_DAYS = 7  # "due soon": due today or within the next week
PANEL_ROWS = 10  # rows a dashboard panel lists; the totals count the rest


@dataclass(frozen=True)
class DueRow:
    """One open follow-up as a panel shows it: days late (0 = not late) or days left until its due date."""

    follow_up: FollowUp
    days_late: int
    days_left: int


@dataclass(frozen=True)
class DuePanel:
    """Open follow-ups for a dashboard: the first rows (overdue first, the longest late on top) and the totals."""

    rows: list[DueRow]
    overdue: int
    due_soon: int
    open: int
    region_codes: list[str]
    today: dt.date
    listed: int  # how many the panel would list without its row limit: the overdue ones, or every open one

    @property
    def more(self) -> int:
        """How many were left off beyond the row limit."""
        return max(self.listed - len(self.rows), 0)


def _open(scope: Q) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(scope, status=FollowUp.Status.OPEN)


def _per_date(scope: Q) -> QuerySet[FollowUp, tuple[dt.date, int]]:
    return _open(scope).order_by().values("due_date").annotate(n=Count("pk")).values_list("due_date", "n")


def _first(scope: Q, limit: int) -> QuerySet[FollowUp]:
    return _open(scope).select_related("owner", "meeting").order_by("due_date", "pk")[:limit]


_REGION_PER_DATE = CompiledRows(lambda region: _per_date(Q(region_id=region)), str)
_REGION_FIRST: CompiledQuery[FollowUp] = CompiledQuery(lambda region: _first(Q(region_id=region), PANEL_ROWS), str)


def overdue_for_region(
    region_code: str, *, today: dt.date, owners: Collection[int] | None = None, limit: int = PANEL_ROWS
) -> DuePanel:
    """The region's overdue follow-ups (only those of `owners` when given: an operator-only reader) and how many
    fall due in the next `SOON_DAYS` days. Two queries."""
    return overdue_for_regions([region_code], today=today, owners=owners, limit=limit)


def overdue_for_regions(
    region_codes: Collection[str], *, today: dt.date, owners: Collection[int] | None = None, limit: int = PANEL_ROWS
) -> DuePanel:
    """`overdue_for_region` over several regions at once (a user managing more than one task force)."""
    codes = sorted(region_codes)
    if len(codes) == 1 and owners is None and limit == PANEL_ROWS:
        per_date, first = _REGION_PER_DATE.fetch(codes[0]), _REGION_FIRST.fetch(codes[0])
        return _panel(per_date, first, codes, today=today, overdue_only=True)
    scope = Q(region_id__in=codes)
    if owners is not None:
        scope &= Q(owner_id__in=list(owners))
    return _panel(_per_date(scope), _first(scope, limit), codes, today=today, overdue_only=True)


def open_for_operator(user: Visitor, *, today: dt.date, limit: int = PANEL_ROWS) -> DuePanel | None:
    """The open follow-ups owned by the agencies the user operates for, in the regions of those memberships (the
    same follow-ups the task-force pages show them), overdue first; None for a user who operates for no agency."""
    pairs = {
        (m.region_id, m.agency_id)
        for m in access.memberships(user)
        if Role(m.role) == Role.OPD_OPERATOR and m.agency_id is not None and m.region_id is not None
    }
    if not pairs:
        return None
    scope = reduce(or_, (Q(region_id=region, owner_id=agency) for region, agency in sorted(pairs)))
    codes = sorted({region for region, _ in pairs})
    return _panel(_per_date(scope), _first(scope, limit), codes, today=today, overdue_only=False)


def _panel(
    per_date: Iterable[tuple[dt.date, int]],
    first: Iterable[FollowUp],
    codes: list[str],
    *,
    today: dt.date,
    overdue_only: bool,
) -> DuePanel:
    """The panel from the open follow-ups counted per due date and the first open ones by due date (both read
    whatever the totals say: the same two queries whatever the data)."""
    soon_until = today + dt.timedelta(days=SOON_DAYS)
    open_ = overdue = due_soon = 0
    for due, n in per_date:
        open_ += n
        overdue += n if due < today else 0
        due_soon += n if today <= due <= soon_until else 0
    rows = [
        DueRow(
            follow_up=f,
            days_late=rules.days_overdue(due=f.due_date, done=False, today=today),
            days_left=max((f.due_date - today).days, 0),
        )
        for f in first
        if not overdue_only or f.due_date < today
    ]
    return DuePanel(
        rows=rows,
        overdue=overdue,
        due_soon=due_soon,
        open=open_,
        region_codes=codes,
        today=today,
        listed=overdue if overdue_only else open_,
    )
