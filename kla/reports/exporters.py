"""The exports users can ask for, in one registry. Each one is one query of plain values (`kla.reports.export_sql`):
the requester's region scope (the access layer) and the seal (`kla.evaluations.seal`) applied by the database, the
rows streamed through a server-side cursor, so memory stays bounded whatever the number of rows and no model instance
is built per row.

A score the requester may not see yet is written as ``disegel`` (sealed), the same for every region and whether or
not a score exists, so the file reveals nothing the pages do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from kla.accounts.models import User
from kla.evaluations.models import Cycle, Entry, Evaluation
from kla.evaluations.seal import SCORE_STAGE_SHORT, ScoreStage
from kla.indicators.bands import predicate_for
from kla.indicators.models import Question
from kla.indicators.selectors import band_rules
from kla.reports import export_sql
from kla.reports.export_sql import Seal, scoped_evaluations
from kla.reports.writers import Cell

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


SEALED = "disegel"
STAGES = list(ScoreStage)
CENT = Decimal("0.01")
_FLOATS = Context(prec=15)  # as Django reads a decimal column on SQLite


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


def money(value: Any) -> Decimal | None:
    """A decimal column (two places) as Django reads it: PostgreSQL gives a Decimal, SQLite a float or an int."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return _FLOATS.create_decimal_from_float(value).quantize(CENT)
    return Decimal(value).quantize(CENT)


def points(value: Any) -> Decimal | None:
    """Points read out of a stored breakdown (text on PostgreSQL, the JSON value on SQLite), as the pages read them."""
    return None if value is None else Decimal(str(value))


def _sealing(seal: Seal) -> dict[str, tuple[bool, ...]]:
    """Per standing, whether each stage is sealed for it (a sealed cell reads ``disegel``, an absent one is empty)."""
    return {viewer: tuple(stage not in allowed for stage in STAGES) for viewer, allowed in seal.allowed.items()}


def _stage_cells(sealed: tuple[bool, ...], values: tuple[Any, ...], read: Callable[[Any], Any]) -> list[Cell]:
    return [SEALED if hidden else read(value) for hidden, value in zip(sealed, values, strict=True)]


# --- one row per kab/kota ------------------------------------------------------------------------------------------


SUMMARY_COLUMNS = [
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
SUMMARY_WIDTHS = [12, 24, 28, 30, 10, 10, 10, *([10] * len(STAGES)), 12]


def evaluation_summary(user: User, cycle: Cycle) -> Table:
    seal = Seal(cycle)
    sql, params = export_sql.summary_sql(user, cycle, seal)
    questions = Question.objects.filter(indicator__framework_id=cycle.framework_id).count()
    total = scoped_evaluations(user, cycle).count()
    bands = band_rules(cycle.framework_id)
    statuses = {value: str(label) for value, label in Evaluation.Status.choices}
    sealing = _sealing(seal)

    def rows() -> Iterator[list[Cell]]:
        for code, province, name, status, answered, evidence, *stages, final, viewer in export_sql.stream(sql, params):
            if final is not None:
                band = predicate_for(money(final), bands)  # type: ignore[arg-type]
                predicate: Cell = band.name if band is not None else ""
            else:
                predicate = "" if seal.predicate[viewer] else SEALED
            yield [
                code,
                province,
                name,
                statuses.get(status, status),
                answered,
                questions,
                evidence,
                *_stage_cells(sealing[viewer], tuple(stages), money),
                predicate,
            ]

    return Table(SUMMARY_COLUMNS, SUMMARY_WIDTHS, total, rows())


# --- one row per kab/kota and indicator ----------------------------------------------------------------------------


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


def indicator_detail(user: User, cycle: Cycle) -> Table:
    seal = Seal(cycle)
    sql, params = export_sql.detail_sql(user, cycle, seal)
    total = Entry.objects.filter(evaluation__in=scoped_evaluations(user, cycle)).count()
    sealing = _sealing(seal)

    def rows() -> Iterator[list[Cell]]:
        for (
            *head,
            status,
            agencies,
            answered,
            questions,
            evidence,
            most,
            em,
            pva,
            mva,
            vl,
            final,
            viewer,
        ) in export_sql.stream(sql, params):
            yield [
                *head,
                ENTRY_STATUSES.get(status, status),
                agencies,
                answered,
                questions,
                evidence,
                money(most),
                *_stage_cells(sealing[viewer], (em, pva, mva, vl, final), points),
            ]

    return Table(INDICATOR_COLUMNS, INDICATOR_WIDTHS, total, rows())


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
