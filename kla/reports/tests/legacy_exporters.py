"""The exports as they were built before one SQL query read them (kept for the round-trip tests of
`kla.reports.exporters`: the same users and data must give the same rows). Original docstring: the exports users can
ask for, in one registry. Each one reads its rows through the access layer (the
requester's region scope) and the seal (`kla.results.selectors.scores.visible_scores`), a batch of evaluations at a
time: a fixed number of queries per batch, whatever the size of a batch, and memory bounded by the batch.

A score the requester may not see yet is written as ``disegel`` (sealed), the same for every region and whether or
not a score exists, so the file reveals nothing the pages do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Func, QuerySet, TextField
from django.utils.translation import gettext_lazy

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import Action
from kla.evaluations.models import Answer, Assignment, Cycle, Entry, Evaluation
from kla.evaluations.seal import SCORE_STAGE_SHORT, ScoreStage, predicate_visible, visible_stages
from kla.evidence.models import Evidence
from kla.indicators.models import Indicator, Question
from kla.indicators.scoring import BandRule
from kla.indicators.selectors import band_rules
from kla.reports.writers import Cell
from kla.results.models import StageScore
from kla.results.selectors.scores import VisibleScores, visible_scores

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


SEALED = "disegel"
BATCH = 100  # evaluations per batch: 2,400 indicator rows
STAGES = list(ScoreStage)


@dataclass(frozen=True)
class Table:
    columns: list[str]
    widths: list[int]
    total: int  # rows, for the progress bar
    rows: Iterator[list[Cell]]


@dataclass(frozen=True)
class Exporter:
    code: str
    label: StrOrPromise
    help: StrOrPromise
    build: Callable[[User, Cycle], Table]


def scoped_evaluation_ids(user: User, cycle: Cycle) -> list[int]:
    """The requester's evaluations of the cycle (their region subtree), in region-code order."""
    qs = Evaluation.objects.filter(cycle=cycle)
    scope = access.region_scope_q(user, Action.EVALUATION_VIEW)
    if scope is not None:
        qs = qs.filter(scope)
    return list(qs.order_by("region_id").values_list("pk", flat=True))


