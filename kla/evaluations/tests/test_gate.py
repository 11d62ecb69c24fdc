"""The EM gate around submission (pure rules): confirmation, withdrawal and closing at the gate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from kla.evaluations.gate import below_gate_label, below_gate_refusal, passes_gate, stop_refusal, withdrawal_refusal
from kla.evaluations.workflow import State

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
ENDS = dt.datetime(2026, 12, 7, 16, 59, tzinfo=dt.UTC)


def test_the_gate_is_exclusive() -> None:
    assert not passes_gate(None, D(500))
    assert not passes_gate(D(500), D(500))
    assert passes_gate(D("500.01"), D(500))


def test_the_label_and_the_refusal_state_the_score_and_the_gate_the_indonesian_way() -> None:
    label = below_gate_label(D("1045.5"), D(500))
    assert "nilai EM 1.045,50 tidak melebihi ambang batas 500" in label
    assert '"Tidak memenuhi ambang batas"' in label and label.endswith(".")
    refusal = below_gate_refusal(D("45"), D("500"))
    assert refusal is not None and "Nilai EM 45,00 tidak melebihi ambang batas 500" in refusal
    assert "centang pernyataan" in refusal and refusal.endswith(".")
    assert below_gate_refusal(D("500"), D("500")) is not None
    assert below_gate_refusal(D("500.01"), D("500")) is None


def test_withdrawal_only_of_a_submission_no_review_started_while_the_stage_is_open() -> None:
    assert withdrawal_refusal(State.SUBMITTED, self_assessment_ends=ENDS, now=NOW) is None
    assert withdrawal_refusal(State.SUBMITTED, self_assessment_ends=None, now=NOW) is None
    assert withdrawal_refusal(State.SUBMITTED, self_assessment_ends=ENDS, now=ENDS) is None  # until the end, inclusive
    late = withdrawal_refusal(State.SUBMITTED, self_assessment_ends=ENDS, now=ENDS + dt.timedelta(seconds=1))
    assert late is not None and "berakhir 7 Desember 2026 pukul 23.59 WIB" in late
    assert "belum dikirim" in (withdrawal_refusal(State.DRAFT, self_assessment_ends=ENDS, now=NOW) or "")


@pytest.mark.parametrize("state", [s for s in State if s not in (State.DRAFT, State.SUBMITTED)])
def test_no_withdrawal_once_a_review_started_or_the_evaluation_is_closed(state: State) -> None:
    problem = withdrawal_refusal(state, self_assessment_ends=ENDS, now=NOW)
    assert problem is not None and "tidak dapat ditarik lagi" in problem


def test_closing_at_the_gate_waits_for_the_end_of_the_self_assessment() -> None:
    early = stop_refusal(self_assessment_ends=ENDS, now=NOW)
    assert early is not None and "masih dapat menarik kiriman ini" in early
    assert stop_refusal(self_assessment_ends=ENDS, now=ENDS) is not None
    assert stop_refusal(self_assessment_ends=ENDS, now=ENDS + dt.timedelta(seconds=1)) is None
    assert stop_refusal(self_assessment_ends=None, now=NOW) is None
