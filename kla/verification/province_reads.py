"""What the province's page reads for its gate, its cycle and its kab/kota, compiled once per process
(`kla.core.compiled`): building and compiling these querysets cost more CPU than running them."""

from __future__ import annotations

from django.db.models import QuerySet

from kla.core.compiled import CompiledQuery
from kla.evaluations.access import prefetched
from kla.evaluations.models import Cycle, Evaluation, StageDeadline
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.verification.models import LetterTemplate, ProposalLetter

_PROVINCE: CompiledQuery[Region] = CompiledQuery(
    lambda code: Region.objects.filter(code=code, level=Level.PROVINSI).order_by(), str
)
_CYCLE: CompiledQuery[Cycle] = CompiledQuery(
    lambda code: Cycle.objects.select_related("framework").filter(code=code).order_by(), str
)
_DEADLINES: CompiledQuery[StageDeadline] = CompiledQuery(
    lambda cycle_id: StageDeadline.objects.filter(cycle_id=cycle_id), int
)


def _kabkota(cycle_id: int, province: str) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(cycle_id=cycle_id, region__parent_id=province)
        .select_related("region")
        .only("id", "status", "em_score", "cycle_id", "region__name")
        .order_by("region__name")
    )


_EVALUATIONS: CompiledQuery[Evaluation] = CompiledQuery(_kabkota, int, str)
_LETTERS: CompiledQuery[ProposalLetter] = CompiledQuery(
    lambda cycle_id, province: ProposalLetter.objects.filter(cycle_id=cycle_id, province_id=province).order_by(
        "-created_at"
    ),
    int,
    str,
)
_TEMPLATE: CompiledQuery[LetterTemplate] = CompiledQuery(
    lambda province: LetterTemplate.objects.filter(province_id=province).order_by("pk")[:1], str
)


def province(code: str) -> Region | None:
    """The province `code` (None when there is no such province)."""
    found = _PROVINCE.fetch(code)
    return found[0] if found else None


def cycle(code: str) -> Cycle | None:
    """The cycle `code` with its framework and its deadlines (as `prefetch_related("deadlines")` keeps them)."""
    found = _CYCLE.fetch(code)
    if not found:
        return None
    prefetched(found[0], "deadlines", "cycle", _DEADLINES.fetch(found[0].pk))
    return found[0]


def evaluations(cycle: Cycle, province: str) -> list[Evaluation]:
    """The cycle's evaluations of the province's kab/kota by name, each with `cycle` (and its framework) set."""
    found = _EVALUATIONS.fetch(cycle.pk, province)
    for evaluation in found:
        evaluation.cycle = cycle
    return found


def letters(cycle_id: int, province: str) -> list[ProposalLetter]:
    return _LETTERS.fetch(cycle_id, province)


def letter_template(province: str) -> LetterTemplate | None:
    found = _TEMPLATE.fetch(province)
    return found[0] if found else None
