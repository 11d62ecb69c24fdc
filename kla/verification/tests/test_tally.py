"""From reviewers' decisions to a stage's points: decision checks, tallies per question and indicator, field points."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.verification.tally import (
    ZERO,
    Decision,
    Kind,
    Line,
    StageTally,
    check_decision,
    check_points,
    field_points,
    tally,
)

FAST = settings(max_examples=300, deadline=None)
REASON_REQUIRED = "Alasan wajib diisi untuk koreksi poin atau pengembalian."

LINES = [
    Line("1", "1.1", D(25), D(25)),
    Line("1", "1.2", D(20), D(18)),
    Line("1", "1.3", D(15), D(10)),
    Line("2", "2.1", D(30), D(20)),
    Line("2", "2.2", D(10), D(0)),
    Line("3", "3.1", D(40), D("12.5")),
]


# --- check_decision ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["", "accept", "ACCEPTED", "rejected", "diterima"])
def test_unknown_kind(kind: str) -> None:
    assert (
        check_decision(kind, D(5), D(10), "alasan")
        == "Pilih keputusan: diterima, diterima dengan koreksi poin, atau dikembalikan."
    )


def test_accepted_without_reason_is_fine() -> None:
    assert check_decision("accepted", None, D(10), "") is None
    assert check_decision(Kind.ACCEPTED, None, D(10), "   ") is None
    assert check_decision("accepted", D(99), D(10), "") is None  # points are ignored for an accepted question


@pytest.mark.parametrize("kind", [Kind.CORRECTED, Kind.RETURNED])
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reason_required_for_corrected_and_returned(kind: Kind, reason: str) -> None:
    assert check_decision(kind, D(5), D(10), reason) == REASON_REQUIRED


def test_returned_with_reason_is_fine() -> None:
    assert check_decision("returned", None, D(10), "Bukti dukung tidak terbaca") is None


def test_corrected_without_points() -> None:
    assert check_decision("corrected", None, D(10), "SK kedaluwarsa") == "Isi poin hasil koreksi."


def test_corrected_without_points_and_reason_asks_for_the_reason_first() -> None:
    assert check_decision("corrected", None, D(10), "") == REASON_REQUIRED


@pytest.mark.parametrize("points", [D("-0.01"), D(-1), D(-100)])
def test_corrected_negative(points: D) -> None:
    assert check_decision("corrected", points, D(10), "alasan") == "Poin koreksi tidak boleh negatif."


def test_corrected_above_max_names_both_numbers() -> None:
    problem = check_decision("corrected", D("12.5"), D(10), "alasan")
    assert problem is not None
    assert "12,5" in problem and "10" in problem
    assert problem == "Poin koreksi 12,5 melebihi nilai maksimum 10."


@pytest.mark.parametrize("points", [D(0), D("0.00"), D(5), D("9.99"), D(10)])
def test_corrected_within_bounds(points: D) -> None:
    assert check_decision("corrected", points, D(10), "alasan") is None


def test_check_points() -> None:
    assert check_points(D(0), D(10)) is None
    assert check_points(D(10), D(10)) is None
    assert check_points(D(-1), D(10)) == "Poin tidak boleh negatif."
    problem = check_points(D(11), D(10))
    assert problem is not None and "11" in problem and "10" in problem


# --- tally -------------------------------------------------------------------------------------------------------


def test_tally_without_decisions_is_all_pending_at_base() -> None:
    result = tally(LINES, {})
    assert result.questions == {}
    assert result.pending == [line.question for line in LINES]
    assert result.returned == []
    assert result.indicators == {"1": D(53), "2": D(20), "3": D("12.5")}
    assert result.total == D("85.5")
    assert not result.complete


def test_tally_mixed_decisions() -> None:
    decisions = {
        "1.1": Decision(Kind.ACCEPTED),
        "1.2": Decision(Kind.CORRECTED, D(10), "Perda belum diundangkan"),
        "1.3": Decision(Kind.RETURNED, reason="Bukti dukung kosong"),
        "2.1": Decision(Kind.CORRECTED, D(30), "Data terbaru"),
        "2.2": Decision(Kind.ACCEPTED, D(10)),  # points on an accepted question are ignored
        # 3.1 pending
    }
    result = tally(LINES, decisions)
    assert result.questions == {"1.1": D(25), "1.2": D(10), "2.1": D(30), "2.2": D(0)}
    assert result.returned == ["1.3"]
    assert result.pending == ["3.1"]
    # returned and pending questions keep their base in the indicator sum
    assert result.indicators == {"1": D(45), "2": D(30), "3": D("12.5")}
    assert result.total == D("87.5")
    assert not result.complete


def test_tally_corrected_points_are_clamped() -> None:
    decisions = {
        "1.1": Decision(Kind.CORRECTED, D(40), "x"),  # above max 25
        "1.2": Decision(Kind.CORRECTED, D(-5), "x"),  # negative
    }
    result = tally(LINES[:2], decisions)
    assert result.questions == {"1.1": D(25), "1.2": D(0)}
    assert result.indicators == {"1": D(25)}


def test_tally_corrected_without_points_keeps_the_base() -> None:
    result = tally(LINES[:1], {"1.1": Decision(Kind.CORRECTED, None, "x")})
    assert result.questions == {"1.1": D(25)}


def test_tally_ignores_decisions_for_unknown_questions() -> None:
    result = tally(LINES[:1], {"1.1": Decision(Kind.ACCEPTED), "9.9": Decision(Kind.CORRECTED, D(1), "x")})
    assert result.questions == {"1.1": D(25)}
    assert result.indicators == {"1": D(25)}
    assert result.complete


def test_tally_of_nothing() -> None:
    result = tally([], {})
    assert result == StageTally()
    assert result.total == ZERO
    assert result.complete


def test_complete_only_when_nothing_pending_or_returned() -> None:
    accepted = {line.question: Decision(Kind.ACCEPTED) for line in LINES}
    assert tally(LINES, accepted).complete
    corrected = {line.question: Decision(Kind.CORRECTED, ZERO, "x") for line in LINES}
    assert tally(LINES, corrected).complete
    returned = dict(accepted, **{"2.1": Decision(Kind.RETURNED, reason="x")})
    result = tally(LINES, returned)
    assert not result.complete and result.returned == ["2.1"] and result.pending == []
    pending = {k: v for k, v in accepted.items() if k != "3.1"}
    result = tally(LINES, pending)
    assert not result.complete and result.pending == ["3.1"] and result.returned == []


def test_stage_tally_complete_property() -> None:
    assert StageTally().complete
    assert not StageTally(pending=["1.1"]).complete
    assert not StageTally(returned=["1.1"]).complete


# --- field_points ------------------------------------------------------------------------------------------------


def test_field_points_fallback_to_base() -> None:
    base = {"1": D(50), "2": D(80)}
    maxima = {"1": D(60), "2": D(110)}
    assert field_points(base, maxima, {}) == base
    assert field_points(base, maxima, {"1": D(55)}) == {"1": D(55), "2": D(80)}


def test_field_points_clamped() -> None:
    base = {"1": D(50), "2": D(80), "3": D(10)}
    maxima = {"1": D(60), "2": D(110), "3": D(50)}
    assert field_points(base, maxima, {"1": D(75), "2": D(-3), "3": D(50)}) == {"1": D(60), "2": D(0), "3": D(50)}


def test_field_points_ignores_indicators_outside_the_base() -> None:
    assert field_points({"1": D(5)}, {"1": D(10)}, {"1": D(7), "9": D(3)}) == {"1": D(7)}


def test_field_points_for_an_indicator_missing_from_the_maxima_caps_at_its_base() -> None:
    # no maximum known: undecided keeps its base, a decision may lower the points but never raise them
    base = {"1": D(40), "2": D(30), "3": D(20)}
    decided = {"2": D(35), "3": D("12.5")}
    assert field_points(base, {}, decided) == {"1": D(40), "2": D(30), "3": D("12.5")}
    assert field_points(base, {"1": D(50)}, {"1": D(45), "2": D(-1)}) == {"1": D(45), "2": D(0), "3": D(20)}


# --- properties --------------------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)
any_points = st.decimals(min_value=-100, max_value=400, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def lines_strategy(draw: st.DrawFn) -> list[Line]:
    count = draw(st.integers(min_value=0, max_value=15))
    result = []
    for n in range(count):
        indicator = draw(st.sampled_from(["1", "2", "3", "4"]))
        max_points = draw(money)
        base = draw(st.decimals(min_value=0, max_value=max_points, places=2, allow_nan=False, allow_infinity=False))
        result.append(Line(indicator, f"{indicator}.{n}", max_points, base))
    return result


decision_strategy = st.one_of(
    st.builds(Decision, st.just(Kind.ACCEPTED), st.none() | any_points, st.text(max_size=3)),
    st.builds(Decision, st.just(Kind.CORRECTED), any_points, st.just("koreksi")),
    st.builds(Decision, st.just(Kind.RETURNED), st.none(), st.just("kembali")),
)


@st.composite
def lines_and_decisions(draw: st.DrawFn) -> tuple[list[Line], dict[str, Decision]]:
    lines = draw(lines_strategy())
    decisions = {}
    for line in lines:
        decision = draw(st.none() | decision_strategy)
        if decision is not None:
            decisions[line.question] = decision
    return lines, decisions


def line_points(line: Line, result: StageTally) -> D:
    return result.questions.get(line.question, line.base)


@FAST
@given(lines_and_decisions())
def test_tally_sums(case: tuple[list[Line], dict[str, Decision]]) -> None:
    lines, decisions = case
    result = tally(lines, decisions)
    for indicator in {line.indicator for line in lines}:
        assert result.indicators[indicator] == sum(
            (line_points(line, result) for line in lines if line.indicator == indicator), ZERO
        )
    assert set(result.indicators) == {line.indicator for line in lines}
    assert result.total == sum(result.indicators.values(), ZERO)
    assert result.total == sum((line_points(line, result) for line in lines), ZERO)
    by_question = {line.question: line for line in lines}
    assert set(result.questions) | set(result.pending) | set(result.returned) == set(by_question)
    assert not set(result.questions) & set(result.pending)
    assert not set(result.questions) & set(result.returned)
    assert result.pending == [line.question for line in lines if line.question not in decisions]
    assert result.returned == [q for q in by_question if q in decisions and decisions[q].kind == Kind.RETURNED]
    assert result.complete == (not result.pending and not result.returned)


@FAST
@given(lines_and_decisions())
def test_tally_points_within_bounds(case: tuple[list[Line], dict[str, Decision]]) -> None:
    lines, decisions = case
    result = tally(lines, decisions)
    for line in lines:
        decision = decisions.get(line.question)
        if decision is None or decision.kind == Kind.RETURNED:
            assert line.question not in result.questions
        elif decision.kind == Kind.ACCEPTED:
            assert result.questions[line.question] == line.base
        else:
            points = result.questions[line.question]
            assert ZERO <= points <= line.max_points
            assert decision.points is not None
            if ZERO <= decision.points <= line.max_points:
                assert points == decision.points
            else:
                assert points == (ZERO if decision.points < 0 else line.max_points)


@FAST
@given(lines_strategy())
def test_all_accepted_totals_the_bases(lines: list[Line]) -> None:
    result = tally(lines, {line.question: Decision(Kind.ACCEPTED) for line in lines})
    assert result.complete
    assert result.total == sum((line.base for line in lines), ZERO)
    assert result.questions == {line.question: line.base for line in lines}


@FAST
@given(
    st.dictionaries(st.sampled_from("ABCDEFGH"), st.tuples(money, money), max_size=8),
    st.dictionaries(st.sampled_from("ABCDEFGHXY"), any_points, max_size=10),
)
def test_field_points_properties(indicators: dict[str, tuple[D, D]], decided: dict[str, D]) -> None:
    maxima = {code: max(a, b) for code, (a, b) in indicators.items()}
    base = {code: min(a, b) for code, (a, b) in indicators.items()}
    result = field_points(base, maxima, decided)
    assert set(result) == set(base)
    for code, value in result.items():
        assert ZERO <= value <= maxima[code]
        if code not in decided:
            assert value == base[code]
        elif ZERO <= decided[code] <= maxima[code]:
            assert value == decided[code]
