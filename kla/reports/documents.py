"""Documents of one evaluation: the score sheet as a printable PDF (for the task force's meeting, or the file).

Rendered for the requester through the seal, like the page: the stages they may see, the predicate only once it may
be seen, and the seal notice otherwise. In Indonesian, whoever asks and wherever it is rendered (a page or the task
worker): numbers ``1.234,56`` and the time of printing in the region's zone (WIB, WITA or WIT).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from kla.accounts.models import User
from kla.evaluations.models import Evaluation
from kla.evaluations.seal import SCORE_STAGE_LABELS, SCORE_STAGE_SHORT, ScoreStage
from kla.regions.zones import zone_of
from kla.results.selectors import scores

SCORE_SHEET = "lembar-nilai"
SCORE_SHEET_LABEL = gettext_lazy("Lembar nilai (PDF)")


def score_sheet_html(user: User, evaluation: Evaluation) -> str:
    [visible] = scores.visible_scores(user, [evaluation])
    columns = scores.stage_columns([visible])
    stages = [ScoreStage(value) for value, _label in columns]
    rows = scores.score_sheet(visible)
    context = {
        "evaluation": evaluation,
        "visible": visible,
        "columns": [(SCORE_STAGE_SHORT[s], SCORE_STAGE_LABELS[s]) for s in stages],
        "lines": [(row, [row.points.get(s) for s in stages]) for row in rows],
        "totals": [visible.scores.get(s) for s in stages],
        "max_total": sum((row.max_points for row in rows), start=0),
        "printed_at": timezone.now(),
        "printed_by": user,
    }
    with translation.override("id"), timezone.override(zone_of(evaluation.region_id)):
        return render_to_string("reports/score_sheet_pdf.html", context)


def score_sheet_pdf(user: User, evaluation: Evaluation) -> bytes:
    from kla.verification.pdf import html_to_pdf  # WeasyPrint loads its stylesheets on import: only in the worker

    return html_to_pdf(score_sheet_html(user, evaluation))
