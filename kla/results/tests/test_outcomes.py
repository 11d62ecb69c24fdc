"""Where each evaluation ends for the publication and the public pages (pure rules, issue 21 item 3)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kla.evaluations.workflow import State
from kla.results.outcomes import Outcome, PublicationCount, outcome, public_outcome, result_label

GATE = D(500)


@pytest.mark.parametrize(
    ("state", "em", "over", "expected"),
    [
        (State.DETERMINED, D(700), True, Outcome.DETERMINED),
        (State.PUBLISHED, D(700), True, Outcome.DETERMINED),
        (State.BELOW_GATE, D(45), True, Outcome.BELOW_GATE),
        (State.SUBMITTED, D(45), True, Outcome.BELOW_GATE),  # nobody closed it: the stage is over all the same
        (State.SUBMITTED, D(500), True, Outcome.BELOW_GATE),  # the gate is exclusive
        (State.SUBMITTED, None, True, Outcome.BELOW_GATE),
        (State.SUBMITTED, D(45), False, Outcome.IN_PROGRESS),  # its secretariat may still withdraw it
        (State.SUBMITTED, D("500.01"), True, Outcome.IN_PROGRESS),  # waiting for its verification
        (State.DRAFT, None, True, Outcome.IN_PROGRESS),
        (State.PROVINCE_REVIEW, D(700), True, Outcome.IN_PROGRESS),
        (State.FINAL_VERIFICATION, D(700), True, Outcome.IN_PROGRESS),
    ],
)
def test_outcome(state: State, em: D | None, over: bool, expected: Outcome) -> None:
    assert outcome(state, em, GATE, self_assessment_over=over) == expected


def test_the_public_knows_only_what_was_announced() -> None:
    assert public_outcome(State.PUBLISHED) == Outcome.DETERMINED
    assert public_outcome(State.BELOW_GATE) == Outcome.BELOW_GATE
    assert {public_outcome(s) for s in State if s not in (State.PUBLISHED, State.BELOW_GATE)} == {Outcome.IN_PROGRESS}


def test_never_without_a_predicate_for_one_still_being_evaluated() -> None:
    assert result_label(State.PUBLISHED, "Madya") == "Madya"
    assert result_label(State.PUBLISHED, None) == "Belum berpredikat"
    assert result_label(State.BELOW_GATE, None) == "Tidak memenuhi ambang batas"
    for state in (State.DRAFT, State.SUBMITTED, State.MINISTRY_REVIEW, State.DETERMINED):
        assert result_label(state, None) == "Belum selesai dievaluasi"
    assert not any("tanpa predikat" in result_label(s, None).lower() for s in State)


def test_the_count_says_how_many_are_settled_and_how_many_are_not() -> None:
    count = PublicationCount.of([Outcome.DETERMINED] * 1 + [Outcome.BELOW_GATE] + [Outcome.IN_PROGRESS] * 1500)
    assert (count.determined, count.below_gate, count.in_progress, count.settled, count.total) == (1, 1, 1500, 2, 1502)
    first, second = count.sentences()
    assert first == (
        "2 dari 1.502 kabupaten/kota sudah selesai dievaluasi: 1 ditetapkan dan diumumkan dengan predikatnya, "
        "1 tidak memenuhi ambang batas evaluasi mandiri."
    )
    assert second.startswith("1.500 kabupaten/kota belum selesai dievaluasi: tidak diumumkan")
    assert '"belum selesai dievaluasi"' in second
    assert PublicationCount.of([Outcome.DETERMINED]).sentences() == [
        "1 dari 1 kabupaten/kota sudah selesai dievaluasi: 1 ditetapkan dan diumumkan dengan predikatnya, "
        "0 tidak memenuhi ambang batas evaluasi mandiri."
    ]
