"""The national dashboard's kab/kota table: one page of 50 evaluations in the order the cached summary keeps
(`NationalSummary.order`), its rendered HTML kept by the summary's key, the page and the completeness of its rows.

Per request, only the completeness of the page's evaluations is read (one aggregate query: answers change all the
time during the self-assessment, and no cheaper fingerprint of them exists); the rows themselves (evaluation,
region, scores through `visible_scores`) are read only when the rendered table is not in the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page

from kla.accounts.models import User
from kla.dashboards import figures
from kla.dashboards.selectors.common import answered_by_evaluation, question_count, stage_labels
from kla.evaluations.models import Cycle, Evaluation
from kla.indicators.selectors import band_rules
from kla.results.selectors.scores import VisibleScores, visible_scores

# what a row reads of an evaluation, its region and province
_ROW_FIELDS = (
    "id",
    "cycle_id",
    "region_id",
    "status",
    "status_changed_at",
    "em_score",
    "region__name",
    "region__parent_id",
    "region__parent__name",
)

# evaluation, what the viewer sees of it, completeness, days in its stage, the stage's label
type Row = tuple[Evaluation, VisibleScores, figures.Progress, int, str]


@dataclass
class Table:
    user: User
    cycle: Cycle
    page: Page[int]  # evaluation ids
    now: dt.datetime
    summary_key: str  # the summary's cache key: the data's fingerprint and the viewer's grants
    province: str = ""

    @cached_property
    def answered(self) -> dict[int, int]:
        """Evaluation id → questions answered and done, for the page (one query)."""
        return answered_by_evaluation(list(self.page.object_list))

    @cached_property
    def key(self) -> str:
        """The key of the rendered page of the table: what the summary is built from, the viewer's grants, the
        province filter, the page and the completeness of its rows."""
        parts = (self.summary_key, self.province, self.page.number, sorted(self.answered.items()))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    @cached_property
    def rows(self) -> list[Row]:
        """The page's rows, scores through the seal (three queries)."""
        ids = list(self.page.object_list)
        found = Evaluation.objects.filter(pk__in=ids).select_related("region__parent").only(*_ROW_FIELDS)
        by_id = {e.pk: e for e in found}
        items = [by_id[pk] for pk in ids if pk in by_id]
        for evaluation in items:
            evaluation.cycle = self.cycle
        bands = {self.cycle.framework_id: band_rules(self.cycle.framework_id)}
        visible = visible_scores(self.user, items, self.now, breakdowns=False, bands=bands)
        questions = question_count(self.cycle.framework_id)
        labels = stage_labels()
        out: list[Row] = []
        for evaluation, seen in zip(items, visible, strict=True):
            done = self.answered.get(evaluation.pk, 0)
            progress = figures.Progress(evaluation.region_id, evaluation.region.name, done, questions)
            changed = evaluation.status_changed_at
            days = (self.now - changed).days if changed else 0
            out.append((evaluation, seen, progress, days, labels.get(evaluation.status, evaluation.status)))
        return out
