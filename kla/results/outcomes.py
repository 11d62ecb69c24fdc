"""Where each evaluation of a cycle ends for the record: determined, stopped at the EM gate, or not finished yet.

Publication counts them before the second administrator confirms (`PublicationCount`), publishes the determined
ones, closes those stopped at the gate, and the public pages and API say of every kab/kota which of the three it is
(`result_label`): never "tanpa predikat" for one still being evaluated. Pure module: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kla.core.formatting import format_count
from kla.core.marking import gettext_noop
from kla.evaluations.gate import passes_gate
from kla.evaluations.workflow import State


class Outcome(StrEnum):
    DETERMINED = "determined"  # a final score and the predicate it reaches (possibly none)
    BELOW_GATE = "below_gate"  # stopped at the EM gate: closed without verification and without a predicate
    IN_PROGRESS = "in_progress"  # still filling in or being verified: not part of this publication


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.DETERMINED: gettext_noop("Ditetapkan"),
    Outcome.BELOW_GATE: gettext_noop("Tidak memenuhi ambang batas"),
    Outcome.IN_PROGRESS: gettext_noop("Belum selesai dievaluasi"),
}
NO_PREDICATE_LABEL = gettext_noop("Belum berpredikat")  # determined, with a final score below the lowest band


def outcome(state: State, em_score: Decimal | None, gate: Decimal, *, self_assessment_over: bool) -> Outcome:
    """The outcome of one evaluation. A submission below the gate counts as stopped there once its secretariat can no
    longer withdraw it (the self-assessment stage is over), even before anybody closed it."""
    if state in (State.DETERMINED, State.PUBLISHED):
        return Outcome.DETERMINED
    if state == State.BELOW_GATE:
        return Outcome.BELOW_GATE
    if state == State.SUBMITTED and self_assessment_over and not passes_gate(em_score, gate):
        return Outcome.BELOW_GATE
    return Outcome.IN_PROGRESS


def public_outcome(state: State) -> Outcome:
    """What the public may know of an evaluation's outcome: determined only once announced (a predicate determined
    after the announcement stays unseen until the next one)."""
    if state == State.PUBLISHED:
        return Outcome.DETERMINED
    if state == State.BELOW_GATE:
        return Outcome.BELOW_GATE
    return Outcome.IN_PROGRESS


def result_label(state: State, predicate: str | None) -> str:
    """What a results page says of a kab/kota: its predicate, or why it has none."""
    if predicate:
        return predicate
    if state == State.BELOW_GATE:
        return OUTCOME_LABELS[Outcome.BELOW_GATE]
    if state == State.PUBLISHED:
        return NO_PREDICATE_LABEL
    return OUTCOME_LABELS[Outcome.IN_PROGRESS]


@dataclass(frozen=True)
class PublicationCount:
    determined: int
    below_gate: int
    in_progress: int

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> PublicationCount:
        found = list(outcomes)
        return cls(*(sum(1 for o in found if o == kind) for kind in Outcome))

    @property
    def settled(self) -> int:
        """Evaluations this publication decides: determined, or stopped at the gate."""
        return self.determined + self.below_gate

    @property
    def total(self) -> int:
        return self.settled + self.in_progress

    def sentences(self) -> list[str]:
        """What the administrators read before confirming, one sentence per part."""
        out = [
            f"{format_count(self.settled)} dari {format_count(self.total)} kabupaten/kota sudah selesai dievaluasi: "
            f"{format_count(self.determined)} ditetapkan dan diumumkan dengan predikatnya, "
            f"{format_count(self.below_gate)} tidak memenuhi ambang batas evaluasi mandiri."
        ]
        if self.in_progress:
            out.append(
                f"{format_count(self.in_progress)} kabupaten/kota belum selesai dievaluasi: tidak diumumkan, dan "
                'portal publik menampilkannya sebagai "belum selesai dievaluasi".'
            )
        return out
