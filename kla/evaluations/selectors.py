"""Reads of the self-assessment, with a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core.compiled import CompiledQuery
from kla.core.compiled_rows import CompiledRows
from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation, StageDeadline, StageExtension
from kla.evaluations.next_steps import CycleWork
from kla.evaluations.stages import Stage
from kla.evaluations.workflow import State
from kla.indicators.models import Question
from kla.indicators.scoring import gap_to_gate

if TYPE_CHECKING:
    from kla.accounts.models import User

# What a list row of evaluations shows and what the seal needs to decide on it (`results.selectors.visible_scores`):
# read with `.only(*EVALUATION_ROW_FIELDS)` and `select_related("cycle", "region")`, a row carries no snapshots, no
# workflow and no audit fields (each column costs Python time to compile and to load, ~1 ms per 50 rows).
EVALUATION_ROW_FIELDS = (
    "id",
    "status",
    "em_score",
    "region__name",
    "cycle__code",
    "cycle__name",
    "cycle__framework_id",
    "cycle__published_at",
    "cycle__release_at",
    "cycle__public_details",
)


@dataclass
class IndicatorProgress:
    """`answered` counts the questions done: an answer whose warning waits for its explanation is not done (it is
    counted in `unresolved_warnings`), so the indicator is not complete until it is explained."""

    entry: Entry
    questions: int
    answered: int
    points: Decimal
    max_points: Decimal
    agencies: list[str]
    unresolved_warnings: int = 0

    @property
    def complete(self) -> bool:
        return self.answered >= self.questions and not self.unresolved_warnings

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 100


@dataclass
class GroupProgress:
    label: str
    key: int | None = None  # the agency id for agency groups
    questions: int = 0
    answered: int = 0
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    indicators: int = 0
    complete_indicators: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 100


@dataclass
class EvaluationProgress:
    evaluation: Evaluation
    indicators: list[IndicatorProgress]
    clusters: list[GroupProgress]
    agencies: list[GroupProgress]
    gate: Decimal
    total_points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def questions(self) -> int:
        return sum(i.questions for i in self.indicators)

    @property
    def answered(self) -> int:
        return sum(i.answered for i in self.indicators)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 100

    @property
    def unresolved_warnings(self) -> int:
        """Answers whose warning still waits for an explanation: each blocks the submission."""
        return sum(i.unresolved_warnings for i in self.indicators)

    @property
    def gap_to_gate(self) -> Decimal:
        """Points still needed to be strictly above the gate."""
        return gap_to_gate(self.total_points, self.gate)

    def missing(self) -> list[str]:
        return [
            f"{i.entry.indicator.number}. {i.entry.indicator.display_name} ({i.answered}/{i.questions}"
            + (f", {i.unresolved_warnings} perlu penjelasan)" if i.unresolved_warnings else ")")
            for i in self.indicators
            if not i.complete
        ]

    def snapshot(self) -> dict[str, Any]:
        return {
            "total": str(self.total_points),
            "indicators": {
                i.entry.indicator.code: {"points": str(i.points), "answered": i.answered, "questions": i.questions}
                for i in self.indicators
            },
        }


def _progress_answered(evaluation_id: int) -> QuerySet[Answer, Any]:
    unexplained = Q(needs_justification=True)  # answered, but not done until its warning is explained
    return (
        Answer.objects.filter(entry__evaluation_id=evaluation_id, answered=True)
        .values("entry_id")
        .annotate(n=Count("id", filter=~unexplained), pts=Sum("points"), warned=Count("id", filter=unexplained))
        .values_list("entry_id", "n", "pts", "warned")
    )


# the three reads of the progress, compiled once per process (the dashboard, the submission and the kab/kota
# dashboards read them on every request)
_PROGRESS_ENTRIES: CompiledQuery[Entry] = CompiledQuery(
    lambda evaluation_id: (
        Entry.objects.filter(evaluation_id=evaluation_id)
        .select_related("indicator__cluster")
        .annotate(n_questions=Count("indicator__questions", distinct=True))
        .order_by("indicator__position")
    ),
    int,
)
_PROGRESS_ANSWERED = CompiledRows(_progress_answered, int)
_PROGRESS_ASSIGNMENTS = CompiledRows(
    lambda evaluation_id: Assignment.objects.filter(entry__evaluation_id=evaluation_id).values_list(
        "entry_id", "agency_id", "agency__short_name"
    ),
    int,
)


def evaluation_progress(evaluation: Evaluation) -> EvaluationProgress:
    """Completeness and EM points per indicator, cluster and agency (3 queries)."""
    entries = _PROGRESS_ENTRIES.fetch(evaluation.pk)
    answered: dict[int, dict[str, Any]] = {
        entry_id: {"n": n, "pts": pts, "warned": warned}
        for entry_id, n, pts, warned in _PROGRESS_ANSWERED.fetch(evaluation.pk)
    }
    assignments: dict[int, list[str]] = defaultdict(list)
    agency_ids: dict[str, int] = {}
    for entry_id, agency_id, short in _PROGRESS_ASSIGNMENTS.fetch(evaluation.pk):
        assignments[entry_id].append(short)
        agency_ids[short] = agency_id
    indicators: list[IndicatorProgress] = []
    clusters: dict[int, GroupProgress] = {}
    agencies: dict[str, GroupProgress] = {}
    for entry in entries:
        row: dict[str, Any] = answered.get(entry.pk, {})
        item = IndicatorProgress(
            entry=entry,
            questions=entry.n_questions,  # type: ignore[attr-defined]
            answered=row.get("n", 0),
            points=Decimal(row.get("pts") or 0),
            max_points=entry.indicator.max_points,
            agencies=sorted(assignments.get(entry.pk, [])),
            unresolved_warnings=row.get("warned", 0),
        )
        indicators.append(item)
        cluster = entry.indicator.cluster
        group = clusters.setdefault(cluster.pk, GroupProgress(label=cluster.display_name))
        for g in [
            group,
            *(agencies.setdefault(a, GroupProgress(label=a, key=agency_ids.get(a))) for a in item.agencies),
        ]:
            g.questions += item.questions
            g.answered += item.answered
            g.points += item.points
            g.max_points += item.max_points
            g.indicators += 1
            g.complete_indicators += int(item.complete)
    total = sum((i.points for i in indicators), Decimal(0)).quantize(Decimal("0.01"))
    return EvaluationProgress(
        evaluation=evaluation,
        indicators=indicators,
        clusters=list(clusters.values()),
        agencies=sorted(agencies.values(), key=lambda g: (g.percent, g.label)),
        gate=evaluation.cycle.framework.gate_min_exclusive,
        total_points=total,
        max_points=sum((i.max_points for i in indicators), Decimal(0)),
    )


def evaluations_for_user(user: User) -> QuerySet[Evaluation]:
    """Evaluations the user may see, newest cycle first."""
    scope = access.region_scope_q(user, Action.EVALUATION_VIEW)
    qs = Evaluation.objects.select_related("cycle", "region")
    if scope is not None:
        qs = qs.filter(scope)
    return qs.order_by("-cycle__year", "region_id")


def count_subquery(rows: QuerySet[Any], by: str) -> Subquery:
    """How many of `rows` (filtered on an OuterRef) there are, as a correlated subquery grouped by `by`; NULL when
    there are none, so callers wrap it in Coalesce where 0 is meant."""
    return Subquery(rows.order_by().values(by).annotate(n=Count("pk")).values("n"))


def my_work(user: User) -> list[Entry]:
    """Entries assigned to the user's agencies in open cycles (operators); with progress counts and the deadlines
    (`deadline_in_force`: the fix deadline of a returned entry, else the self-assessment deadline of its kab/kota).

    The counts are correlated subqueries on indexed foreign keys, so each costs the entry's own few rows; counting
    over a join of entries × assignments × questions × answers (and DISTINCT over it) cost ~5 ms of PostgreSQL per
    page at national scale. The query is compiled once per process for each number of agencies (an operator has
    one or two): building and compiling it cost more CPU than running it.
    """
    agency_ids = sorted(access.agency_ids(user))
    if not agency_ids:
        return []
    compiled = _MY_WORK.get(len(agency_ids))
    if compiled is None:
        compiled = _MY_WORK[len(agency_ids)] = CompiledQuery(_my_work_query, *([int] * len(agency_ids)))
    return compiled.fetch(*agency_ids)


_MY_WORK: dict[int, CompiledQuery[Entry]] = {}


def _my_work_query(*agency_ids: int) -> QuerySet[Entry]:
    questions = count_subquery(Question.objects.filter(indicator_id=OuterRef("indicator_id")), "indicator_id")
    done = Answer.objects.filter(entry_id=OuterRef("pk"), answered=True, needs_justification=False)  # as progress
    answered = count_subquery(done, "entry_id")
    deadline = StageDeadline.objects.filter(
        cycle_id=OuterRef("evaluation__cycle_id"), stage=Stage.SELF_ASSESSMENT
    ).values("ends_at")[:1]
    extension = StageExtension.objects.filter(
        cycle_id=OuterRef("evaluation__cycle_id"),
        stage=Stage.SELF_ASSESSMENT,
        region_id=OuterRef("evaluation__region_id"),
    ).values("ends_at")[:1]
    return (
        Entry.objects.filter(
            pk__in=Assignment.objects.filter(agency_id__in=agency_ids).values("entry_id"),
            evaluation__cycle__status=Cycle.Status.OPEN,
        )
        .select_related("indicator", "evaluation__region", "evaluation__cycle")
        # what the list shows: compiling and loading every column of four joined tables was most of the page's CPU
        .only(
            "status",
            "return_deadline",
            "evaluation__region__name",
            "evaluation__cycle__name",
            "indicator__number",
            "indicator__name",
            "indicator__name_en",
            "indicator__position",
        )
        .annotate(
            n_questions=Coalesce(questions, 0),
            n_answered=Coalesce(answered, 0),
            self_assessment_deadline=Subquery(deadline),
            extended_deadline=Subquery(extension),
        )
        .order_by("evaluation__cycle_id", "indicator__position")
    )


# the live scores, compiled once per process: every entry page and every autosave reads them
_EM_TOTAL = CompiledRows(
    lambda evaluation_id: (
        Answer.objects.filter(entry__evaluation_id=evaluation_id)
        .order_by()
        .values("entry__evaluation_id")
        .annotate(t=Sum("points"))
        .values_list("t")
    ),
    int,
)
_LIVE_TOTALS = CompiledRows(
    lambda evaluation_id, entry_id: (
        Answer.objects.filter(entry__evaluation_id=evaluation_id)
        .order_by()
        .values("entry__evaluation_id")
        .annotate(t=Sum("points"), e=Sum("points", filter=Q(entry_id=entry_id)))
        .values_list("t", "e")
    ),
    int,
    int,
)
CENT = Decimal("0.01")


def em_total(evaluation: Evaluation) -> Decimal:
    """The live self-assessment score: the sum of the points of every saved answer (one query)."""
    rows = _EM_TOTAL.fetch(evaluation.pk)
    return Decimal((rows[0][0] if rows else None) or 0).quantize(CENT)


def live_totals(entry: Entry) -> tuple[Decimal, Decimal]:
    """(the evaluation's live EM score, this entry's points), in one query: what an autosave shows afterwards."""
    rows = _LIVE_TOTALS.fetch(entry.evaluation_id, entry.pk)
    total, own = rows[0] if rows else (None, None)
    return Decimal(total or 0).quantize(CENT), Decimal(own or 0).quantize(CENT)


def current_evaluation_id(region_code: str) -> int | None:
    """The kab/kota's evaluation in the newest cycle that has been opened (an open cycle before a closed one of the
    same year), or None; one query. Where the secretariat lands after signing in."""
    return (
        Evaluation.objects.filter(region_id=region_code)
        .exclude(cycle__status=Cycle.Status.DRAFT)
        .order_by("-cycle__year", "-cycle__status", "-cycle_id")
        .values_list("pk", flat=True)
        .first()
    )


def deadline_in_force(entry: Entry) -> dt.datetime | None:
    """What an operator must meet for an entry of `my_work`: a returned entry's fix deadline; otherwise the
    self-assessment deadline of its kab/kota (the later of the calendar and an extension for the region)."""
    if entry.status == Entry.Status.RETURNED:
        return entry.return_deadline
    found = [d for d in (entry.self_assessment_deadline, entry.extended_deadline) if d is not None]  # type: ignore[attr-defined]
    return max(found, default=None)


def cycle_work(cycles: list[Cycle]) -> list[CycleWork]:
    """The cycles with how many evaluations wait for determination or announcement (one query)."""
    waiting = {State.FINAL_VERIFICATION.value, State.DETERMINED.value}
    counts: dict[tuple[int, str], int] = {
        (row["cycle_id"], row["status"]): row["n"]
        for row in Evaluation.objects.filter(cycle__in=[c.pk for c in cycles], status__in=waiting)
        .values("cycle_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        CycleWork(
            code=c.code,
            status=c.status,
            final_verification=counts.get((c.pk, State.FINAL_VERIFICATION.value), 0),
            determined=counts.get((c.pk, State.DETERMINED.value), 0),
        )
        for c in cycles
    ]