def _batches(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _evaluations(ids: Sequence[int], cycle: Cycle, *, em_snapshot: bool) -> list[Evaluation]:
    qs = Evaluation.objects.filter(pk__in=ids).select_related("region__parent").order_by("region_id")
    if not em_snapshot:
        qs = qs.defer("em_snapshot", "missing_at_submission")
    evaluations = list(qs)
    for evaluation in evaluations:  # one cycle for all: not joined again per row
        evaluation.cycle = cycle
    return evaluations


def _counts(rows: QuerySet[Any], by: str) -> dict[int, int]:
    return dict(rows.order_by().values_list(by).annotate(n=Count("pk")).values_list(by, "n"))


def allowed_stages(visible: VisibleScores) -> frozenset[ScoreStage]:
    cycle = visible.evaluation.cycle
    return visible_stages(visible.viewer, published=visible.published, public_details=cycle.public_details)


def _completeness(batch: Sequence[int], by: str) -> tuple[dict[int, int], dict[int, int]]:
    """Answered questions and active evidence of the batch's evaluations, counted per `by` (evaluation or entry)."""
    answered = _counts(Answer.objects.filter(entry__evaluation_id__in=batch, answered=True), by)
    evidence = Evidence.objects.filter(entry__evaluation_id__in=batch, status=Evidence.Status.ACTIVE)
    return answered, _counts(evidence, by)


def _province(evaluation: Evaluation) -> str:
    parent = evaluation.region.parent
    return parent.name if parent is not None else ""


def stage_cells(allowed: frozenset[ScoreStage], points: dict[ScoreStage, Decimal]) -> list[Cell]:
    """One cell per score stage: the value, empty when there is none yet, ``disegel`` when the seal hides it."""
    return [points.get(stage) if stage in allowed else SEALED for stage in STAGES]


def _predicate_cell(visible: VisibleScores) -> Cell:
    if visible.predicate is not None:
        return visible.predicate.name
    return "" if predicate_visible(visible.viewer, published=visible.published) else SEALED


# --- one row per kab/kota ------------------------------------------------------------------------------------------


def evaluation_summary(user: User, cycle: Cycle) -> Table:
    ids = scoped_evaluation_ids(user, cycle)
    bands = {cycle.framework_id: band_rules(cycle.framework_id)}
    questions = Question.objects.filter(indicator__framework_id=cycle.framework_id).count()
    columns = [
        "Kode wilayah",
        "Provinsi",
        "Kabupaten/Kota",
        "Tahap evaluasi",
        "Pertanyaan terjawab",
        "Jumlah pertanyaan",
        "Bukti dukung aktif",
        *(f"Nilai {SCORE_STAGE_SHORT[s]}" for s in STAGES),
        "Predikat",
    ]

    def rows() -> Iterator[list[Cell]]:
        for batch in _batches(ids):
            evaluations = _evaluations(batch, cycle, em_snapshot=False)
            answered, evidence = _completeness(batch, "entry__evaluation")
            for visible in visible_scores(user, evaluations, breakdowns=False, bands=bands):
                ev = visible.evaluation
                yield [
                    ev.region_id,
                    _province(ev),
                    ev.region.name,
                    ev.get_status_display(),
                    answered.get(ev.pk, 0),
                    questions,
                    evidence.get(ev.pk, 0),
                    *stage_cells(allowed_stages(visible), visible.scores),
                    _predicate_cell(visible),
                ]

    widths = [12, 24, 28, 30, 10, 10, 10, *([10] * len(STAGES)), 12]
    return Table(columns, widths, len(ids), rows())


# --- one row per kab/kota and indicator ----------------------------------------------------------------------------


class JsonText(Func):
    """The text at a path of object keys in a JSON column. Django's key transforms read a key that looks like a
    number ("1", an indicator code) as an array index on SQLite, and so find nothing."""

    output_field = TextField()

    def __init__(self, field: str, *keys: str) -> None:
        super().__init__(F(field))
        self.keys = keys

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        path = "$" + "".join(f'."{key}"' for key in self.keys)
        return f"JSON_EXTRACT({sql}, %s)", (*params, path)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        path = "{" + ",".join('"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"' for key in self.keys) + "}"
        return f"({sql} #>> %s::text[])", (*params, path)


def _stage_points(visible: Iterable[VisibleScores], codes: list[str]) -> dict[tuple[int, str], dict[str, Decimal]]:
    """Per (evaluation, stage) the viewer may see, the points of each indicator, taken out of the stored breakdown by
    the database: a breakdown with its explanations is ~20 KB of JSON, and decoding 2,500 of them in Python was
    most of the time of a national export."""
    wanted = {(v.evaluation.pk, str(stage)) for v in visible for stage in v.rows}
    if not wanted:
        return {}
    fields = {f"p{i}": JsonText("breakdown", "indicators", code, "points") for i, code in enumerate(codes)}
    rows = (
        StageScore.objects.filter(
            evaluation_id__in={e for e, _ in wanted}, stage__in=sorted({stage for _, stage in wanted})
        )
        .annotate(**fields)
        .values_list("evaluation_id", "stage", *fields)
    )
    return {
        (evaluation_id, stage): {code: Decimal(str(p)) for code, p in zip(codes, points, strict=True) if p is not None}
        for evaluation_id, stage, *points in rows
        if (evaluation_id, stage) in wanted
    }


def _indicator_points(
    visible: VisibleScores, stage_points: dict[tuple[int, str], dict[str, Decimal]]
) -> dict[str, dict[ScoreStage, Decimal]]:
    """Per indicator code, the points of each stage this viewer may see (EM from the submission's snapshot)."""
    out: dict[str, dict[ScoreStage, Decimal]] = {}
    if ScoreStage.EM in visible.scores:
        for code, part in (visible.evaluation.em_snapshot or {}).get("indicators", {}).items():
            out.setdefault(code, {})[ScoreStage.EM] = Decimal(str(part["points"]))
    for stage in visible.rows:
        for code, points in stage_points.get((visible.evaluation.pk, str(stage)), {}).items():
            out.setdefault(code, {})[stage] = points
    return out


INDICATOR_COLUMNS = [
    "Kode wilayah",
    "Provinsi",
    "Kabupaten/Kota",
    "Klaster",
    "No.",
    "Indikator",
    "Status indikator",
    "OPD ditugaskan",
    "Pertanyaan terjawab",
    "Jumlah pertanyaan",
    "Bukti dukung aktif",
    "Poin maksimum",
    *(f"Poin {SCORE_STAGE_SHORT[s]}" for s in STAGES),
]
INDICATOR_WIDTHS = [12, 24, 28, 30, 5, 50, 16, 40, 10, 10, 10, 10, *([10] * len(STAGES))]
ENTRY_STATUSES = {value: str(label) for value, label in Entry.Status.choices}


@dataclass(frozen=True)
class _Framework:
    """What every row of an indicator export repeats about the cycle's instrument (read once)."""

    indicators: dict[int, Indicator]
    codes: list[str]  # indicator codes in the instrument's order
    questions: dict[int, int]  # questions per indicator id


def _framework(cycle: Cycle) -> _Framework:
    indicators = {i.pk: i for i in Indicator.objects.filter(framework_id=cycle.framework_id).select_related("cluster")}
    codes = [i.code for i in sorted(indicators.values(), key=lambda i: i.position)]
    questions = _counts(Question.objects.filter(indicator__framework_id=cycle.framework_id), "indicator")
    return _Framework(indicators, codes, questions)


def _batch_entries(batch: Sequence[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Per evaluation of the batch, its entries as (entry id, indicator id, status) in the instrument's order."""
    entries: dict[int, list[tuple[int, int, str]]] = {}
    for pk, evaluation_id, indicator_id, status in (
        Entry.objects.filter(evaluation_id__in=batch)
        .order_by("indicator__position")
        .values_list("pk", "evaluation_id", "indicator_id", "status")
    ):
        entries.setdefault(evaluation_id, []).append((pk, indicator_id, status))
    return entries


def _batch_agencies(batch: Sequence[int]) -> dict[int, list[str]]:
    """Per entry of the batch, the names of the agencies assigned to it, alphabetically."""
    agencies: dict[int, list[str]] = {}
    for entry_id, name in (
        Assignment.objects.filter(entry__evaluation_id__in=batch)
        .order_by("agency__name")
        .values_list("entry_id", "agency__name")
    ):
        agencies.setdefault(entry_id, []).append(name)
    return agencies


def _indicator_rows(
    user: User, cycle: Cycle, ids: list[int], framework: _Framework, bands: dict[int, list[BandRule]]
) -> Iterator[list[Cell]]:
    for batch in _batches(ids):
        evaluations = _evaluations(batch, cycle, em_snapshot=True)
        visible = {v.evaluation.pk: v for v in visible_scores(user, evaluations, breakdowns=False, bands=bands)}
        stage_points = _stage_points(visible.values(), framework.codes)
        entries, agencies = _batch_entries(batch), _batch_agencies(batch)
        answered, evidence = _completeness(batch, "entry")
        for ev in evaluations:
            seen = visible[ev.pk]
            points = _indicator_points(seen, stage_points)
            allowed = allowed_stages(seen)
            province = _province(ev)
            for pk, indicator_id, status in entries.get(ev.pk, []):
                indicator = framework.indicators[indicator_id]
                yield [
                    ev.region_id,
                    province,
                    ev.region.name,
                    indicator.cluster.name,
                    indicator.number,
                    indicator.name,
                    ENTRY_STATUSES.get(status, status),
                    "; ".join(agencies.get(pk, [])),
                    answered.get(pk, 0),
                    framework.questions.get(indicator_id, 0),
                    evidence.get(pk, 0),
                    indicator.max_points,
                    *stage_cells(allowed, points.get(indicator.code, {})),
                ]


def indicator_detail(user: User, cycle: Cycle) -> Table:
    ids = scoped_evaluation_ids(user, cycle)
    bands = {cycle.framework_id: band_rules(cycle.framework_id)}
    framework = _framework(cycle)
    total = Entry.objects.filter(evaluation_id__in=ids).count() if ids else 0
    return Table(INDICATOR_COLUMNS, INDICATOR_WIDTHS, total, _indicator_rows(user, cycle, ids, framework, bands))


EXPORTERS: dict[str, Exporter] = {
    e.code: e
    for e in (
        Exporter(
            "rekap-evaluasi",
            gettext_lazy("Rekap evaluasi per kabupaten/kota"),
            gettext_lazy(
                "Satu baris per kabupaten/kota: tahap, kelengkapan jawaban dan bukti dukung, nilai tiap tahap, "
                "predikat."
            ),
            evaluation_summary,
        ),
        Exporter(
            "rincian-indikator",
            gettext_lazy("Rincian per indikator"),
            gettext_lazy(
                "Satu baris per kabupaten/kota dan indikator: status, instansi yang ditugaskan, kelengkapan, "
                "poin tiap tahap."
            ),
            indicator_detail,
        ),
    )
}
