"""Reads shared by the dashboards of every level: the cycle filter, completeness per evaluation and RAD budgets, each
one aggregate query whatever the number of kab/kota."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from kla.core.compiled import CompiledQuery
from kla.dashboards import fingerprints
from kla.evaluations.models import Cycle, Evaluation
from kla.indicators.models import Question
from kla.rad.fields import to_rupiah
from kla.rad.models import BudgetLine, Spend, Version

# Every dashboard request reads them: compiled once per process (compiling cost more than the query).
_CYCLES: CompiledQuery[Cycle] = CompiledQuery(
    lambda: (
        Cycle.objects.exclude(status=Cycle.Status.DRAFT)
        .select_related("framework")
        .order_by("-year", "-created_at", "-pk")
    )
)


def cycles() -> list[Cycle]:
    """Cycles a dashboard can show (opened ones, newest first): the cycle filter's choices (one query)."""
    return _CYCLES.fetch()


def pick_cycle(choices: Sequence[Cycle], code: str | None) -> Cycle:
    """The cycle asked for (`?cycle=`), or the newest; 404 for an unknown code or when there is none."""
    if code:
        found = next((c for c in choices if c.code == code), None)
        if found is None:
            raise Http404(_("Siklus evaluasi tidak ditemukan."))
        return found
    if not choices:
        raise Http404(_("Belum ada siklus evaluasi yang dibuka."))
    return choices[0]


def stage_labels() -> dict[str, str]:
    """Evaluation status → its label in the active language, translated once for a table (a row's
    `get_status_display()` rebuilds the field's choices on every call)."""
    return {value: str(label) for value, label in Evaluation.Status.choices}


def question_count(framework_id: int) -> int:
    """Questions of the framework: every evaluation of a cycle answers all of them (one query)."""
    return Question.objects.filter(indicator__framework_id=framework_id).count()


def answered_by_evaluation(evaluation_ids: Collection[int]) -> dict[int, int]:
    """Evaluation id → questions answered and done (an answer whose warning waits for an explanation is still open,
    as the secretariat's progress counts it). One aggregate query, in plain SQL (`fingerprints.answered_sql`): the
    ORM's compilation of it cost more than running it, and the national table reads it on every request."""
    ids = [int(pk) for pk in evaluation_ids]
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(fingerprints.answered_sql(len(ids)), ids)
        return {evaluation: int(n or 0) for evaluation, n in cursor.fetchall()}


@dataclass(frozen=True, slots=True)
class Budget:
    planned: Decimal
    realised: Decimal

    @property
    def percent(self) -> int | None:
        if not self.planned:
            return None
        return int(100 * self.realised / self.planned)


def budgets_by_region(region_codes: Collection[str], year: int) -> dict[str, Budget]:
    """Region code → RAD KLA budget of `year`: planned in the adopted version of its plans, realised in the quarters
    recorded. Two aggregate queries."""
    codes = list(region_codes)
    planned = (
        BudgetLine.objects.filter(
            year=year, node__version__status=Version.Status.ADOPTED, node__version__plan__region_id__in=codes
        )
        .values("node__version__plan__region_id")
        .annotate(total=Sum("amount"))
    )
    realised = (
        Spend.objects.filter(realisation__year=year, realisation__plan__region_id__in=codes)
        .values("realisation__plan__region_id")
        .annotate(total=Sum("amount"))
    )
    plan = {r["node__version__plan__region_id"]: to_rupiah(r["total"] or 0) for r in planned}
    real = {r["realisation__plan__region_id"]: to_rupiah(r["total"] or 0) for r in realised}
    zero = Decimal("0.00")
    return {c: Budget(plan.get(c, zero), real.get(c, zero)) for c in codes if c in plan or c in real}


def budgets_by_year(region_code: str) -> dict[int, Budget]:
    """Year → the region's RAD KLA budget planned (adopted versions) and realised. Two aggregate queries."""
    planned = (
        BudgetLine.objects.filter(
            node__version__status=Version.Status.ADOPTED, node__version__plan__region_id=region_code
        )
        .values("year")
        .annotate(total=Sum("amount"))
    )
    realised = (
        Spend.objects.filter(realisation__plan__region_id=region_code)
        .values("realisation__year")
        .annotate(total=Sum("amount"))
    )
    plan = {r["year"]: to_rupiah(r["total"] or 0) for r in planned}
    real = {r["realisation__year"]: to_rupiah(r["total"] or 0) for r in realised}
    zero = Decimal("0.00")
    return {y: Budget(plan.get(y, zero), real.get(y, zero)) for y in sorted(set(plan) | set(real))}
