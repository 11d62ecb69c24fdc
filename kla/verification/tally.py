"""From reviewers' decisions to a stage's points. Pure module: no Django import.

Every stage starts from the previous stage's points per question (the self-assessment's for the first review). A
reviewer accepts a question (its points stay), accepts it with corrected points (a reason is mandatory), or returns it
(a reason is mandatory). Field verification sets points per indicator; an indicator without a field decision keeps
its administrative-verification points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kla.core.formatting import format_number

ZERO = Decimal(0)


class Kind(StrEnum):
    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class Line:
    """One question: its indicator, its maximum and its points from the previous stage."""

    indicator: str
    question: str
    max_points: Decimal
    base: Decimal


@dataclass(frozen=True, slots=True)
class Decision:
    kind: Kind
    points: Decimal | None = None
    reason: str = ""


def check_decision(kind: str, points: Decimal | None, max_points: Decimal, reason: str) -> str | None:
    """Why a decision is not acceptable (Indonesian), or None."""
    try:
        parsed = Kind(kind)
    except ValueError:
        return "Pilih keputusan: diterima, diterima dengan koreksi poin, atau dikembalikan."
    if parsed != Kind.ACCEPTED and not reason.strip():
        return "Alasan wajib diisi untuk koreksi poin atau pengembalian."
    if parsed == Kind.CORRECTED:
        if points is None:
            return "Isi poin hasil koreksi."
        if points < 0:
            return "Poin koreksi tidak boleh negatif."
        if points > max_points:
            return f"Poin koreksi {format_number(points)} melebihi nilai maksimum {format_number(max_points)}."
    return None


def check_points(points: Decimal, max_points: Decimal) -> str | None:
    """Why an indicator's points are not acceptable, or None."""
    if points < 0:
        return "Poin tidak boleh negatif."
    if points > max_points:
        return f"Poin {format_number(points)} melebihi nilai maksimum indikator {format_number(max_points)}."
    return None


@dataclass
class StageTally:
    questions: dict[str, Decimal] = field(default_factory=dict)  # decided questions only
    indicators: dict[str, Decimal] = field(default_factory=dict)  # sum over all lines (undecided keep their base)
    pending: list[str] = field(default_factory=list)  # questions without a decision
    returned: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.indicators.values(), ZERO)

    @property
    def complete(self) -> bool:
        return not self.pending and not self.returned


def tally(lines: Iterable[Line], decisions: Mapping[str, Decision]) -> StageTally:
    """Points per question and indicator for one review stage; corrected points are clamped to [0, max]."""
    result = StageTally()
    for line in lines:
        decision = decisions.get(line.question)
        points = line.base
        if decision is None:
            result.pending.append(line.question)
        elif decision.kind == Kind.RETURNED:
            result.returned.append(line.question)
        else:
            if decision.kind == Kind.CORRECTED and decision.points is not None:
                points = min(max(decision.points, ZERO), line.max_points)
            result.questions[line.question] = points
        result.indicators[line.indicator] = result.indicators.get(line.indicator, ZERO) + points
    return result


def field_points(
    base: Mapping[str, Decimal], maxima: Mapping[str, Decimal], decided: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Field-verification points per indicator of `base`: the decided points clamped to [0, maximum], else the base.

    The caller reads base points and maxima from the same administrative-verification breakdown, so every indicator
    has its maximum. Should one be missing, the only maximum known is the base itself: the field visit can confirm
    or lower those points, never raise them (it is never treated as unbounded, nor as worth nothing).
    """
    return {code: _clamp(decided.get(code, value), maxima.get(code, value)) for code, value in base.items()}


def _clamp(points: Decimal, ceiling: Decimal) -> Decimal:
    return min(max(points, ZERO), ceiling)
