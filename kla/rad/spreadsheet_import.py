"""Writing what a checked RAD KLA sheet holds through `kla.rad.services` (inside the caller's transaction), and the
realisation template and import. A refusal of a service is named with the sheet row it came from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kla.rad import access, rules, services
from kla.rad import spreadsheet_rules as sr
from kla.rad.models import BudgetLine, Node, Output, Plan, Version
from kla.rad.spreadsheet import (
    MONEY_FORMAT,
    SOURCE_NAMES,
    add_lists,
    book_bytes,
    column_letter,
    new_book,
    records,
    refuse,
)
from kla.rad.spreadsheet_rules_realisation import parse_realisation

if TYPE_CHECKING:
    from kla.accounts.models import User


def _named(row: int, column: str, exc: ValidationError | PermissionDenied) -> sr.RowError:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return sr.RowError(row, column, text)


def _leaf(version: Version, leaf: sr.LeafPlan, parent: Node, level: str, by: User | None) -> None:
    node = services.node_add(
        version=version, level=level, parent=parent, agency_id=leaf.agency_id, name=leaf.name, code=leaf.code, by=by
    )
    _figures(node, leaf, by)


def _figures(node: Node, leaf: sr.LeafPlan, by: User | None) -> None:
    for name, unit in leaf.outputs.items():
        output = services.output_add(node=node, name=name, unit=unit, by=by)
        targets = {year: value for (out, year), value in leaf.targets.items() if out == name}
        if targets:
            services.targets_set(output=output, targets=targets, by=by)
    if leaf.budget:
        services.budget_set(node=node, budget=dict(leaf.budget), by=by)


def write_plan(version: Version, programmes: Sequence[sr.ProgrammePlan], by: User | None) -> None:
    """Programmes, activities, sub-activities, outputs, targets and budgets, in the order of the sheet."""
    for programme in programmes:
        first = min(a.leaf.first_row for a in programme.activities.values())
        try:
            node = services.node_add(
                version=version,
                level=rules.Level.PROGRAMME,
                indicator_id=programme.indicator_id,
                name=programme.name,
                code=programme.code,
                by=by,
            )
            for activity in programme.activities.values():
                first = activity.leaf.first_row
                if not activity.subs:
                    _leaf(version, activity.leaf, node, rules.Level.ACTIVITY, by)
                    continue
                parent = services.node_add(
                    version=version,
                    level=rules.Level.ACTIVITY,
                    parent=node,
                    agency_id=activity.leaf.agency_id,
                    name=activity.leaf.name,
                    code=activity.leaf.code,
                    by=by,
                )
                for sub in activity.subs.values():
                    first = sub.first_row
                    _leaf(version, sub, parent, rules.Level.SUB_ACTIVITY, by)
        except (ValidationError, PermissionDenied) as exc:
            refuse([_named(first, "Program", exc)])


# --- realisation -----------------------------------------------------------------------------------------------------


def in_force(plan: Plan) -> Version:
    version = Version.objects.filter(plan=plan, status=Version.Status.ADOPTED).first()
    if version is None:
        raise ValidationError(gettext("Rencana ini belum ditetapkan; realisasi dicatat setelah rencana ditetapkan."))
    return version


def realisable(plan: Plan, user: User) -> list[Node]:
    """The funded leaves of the plan in force whose realisation `user` may record (an operator: their agency's)."""
    version = in_force(plan)
    own = access.realise_agency_ids(user, plan.region_id)
    leaves = (
        Node.objects.filter(version=version, level__in=rules.FUNDED_LEVELS, children__isnull=True)
        .select_related("agency")
        .order_by("position", "id")
    )
    if own is not None:
        leaves = leaves.filter(agency_id__in=own)
    return list(leaves)


def _template_rows(leaves: list[Node]) -> list[list[str]]:
    """Per activity: a row per planned source (the amount to fill), then a row per output (the value achieved)."""
    sources: dict[int, list[str]] = {}
    for node_id, source in (
        BudgetLine.objects.filter(node__in=leaves).values_list("node_id", "source").distinct().order_by("source")
    ):
        sources.setdefault(node_id, []).append(source)
    outputs: dict[int, list[Output]] = {}
    for output in Output.objects.filter(node__in=leaves).order_by("position", "id"):
        outputs.setdefault(output.node_id, []).append(output)
    labels = {s.value: label for s, label in rules.SOURCE_LABELS.items()}
    blank = [""] * 5  # year, quarter, amount, notes, explanation
    rows = []
    for node in leaves:
        agency = node.agency.name if node.agency is not None else ""
        for source in sources.get(node.pk, [rules.Source.APBD_KABKOTA.value]):
            rows.append([str(node.key), agency, node.name, labels[source]])
        for output in outputs.get(node.pk, []):
            rows.append([str(node.key), agency, node.name, "", *blank, str(output.key), output.name, output.unit])
    return rows


def realisation_template(plan: Plan, user: User) -> bytes:
    """One row per activity and planned source, one per activity and output (the keys identify them); year,
    quarter and the amount spent or the value achieved to fill."""
    columns = sr.REALISATION_COLUMNS
    widths = (38, 34, 44, 22, 8, 9, 20, 40, 40, 38, 40, 14, 14)
    book, sheet = new_book("Realisasi", columns, widths, sr.REALISATION_MARK)
    for values in _template_rows(realisable(plan, user)):
        sheet.append(values)
    money = columns.index("Realisasi (Rp)") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=money).number_format = MONEY_FORMAT
    lists = (
        (column_letter(columns, "Sumber dana"), SOURCE_NAMES, gettext("Sumber dana")),
        (column_letter(columns, "Tahun"), [str(y) for y in plan.years], gettext("Tahun")),
        (column_letter(columns, "Triwulan"), ["1", "2", "3", "4"], gettext("Triwulan")),
    )
    add_lists(book, sheet, lists)
    return book_bytes(book)


@transaction.atomic
def import_realisation(*, plan: Plan, upload: Any, by: User) -> int:
    """Record every quarter the uploaded realisation template holds (its spending per source and output achieved per
    output indicator; a quarter in the sheet replaces that quarter's figures); all or nothing. Returns the
    quarters."""
    leaves = {str(n.key): n for n in realisable(plan, by)}
    outputs: dict[str, set[str]] = {}
    for node_key, output_key in Output.objects.filter(node__in=leaves.values()).values_list("node__key", "key"):
        outputs.setdefault(str(node_key), set()).add(str(output_key))
    rows = records(upload, sr.REALISATION_MARK, sr.REALISATION_COLUMNS, sr.REALISATION_REQUIRED)
    groups, errors = parse_realisation(rows, keys=leaves, outputs=outputs, start=plan.start_year, end=plan.end_year)
    refuse(errors)
    for group in groups:
        try:
            with transaction.atomic():
                services.realisation_record(
                    node=leaves[group.key],
                    year=group.year,
                    quarter=group.quarter,
                    spent=group.spent,
                    achieved={UUID(k): v for k, v in group.achieved.items()},
                    notes=" ".join(group.notes),
                    explanation=" ".join(group.explanation),
                    by=by,
                )
        except (ValidationError, PermissionDenied) as exc:
            errors += [_named(row, gettext("Realisasi (Rp)"), exc) for row in group.rows]
    refuse(errors)
    return len(groups)
