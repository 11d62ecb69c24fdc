"""The rows of "Tugas saya" as plain dicts with their text ready (the link, the indicator, the region and cycle, the
deadline in the viewer's zone, the progress and the status label).

Each row looked up `e.indicator.number`, `e.evaluation.region.name`... on objects, where a template tries an index
first and fails at every step, plus a `{% url %}` and a date filter: most of the page's time for an operator with a
few dozen entries. The markup stays in the template.
"""

from __future__ import annotations

from typing import TypedDict

from django.urls import reverse

from kla.core.templatetags.formats import short_datetime
from kla.evaluations import selectors
from kla.evaluations.models import Entry

MARK = 999_999_999  # reversed once; each entry id takes its place


class WorkRow(TypedDict):
    url: str
    title: str  # "4. Indikator …"
    where: str  # "Kota Palembang · Evaluasi KLA 2026"
    returned: bool
    deadline: str
    answered: int
    questions: int
    label: str


def rows(entries: list[Entry], labels: dict[int, str]) -> list[WorkRow]:
    """`entries` of `selectors.my_work` (with their counts and deadlines annotated)."""
    url = reverse("evaluations:entry_detail", args=[MARK])
    return [
        WorkRow(
            url=url.replace(str(MARK), str(e.pk)),
            title=f"{e.indicator.number}. {e.indicator.display_name}",
            where=f"{e.evaluation.region.name} · {e.evaluation.cycle.name}",
            returned=e.status == Entry.Status.RETURNED,
            deadline=short_datetime(selectors.deadline_in_force(e)),
            answered=e.n_answered,  # type: ignore[attr-defined]
            questions=e.n_questions,  # type: ignore[attr-defined]
            label=labels[e.pk],
        )
        for e in entries
    ]
