"""A quarter's realisation of an activity of the plan in force: spending per source, output achieved, notes.

Stored under the plan and the activity's stable key (it follows the activity across revisions). Recording a quarter
again replaces its figures. Spending above the year's plan is allowed once explained.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kla.core import audit
from kla.core.wording import say
from kla.rad import rules
from kla.rad.access import require_realise
from kla.rad.models import Achievement, BudgetLine, Node, Realisation, Spend, Version
from kla.rad.services.scope import AmountInput, amount, lock_plan, raise_all, source, value

if TYPE_CHECKING:
    from kla.accounts.models import User

NOT_IN_FORCE = gettext_lazy(
    "Realisasi dicatat pada rencana yang sudah ditetapkan. Kegiatan ini berada pada versi yang "
    "belum atau tidak lagi berlaku; pilih kegiatannya dari rencana yang berlaku."
)


def _realisable(node: Node) -> Node:
    """The node under its plan's lock, refused unless it is a leaf activity of the adopted version."""
    lock_plan(node.version.plan)
    node = Node.objects.select_related("version__plan__region", "agency").get(pk=node.pk)
    if node.version.status != Version.Status.ADOPTED:
        raise ValidationError(NOT_IN_FORCE, code="not_in_force")
    if node.level not in rules.FUNDED_LEVELS or node.children.exists():
        raise ValidationError(
            gettext(
                "Realisasi dicatat pada kegiatan atau sub kegiatan yang beranggaran, bukan pada program "
                "atau kegiatan yang terbagi atas sub kegiatan."
            ),
            code="level",
        )
    return node


def _spends(spent: Mapping[str, AmountInput]) -> dict[str, Decimal]:
    errors: list[ValidationError] = []
    clean: dict[str, Decimal] = {}
    labels = {s.value: label for s, label in rules.SOURCE_LABELS.items()}
    for text_source, cell in sorted(spent.items()):
        where = gettext("Realisasi %(get)s: ") % {"get": labels.get(text_source, text_source)}
        try:
            clean[source(text_source, where).value] = amount(cell, where)
        except ValidationError as exc:
            errors.append(exc)
    raise_all(errors)
    return clean


def _achievements(node: Node, achieved: Mapping[UUID | str, AmountInput]) -> dict[UUID, Decimal]:
    outputs = {o.key: o for o in node.outputs.all()}
    errors: list[ValidationError] = []
    clean: dict[UUID, Decimal] = {}
    for raw_key, cell in achieved.items():
        try:
            key = raw_key if isinstance(raw_key, UUID) else UUID(str(raw_key))
        except ValueError:
            key = None
        output = outputs.get(key) if key is not None else None
        if output is None or key is None:
            errors.append(
                ValidationError(gettext("Indikator keluaran tidak dikenal untuk kegiatan ini. Muat ulang halaman."))
            )
            continue
        try:
            clean[key] = value(cell, f"Capaian {output.name}: ")
        except ValidationError as exc:
            errors.append(exc)
    raise_all(errors)
    return clean


def _year_figures(node: Node, year: int, quarter: int) -> tuple[Decimal, Decimal]:
    """(planned for the year, realised in the year's other quarters) of the activity."""
    planned = BudgetLine.objects.filter(node=node, year=year).aggregate(total=Sum("amount"))["total"]
    others = Spend.objects.filter(
        realisation__plan=node.version.plan,
        realisation__activity_key=node.key,
        realisation__year=year,
    ).exclude(realisation__quarter=quarter)
    realised = others.aggregate(total=Sum("amount"))["total"]
    return planned or Decimal("0.00"), realised or Decimal("0.00")


def _view(row: Realisation | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "spent": {s.source: str(s.amount) for s in row.spends.all()},
        "achieved": {str(a.output_key): str(a.value) for a in row.achievements.all()},
        "notes": row.notes,
        "overspend_explanation": row.overspend_explanation,
    }


@transaction.atomic
def realisation_record(
    *,
    node: Node,
    year: int,
    quarter: int,
    spent: Mapping[str, AmountInput],
    achieved: Mapping[UUID | str, AmountInput] | None = None,
    notes: str = "",
    explanation: str = "",
    by: User | None,
    today: dt.date | None = None,
) -> Realisation:
    """Record (or correct) a quarter's realisation of an activity of the plan in force. Refused (nothing written):
    someone who neither manages the plan nor operates for the responsible agency, a quarter not yet started or
    outside the plan's period, a negative, non-numeric, ambiguous or absurdly large amount, an unknown source or
    output, or a year's spending above plan without an explanation."""
    node = _realisable(node)
    plan = node.version.plan
    require_realise(by, node, plan.region_id)
    refusal = rules.quarter_refusal(year, quarter, plan.start_year, plan.end_year, today or timezone.localdate())
    if refusal:
        raise ValidationError(say(refusal), code="quarter")
    spends = _spends(spent)
    achievements = _achievements(node, achieved or {})
    planned, other_quarters = _year_figures(node, year, quarter)
    refusal = rules.overspend_refusal(planned, other_quarters + sum(spends.values(), Decimal(0)), explanation)
    if refusal:
        raise ValidationError(say(refusal), code="overspend")
    row = Realisation.objects.filter(plan=plan, activity_key=node.key, year=year, quarter=quarter).first()
    before = _view(row)
    if row is None:
        row = Realisation(plan=plan, activity_key=node.key, year=year, quarter=quarter)
    row.notes = notes.strip()
    row.overspend_explanation = explanation.strip()
    row.recorded_by = by
    row.save()
    row.spends.all().delete()
    row.achievements.all().delete()
    Spend.objects.bulk_create(Spend(realisation=row, source=s, amount=a) for s, a in spends.items() if a > 0)
    Achievement.objects.bulk_create(
        Achievement(realisation=row, output_key=k, value=v) for k, v in achievements.items()
    )
    audit.record(
        action="kla.rad.realisation.recorded",
        by=by,
        obj=row,
        object_label=f"{node.name}: triwulan {quarter} {year}"[:255],
        region_code=plan.region_id,
        before=before,
        after={"activity": str(node.key), "year": year, "quarter": quarter, **(_view(row) or {})},
    )
    return row
