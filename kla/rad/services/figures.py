"""The figures of a draft: an output's target per year and an activity's budget per year and source.

Cells are given as a mapping; every cell is checked before anything is written, and every bad cell is named in the
refusal (year, source), so a form or an import row shows them all at once. An empty cell (or 0 for money) removes
the figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kla.core import audit
from kla.rad import rules
from kla.rad.access import require_manage
from kla.rad.models import BudgetLine, Node, Output, Target
from kla.rad.services.scope import AmountInput, amount, check_year, locked_draft, raise_all, source, value

if TYPE_CHECKING:
    from kla.accounts.models import User

type Cell = AmountInput | None
_LABELS = {s.value: label for s, label in rules.SOURCE_LABELS.items()}


def _filled(cell: Cell) -> AmountInput | None:
    """The cell's content, or None for an empty cell."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return cell


@transaction.atomic
def targets_set(*, output: Output, targets: Mapping[int, Cell], by: User | None) -> dict[int, Decimal]:
    """Set the output's target for each given year (a blank cell removes it). Refused (nothing written): a year
    outside the plan's period, a negative, non-numeric, ambiguous or absurdly large value."""
    version = locked_draft(output.node.version)
    plan = version.plan
    require_manage(by, plan.region_id)
    errors: list[ValidationError] = []
    clean: dict[int, Decimal | None] = {}
    for year, cell in sorted(targets.items()):
        where = gettext("Target tahun %(year)s: ") % {"year": year}
        try:
            check_year(year, plan, where)
            filled = _filled(cell)
            clean[year] = None if filled is None else value(filled, where)
        except ValidationError as exc:
            errors.append(exc)
    raise_all(errors)
    before = {t.year: str(t.value) for t in output.targets.all()}
    for year, number in clean.items():
        if number is None:
            Target.objects.filter(output=output, year=year).delete()
        else:
            Target.objects.update_or_create(output=output, year=year, defaults={"value": number})
    after = {t.year: t.value for t in output.targets.all()}
    audit.record(
        action="kla.rad.targets.set",
        by=by,
        obj=output,
        region_code=plan.region_id,
        before={"targets": before},
        after={"targets": {year: str(v) for year, v in after.items()}},
    )
    return after


def _check_leaf(node: Node) -> None:
    if node.level not in rules.FUNDED_LEVELS:
        raise ValidationError(
            gettext("Anggaran dicatat pada kegiatan atau sub kegiatan, bukan pada program."), code="level"
        )
    if node.children.exists():
        raise ValidationError(
            gettext("%(name)s memiliki sub kegiatan; catat anggarannya pada setiap sub kegiatan.")
            % {"name": node.name},
            code="has_children",
        )


@transaction.atomic
def budget_set(
    *, node: Node, budget: Mapping[tuple[int, str], Cell], by: User | None
) -> dict[tuple[int, str], Decimal]:
    """Set an activity's (or sub-activity's) planned amount per (year, source); a blank cell or 0 removes it.
    Refused (nothing written): a programme or an activity with sub-activities, a year outside the period, an
    unknown source, a negative, non-numeric, ambiguous ("1,250") or absurdly large amount."""
    version = locked_draft(node.version)
    plan = version.plan
    require_manage(by, plan.region_id)
    _check_leaf(node)
    errors: list[ValidationError] = []
    clean: dict[tuple[int, str], Decimal] = {}
    for (year, text_source), cell in sorted(budget.items()):
        where = gettext("Anggaran tahun %(year)s, %(get)s: ") % {
            "year": year,
            "get": _LABELS.get(text_source, text_source),
        }
        try:
            check_year(year, plan, where)
            key = (year, source(text_source, where).value)
            filled = _filled(cell)
            clean[key] = Decimal("0.00") if filled is None else amount(filled, where)
        except ValidationError as exc:
            errors.append(exc)
    raise_all(errors)
    lines = BudgetLine.objects.filter(node=node)
    before = {f"{b.year} {b.source}": str(b.amount) for b in lines}
    for (year, key_source), number in clean.items():
        if number == 0:
            lines.filter(year=year, source=key_source).delete()
        else:
            BudgetLine.objects.update_or_create(node=node, year=year, source=key_source, defaults={"amount": number})
    after = {(b.year, b.source): b.amount for b in BudgetLine.objects.filter(node=node)}
    audit.record(
        action="kla.rad.budget.set",
        by=by,
        obj=node,
        region_code=plan.region_id,
        before={"budget": before},
        after={"budget": {f"{y} {s}": str(a) for (y, s), a in after.items()}},
    )
    return after
