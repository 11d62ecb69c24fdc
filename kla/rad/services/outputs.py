"""An output indicator saved with its targets per year in one step (the form of the plan page): both writes in one
transaction, so a refused target leaves the name and unit as they were too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction

from kla.rad.models import Node, Output
from kla.rad.services.figures import Cell, targets_set
from kla.rad.services.nodes import output_add, output_update

if TYPE_CHECKING:
    from kla.accounts.models import User


@transaction.atomic
def output_create(*, node: Node, name: str, unit: str, targets: Mapping[int, Cell], by: User | None) -> Output:
    """Add an output indicator to an activity of a draft with its targets (blank years stay without target)."""
    output = output_add(node=node, name=name, unit=unit, by=by)
    filled = {year: cell for year, cell in targets.items() if cell is not None and str(cell).strip()}
    if filled:
        targets_set(output=output, targets=filled, by=by)
    return output


@transaction.atomic
def output_save(*, output: Output, name: str, unit: str, targets: Mapping[int, Cell], by: User | None) -> Output:
    """Correct an output indicator's name and unit and set its targets (a blank year removes its target)."""
    output = output_update(output=output, name=name, unit=unit, by=by)
    targets_set(output=output, targets=targets, by=by)
    return output
