"""The evaluation page's indicator rows as plain dicts, and the agency checkboxes of each indicator's assignment
form, built in Python.

Every indicator (two dozen) carries a form listing every active agency of the kab/kota (about twenty): some five
hundred template iterations, each looking up the agency and testing whether it is assigned, were most of the page's
time. The markup is the same; the text is escaped here. The rows are dicts with their text ready (a template finds
a key at its first try; `i.entry.indicator.number` on objects failed an index at every step first).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, TypedDict

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kla.agencies.models import Agency
from kla.core.templatetags.formats import number

MARK = 999_999_999  # reversed once; each entry id takes its place

if TYPE_CHECKING:
    from kla.evaluations.selectors import EvaluationProgress, IndicatorProgress


def checkboxes(agencies: list[tuple[int, str]], assigned: Iterable[str]) -> SafeString:
    """A `<label class="choice"><input type="checkbox" name="agencies" ...> name</label>` per (pk, short name);
    those in `assigned` (short names) checked."""
    chosen = set(assigned)
    return mark_safe(  # noqa: S308 - built from escaped pieces
        "".join(
            f'<label class="choice"><input type="checkbox" name="agencies" value="{pk}" '
            f"{'checked' if short in chosen else ''}> {escape(short)}</label>"
            for pk, short in agencies
        )
    )


def for_indicators(region_code: str, indicators: list[IndicatorProgress]) -> dict[int, SafeString]:
    """Entry id → its checkboxes, over the region's active agencies (one query of plain rows)."""
    agencies = list(
        Agency.objects.filter(region_id=region_code, is_active=True)
        .order_by("short_name")
        .values_list("pk", "short_name")
    )
    return {i.entry.pk: checkboxes(agencies, i.agencies) for i in indicators}


class IndicatorRow(TypedDict):
    pk: int
    number: int
    name: str
    url: str
    warnings: int
    agencies: str  # "DINKES, DISDIK", "" when none
    choices: SafeString | None  # the assignment checkboxes, when the reader assigns and the evaluation is editable
    answered: int
    questions: int
    points: str
    max_points: str
    returned: bool
    label: str


def indicator_rows(progress: EvaluationProgress, labels: dict[int, str], *, assigns: bool) -> list[IndicatorRow]:
    """The indicator table's rows; with `assigns` (the reader assigns, the evaluation is editable) each with its
    agency checkboxes."""
    indicators = progress.indicators
    choices = for_indicators(progress.evaluation.region_id, indicators) if assigns else {}
    url = reverse("evaluations:entry_detail", args=[MARK])
    rows = []
    for i in indicators:
        entry = i.entry
        rows.append(
            IndicatorRow(
                pk=entry.pk,
                number=entry.indicator.number,
                name=entry.indicator.display_name,
                url=url.replace(str(MARK), str(entry.pk)),
                warnings=i.unresolved_warnings,
                agencies=", ".join(i.agencies),
                choices=choices.get(entry.pk),
                answered=i.answered,
                questions=i.questions,
                points=number(i.points, "-2"),
                max_points=number(i.max_points, "0"),
                returned=entry.status == "returned",
                label=labels.get(entry.pk, ""),
            )
        )
    return rows
