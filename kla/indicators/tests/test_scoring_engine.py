"""The self-assessment scoring engine: answers → points with explanations, warnings, totals and bands."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kla.indicators.framework_schema import AnswerType, FrameworkSpec, QuestionSpec, parse_framework
from kla.indicators.scoring import (
    SCORERS,
    AnswerError,
    BandRule,
    IndicatorScore,
    PercentageAnswer,
    QuestionRule,
    gap_to_gate,
    parse_answer,
    passes_gate,
    predicate_for,
    score_evaluation,
    score_indicator,
    score_question,
    soft_warnings,
)

FRAMEWORK = Path(__file__).resolve().parents[1] / "frameworks" / "kla-2024.yaml"
FAST = settings(max_examples=200, deadline=None)
TODAY = date(2024, 7, 23)

# Rubrics as the database stores them (services._write_children dumps the spec to JSON: Decimals become strings).
REGULATION = QuestionRule.from_spec(
    "1.1",
    "option",
    "25",
    {
        "options": [
            {"code": "perda", "label": "Perda", "points": "25"},
            {"code": "perkada", "label": "Perbup/Perwal", "points": "18"},
            {"code": "belum", "label": "Belum ada", "points": "0"},
        ]
    },
)
TASKFORCE = QuestionRule.from_spec("3.4", AnswerType.YES_NO, D(10), {})
ACTIVITIES = QuestionRule.from_spec(
    "7.3",
    "number",
    10,
    {
        "unit": "kegiatan",
        "thresholds": [
            {"at_least": "12", "points": "10"},
            {"at_least": "6", "points": "7"},
            {"at_least": "3", "points": "4"},
            {"at_least": "1", "points": "2"},
        ],
    },
)
BIRTH_CERTIFICATES = QuestionRule.from_spec(
    "4.1",
    "percentage",
    "30",
    {"thresholds": [{"at_least": "90", "points": "30"}, {"at_least": "80", "points": "20"}]},
)
STUNTING = QuestionRule.from_spec(  # lower is better
    "13.1",
    "percentage",
    "20",
    {
        "thresholds": [
            {"at_most": "10", "points": "20", "at_least": None},
            {"at_most": "14", "points": "15"},
            {"at_most": "20", "points": "10"},
            {"at_most": "30", "points": "5"},
        ]
    },
)
ROUNDING = QuestionRule.from_spec("x.1", "percentage", "5", {"thresholds": [{"at_least": "3.13", "points": "5"}]})
ENACTED = QuestionRule.from_spec("1.2", "date", "0", {})
INNOVATION = QuestionRule.from_spec("3.5", "text", "0", {})
GENEROUS = QuestionRule.from_spec(  # a rubric that breaks the cap both ways; the engine must clamp and say so
    "x.2",
    "option",
    "25",
    {"options": [{"code": "lebih", "points": "30"}, {"code": "minus", "points": "-5"}]},
)


@pytest.mark.parametrize(
    ("rule", "raw", "points", "answered", "explanation"),
    [
        (REGULATION, {"option": "perkada"}, "18", True, "Pilihan 'Perbup/Perwal' → 18 poin dari 25"),
        (REGULATION, {"option": " perda "}, "25", True, "Pilihan 'Perda' → 25 poin dari 25"),
        (REGULATION, {"option": "belum"}, "0", True, "Pilihan 'Belum ada' → 0 poin dari 25"),
        (TASKFORCE, {"yes": True}, "10", True, "Ya → 10 poin dari 10"),
        (TASKFORCE, {"yes": False}, "0", True, "Tidak → 0 poin dari 10"),
        (ACTIVITIES, {"number": "12"}, "10", True, "Angka 12 kegiatan ≥ 12 → 10 poin dari 10"),
        (ACTIVITIES, {"number": 7.5}, "7", True, "Angka 7,5 kegiatan ≥ 6 → 7 poin dari 10"),
        (ACTIVITIES, {"number": 1}, "2", True, "Angka 1 kegiatan ≥ 1 → 2 poin dari 10"),
        (
            ACTIVITIES,
            {"number": "0"},
            "0",
            True,
            "Angka 0 kegiatan: tidak memenuhi ambang terendah (≥ 1) → 0 poin dari 10",
        ),
        (
            BIRTH_CERTIFICATES,
            {"numerator": "912", "denominator": "1000"},
            "30",
            True,
            "Persentase 912/1.000 = 91,20% ≥ 90 → 30 poin dari 30",
        ),
        (
            BIRTH_CERTIFICATES,
            {"numerator": 17999, "denominator": 20000},  # 89.995% rounds half-up to 90.00% before comparing
            "30",
            True,
            "Persentase 17.999/20.000 = 90,00% ≥ 90 → 30 poin dari 30",
        ),
        (
            BIRTH_CERTIFICATES,
            {"numerator": "1234567", "denominator": "1500000"},
            "20",
            True,
            "Persentase 1.234.567/1.500.000 = 82,30% ≥ 80 → 20 poin dari 30",
        ),
        (
            BIRTH_CERTIFICATES,
            {"numerator": "120", "denominator": "100"},  # impossible: warned about, and worth nothing until corrected
            "0",
            True,
            "Persentase 120/100 = 120,00% melebihi 100% → 0 poin dari 30. "
            "Pembilang lebih besar dari penyebut: periksa kembali datanya.",
        ),
        (
            BIRTH_CERTIFICATES,
            {"numerator": "5", "denominator": "0"},
            "0",
            True,
            "Penyebut 0: persentase tidak dapat dihitung → 0 poin dari 30",
        ),
        (
            ROUNDING,
            {"numerator": "1", "denominator": "32"},  # 3.125 → 3.13 (half-up), not 3.12 (banker's rounding)
            "5",
            True,
            "Persentase 1/32 = 3,13% ≥ 3,13 → 5 poin dari 5",
        ),
        (
            STUNTING,
            {"numerator": "95", "denominator": "1000"},
            "20",
            True,
            "Persentase 95/1.000 = 9,50% ≤ 10 → 20 poin dari 20",
        ),
        (
            STUNTING,
            {"numerator": "14", "denominator": "100"},
            "15",
            True,
            "Persentase 14/100 = 14,00% ≤ 14 → 15 poin dari 20",
        ),
        (
            STUNTING,
            {"numerator": "0", "denominator": "250"},
            "20",
            True,
            "Persentase 0/250 = 0,00% ≤ 10 → 20 poin dari 20",
        ),
        (
            STUNTING,
            {"numerator": "301", "denominator": "1000"},
            "0",
            True,
            "Persentase 301/1.000 = 30,10%: tidak memenuhi ambang terendah (≤ 30) → 0 poin dari 20",
        ),
        (
            ENACTED,
            {"date": "2024-03-12"},
            "0",
            True,
            "Tanggal 12 Maret 2024 (keterangan, tidak dinilai) → 0 poin dari 0",
        ),
        (
            INNOVATION,
            {"text": "  Sekolah ramah anak "},
            "0",
            True,
            "Teks 18 karakter (keterangan, tidak dinilai) → 0 poin dari 0",
        ),
        (REGULATION, None, "0", False, "Tidak dijawab → 0 poin dari 25"),
        (REGULATION, {}, "0", False, "Tidak dijawab → 0 poin dari 25"),
        (TASKFORCE, {"yes": None}, "0", False, "Tidak dijawab → 0 poin dari 10"),
        (ACTIVITIES, {"number": " "}, "0", False, "Tidak dijawab → 0 poin dari 10"),
        (STUNTING, {"numerator": None, "denominator": ""}, "0", False, "Tidak dijawab → 0 poin dari 20"),
        (INNOVATION, {"text": "   "}, "0", False, "Tidak dijawab → 0 poin dari 0"),
        (
            GENEROUS,
            {"option": "lebih"},
            "25",
            True,
            "Pilihan 'lebih' → 25 poin dari 25 (poin rubrik 30 dibatasi ke rentang 0–25)",
        ),
        (
            GENEROUS,
            {"option": "minus"},
            "0",
            True,
            "Pilihan 'minus' → 0 poin dari 25 (poin rubrik -5 dibatasi ke rentang 0–25)",
        ),
    ],
)
def test_each_answer_type_scores_with_an_explanation(
    rule: QuestionRule, raw: dict[str, Any] | None, points: str, answered: bool, explanation: str
) -> None:
    score = score_question(rule, raw)
    assert (score.code, score.points, score.max_points) == (rule.code, D(points), rule.max_points)
    assert score.points.as_tuple().exponent == -2  # every question score sits on the 0.01 grid
    assert score.answered is answered
    assert score.explanation == explanation
    assert score.error == ""


@pytest.mark.parametrize(
    ("answer_type", "raw", "expected"),
    [
        ("option", {"option": "perda"}, "perda"),
        ("yes_no", {"yes": False}, False),
        ("number", {"number": "12.5"}, D("12.5")),
        ("number", {"number": 3}, D(3)),
        ("number", {"number": 0.1}, D("0.1")),  # a JSON float is read through its shortest repr, not binary
        ("number", {"number": "1.2345"}, D("1.2345")),
        ("number", {"number": "12.50000"}, D("12.5")),  # trailing zeros are not extra decimals
        ("percentage", {"numerator": "9", "denominator": 10}, PercentageAnswer(D(9), D(10))),
        ("date", {"date": "2024-02-29"}, date(2024, 2, 29)),
        ("text", {"text": "x" * 5000}, "x" * 5000),
        (AnswerType.TEXT, None, None),
        ("number", {}, None),
    ],
)
def test_parse_answer_types_the_stored_json(answer_type: str, raw: dict[str, Any] | None, expected: object) -> None:
    assert parse_answer(answer_type, raw, option_codes=("perda", "belum")) == expected


@pytest.mark.parametrize(
    ("answer_type", "raw", "message"),
    [
        ("option", {"option": "perwal"}, "Pilihan 'perwal' tidak dikenal; pilihan yang ada: perda, belum"),
        ("option", {"option": 3}, "Pilihan harus berupa teks"),
        ("yes_no", {"yes": "true"}, "Jawaban Ya/Tidak harus true atau false"),
        ("yes_no", {"yes": 1}, "Jawaban Ya/Tidak harus true atau false"),
        ("number", {"number": "-1"}, "Angka tidak boleh negatif (-1)"),
        ("number", {"number": -0.5}, "Angka tidak boleh negatif (-0.5)"),
        ("number", {"number": "12,5"}, "gunakan titik sebagai pemisah desimal"),
        ("number", {"number": "dua belas"}, "Angka 'dua belas' bukan angka"),
        ("number", {"number": "NaN"}, "bukan angka"),
        ("number", {"number": "Infinity"}, "bukan angka"),
        ("number", {"number": "1.23456"}, "paling banyak 4 angka di belakang titik desimal"),
        ("number", {"number": "1e13"}, "Angka terlalu besar"),
        ("number", {"number": True}, "Angka harus berupa angka"),
        ("number", {"number": [12]}, "Angka harus berupa angka"),
        ("number", {"value": 12}, "Kolom tidak dikenal: value; jawaban number memakai: number"),
        ("number", {"number": 12, "unit": "kegiatan"}, "Kolom tidak dikenal: unit"),
        ("percentage", {"numerator": "5"}, "Penyebut wajib diisi"),
        ("percentage", {"numerator": "", "denominator": "5"}, "Pembilang wajib diisi"),
        ("percentage", {"numerator": "5", "denominator": "-5"}, "Penyebut tidak boleh negatif"),
        ("date", {"date": "23-07-2024"}, "Tanggal '23-07-2024' tidak valid; gunakan format TTTT-BB-HH"),
        ("date", {"date": "2023-02-29"}, "tidak valid"),
        ("date", {"date": "20240723"}, "tidak valid"),
        ("date", {"date": "2024-W30-1"}, "tidak valid"),
        ("date", {"date": 20240723}, "Tanggal harus berupa teks"),
        ("text", {"text": "x" * 5001}, "Teks terlalu panjang: 5.001 karakter, paling banyak 5.000"),
        ("yes_no", {"option": "ya"}, "Kolom tidak dikenal: option; jawaban yes_no memakai: yes"),
        ("yes_no", [True], "Jawaban harus berupa objek JSON, bukan list"),
        ("text", "teks lepas", "Jawaban harus berupa objek JSON, bukan str"),
        ("rating", {"rating": 5}, "Jenis jawaban 'rating' tidak dikenal"),
    ],
)
def test_parse_answer_refuses_bad_answers_naming_the_problem(answer_type: str, raw: Any, message: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answer(answer_type, raw, option_codes=("perda", "belum"))
    assert message in info.value.message_id
    assert str(info.value) == info.value.message_id


def test_a_stored_answer_that_no_longer_fits_scores_zero_instead_of_breaking_the_page() -> None:
    score = score_question(REGULATION, {"option": "dihapus"})  # e.g. the framework was replaced
    assert (score.points, score.answered) == (D("0.00"), False)
    assert score.error == "Pilihan 'dihapus' tidak dikenal; pilihan yang ada: perda, perkada, belum"
    assert score.explanation == f"Jawaban tidak valid ({score.error}) → 0 poin dari 25"
    assert score_question(ACTIVITIES, {"number": "-3"}).error == "Angka tidak boleh negatif (-3)"


def test_every_answer_type_has_a_scorer() -> None:
    assert set(SCORERS) == set(AnswerType)


@pytest.mark.parametrize(
    ("spec", "max_points", "problem"),
    [
        ({"thresholds": [{"at_least": "1", "at_most": "5", "points": "1"}]}, "1", "tepat satu"),
        ({"thresholds": [{"points": "1"}]}, "1", "tepat satu"),
        ({}, "1.005", "paling banyak 2 desimal"),
        ({}, "-1", "harus ≥ 0"),
    ],
)
def test_rules_refuse_a_malformed_rubric(spec: dict[str, Any], max_points: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        QuestionRule.from_spec("q", "number", max_points, spec)


@pytest.mark.parametrize(
    ("rule", "raw", "codes"),
    [
        (BIRTH_CERTIFICATES, {"numerator": "120", "denominator": "100"}, ["numerator_gt_denominator"]),
        (BIRTH_CERTIFICATES, {"numerator": "5", "denominator": "0"}, ["denominator_zero"]),
        (BIRTH_CERTIFICATES, {"numerator": "0", "denominator": "0"}, ["denominator_zero"]),
        (BIRTH_CERTIFICATES, {"numerator": "100", "denominator": "100"}, []),
        (ACTIVITIES, {"number": "1000001"}, ["number_very_large"]),
        (ACTIVITIES, {"number": "1000000"}, []),
        (ENACTED, {"date": "2024-07-24"}, ["future_date"]),
        (ENACTED, {"date": "2024-07-23"}, []),
        (REGULATION, {"option": "perda"}, []),
        (REGULATION, None, []),
    ],
)
def test_soft_warnings_flag_implausible_answers(
    rule: QuestionRule, raw: dict[str, Any] | None, codes: list[str]
) -> None:
    value = parse_answer(rule.answer_type, raw)
    assert [w.code for w in soft_warnings(rule, value, today=TODAY)] == codes


def test_soft_warning_messages_are_indonesian_and_name_the_values() -> None:
    [pct] = soft_warnings(BIRTH_CERTIFICATES, PercentageAnswer(D(1200), D(1000)), today=TODAY)
    assert pct.message == (
        "Pembilang lebih besar dari penyebut (1.200 > 1.000): persentase 120,00% melebihi 100% dan bernilai 0 poin. "
        "Periksa kembali datanya lalu perbaiki pembilang atau penyebut, atau tulis penjelasan bila angkanya memang "
        "benar."
    )
    [zero] = soft_warnings(BIRTH_CERTIFICATES, PercentageAnswer(D(0), D(0)), today=TODAY)
    assert zero.message == (
        "Penyebut 0: persentase tidak dapat dihitung dan bernilai 0 poin. Periksa kembali penyebutnya, atau tulis "
        "penjelasan bila memang 0."
    )
    [big] = soft_warnings(ACTIVITIES, D(2500000), today=TODAY)
    assert big.message == (
        "Angka 2.500.000 tidak lazim besar (lebih dari 1.000.000). Periksa satuan (kegiatan) dan salah ketik, atau "
        "tulis penjelasan bila angkanya memang benar."
    )
    [future] = soft_warnings(ENACTED, date(2025, 1, 2), today=TODAY)
    assert future.message == (
        "Tanggal 2 Januari 2025 berada di masa depan. Periksa kembali tanggalnya, atau tulis penjelasan bila memang "
        "benar."
    )


def test_indicator_and_evaluation_add_up_their_parts() -> None:
    answers = {"1.1": {"option": "perkada"}, "3.4": {"yes": True}, "elsewhere": {"yes": True}}
    first = score_indicator("1", D(35), [REGULATION, TASKFORCE], answers, cluster="KL")
    second = score_indicator("7", D(10), [ACTIVITIES], {"7.3": {"number": "4.5"}}, cluster="K2")
    third = score_indicator("4", D(30), [BIRTH_CERTIFICATES], {}, cluster="K1")
    assert (first.total, first.answered, first.question_count) == (D(28), 2, 2)
    assert [q.code for q in first.questions] == ["1.1", "3.4"]
    evaluation = score_evaluation([first, second, third])
    assert evaluation.total == D("32.00") and str(evaluation.total) == "32.00"
    assert (evaluation.max_total, evaluation.answered, evaluation.question_count) == (D(75), 3, 4)
    assert dict(evaluation.by_cluster) == {"KL": D(28), "K2": D(4), "K1": D(0)}
    assert [i.code for i in evaluation.indicators] == ["1", "7", "4"]
    empty = score_evaluation([])
    assert (str(empty.total), empty.max_total, empty.question_count) == ("0.00", 0, 0)


def test_aggregation_refuses_inconsistent_input() -> None:
    with pytest.raises(ValueError, match="jumlah max_points pertanyaan"):
        score_indicator("1", D(30), [REGULATION, TASKFORCE], {})
    with pytest.raises(ValueError, match="kode pertanyaan ganda"):
        score_indicator("1", D(50), [REGULATION, REGULATION], {})
    one = score_indicator("1", D(25), [REGULATION], {})
    with pytest.raises(ValueError, match=r"^kode indikator ganda$"):
        score_evaluation([one, one])


def test_empty_parts_add_up_to_decimal_zero_in_an_unnamed_cluster() -> None:
    nothing = score_indicator("9", D(10), [], {})
    assert (str(nothing.total), nothing.cluster, nothing.answered, nothing.question_count) == ("0.00", "", 0, 0)
    evaluation = score_evaluation([nothing])
    assert dict(evaluation.by_cluster) == {"": D(0)}
    empty = score_evaluation([])
    assert (str(empty.total), str(empty.max_total), dict(empty.by_cluster)) == ("0.00", "0.00", {})


@pytest.mark.parametrize(
    ("total", "gap"),
    [("0", "500.01"), ("480", "20.01"), ("499.99", "0.02"), ("500", "0.01"), ("500.01", "0"), ("973.90", "0")],
)
def test_gap_to_gate_is_the_points_missing_to_be_strictly_above_it(total: str, gap: str) -> None:
    assert gap_to_gate(D(total), D(500)) == D(gap)
    assert passes_gate(D(total) + D(gap), D(500))


# ------------------------------------------------------------------------------------------------ property tests

AMOUNT = st.decimals(min_value=0, max_value=150, places=2, allow_nan=False, allow_infinity=False)
ANY_POINTS = st.decimals(min_value=-20, max_value=200, places=2, allow_nan=False, allow_infinity=False)
VALUE = st.decimals(min_value=0, max_value=2_000_000, places=4, allow_nan=False, allow_infinity=False)
JUNK = st.dictionaries(
    st.sampled_from(["option", "yes", "number", "numerator", "denominator", "date", "text", "x"]),
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4) | st.floats(allow_nan=True),
    max_size=3,
) | st.lists(st.integers(), max_size=2)


@st.composite
def rubrics(draw: st.DrawFn, code: str = "q") -> QuestionRule:
    """Any rubric the engine may meet, including points outside [0, max_points] that must be clamped."""
    answer_type = draw(st.sampled_from(list(AnswerType)))
    spec: dict[str, Any] = {}
    if answer_type == AnswerType.OPTION:
        codes = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=6, unique=True))
        spec["options"] = [{"code": c, "label": f"Pilihan {c}", "points": str(draw(ANY_POINTS))} for c in codes]
    elif answer_type in (AnswerType.NUMBER, AnswerType.PERCENTAGE):
        direction = draw(st.sampled_from(["at_least", "at_most"]))
        spec["thresholds"] = [
            {direction: str(draw(st.decimals(0, 120, places=2))), "points": str(draw(ANY_POINTS))}
            for _ in range(draw(st.integers(1, 5)))
        ]
    return QuestionRule.from_spec(code, answer_type, draw(AMOUNT), spec)


def raw_answers(rule: QuestionRule) -> st.SearchStrategy[Any]:
    """Valid answers of the rule's type, unanswered ones, and malformed ones."""
    valid: st.SearchStrategy[Any]
    if rule.answer_type == AnswerType.OPTION:
        valid = st.sampled_from([o.code for o in rule.options] + ["zz"]).map(lambda c: {"option": c})
    elif rule.answer_type == AnswerType.YES_NO:
        valid = st.booleans().map(lambda b: {"yes": b})
    elif rule.answer_type == AnswerType.NUMBER:
        valid = VALUE.map(lambda v: {"number": str(v)})
    elif rule.answer_type == AnswerType.PERCENTAGE:
        valid = st.tuples(VALUE, VALUE | st.just(D(0))).map(
            lambda p: {"numerator": str(p[0]), "denominator": str(p[1])}
        )
    elif rule.answer_type == AnswerType.DATE:
        valid = st.dates().map(lambda d: {"date": d.isoformat()})
    else:
        valid = st.text(max_size=30).map(lambda t: {"text": t})
    return st.none() | st.just({}) | valid | JUNK


@st.composite
def indicators(draw: st.DrawFn, code: str = "1") -> tuple[IndicatorScore, list[QuestionRule]]:
    rules = [draw(rubrics(f"{code}.{n}")) for n in range(draw(st.integers(1, 4)))]
    answers = {r.code: draw(raw_answers(r)) for r in rules}
    slack = draw(st.decimals(0, 10, places=2))  # the engine also accepts question maxima below the indicator's
    max_points = sum((r.max_points for r in rules), D(0)) + slack
    cluster = draw(st.sampled_from(["KL", "K1", "K2", "K3"]))
    return score_indicator(code, max_points, rules, answers, cluster=cluster), rules


@FAST
@given(data=st.data())
def test_property_every_question_scores_within_zero_and_its_max(data: st.DataObject) -> None:
    rule = data.draw(rubrics())
    score = score_question(rule, data.draw(raw_answers(rule)))
    assert D(0) <= score.points <= rule.max_points
    assert score.points == score.points.quantize(D("0.01"))
    assert " → " in score.explanation and " poin dari " in score.explanation
    assert not score.error or not score.answered


@FAST
@given(scored=indicators())
def test_property_indicator_total_is_the_sum_of_its_questions(
    scored: tuple[IndicatorScore, list[QuestionRule]],
) -> None:
    indicator, rules = scored
    assert indicator.total == sum((q.points for q in indicator.questions), D(0))
    assert D(0) <= indicator.total <= indicator.max_points
    assert indicator.question_count == len(rules) and 0 <= indicator.answered <= len(rules)


@FAST
@given(data=st.data())
def test_property_evaluation_total_is_the_sum_of_its_indicators(data: st.DataObject) -> None:
    items = [data.draw(indicators(str(n)))[0] for n in range(1, data.draw(st.integers(0, 5)) + 1)]
    evaluation = score_evaluation(items)
    assert evaluation.total == sum((i.total for i in items), D(0))
    assert evaluation.total.as_tuple().exponent == -2
    assert D(0) <= evaluation.total <= evaluation.max_total == sum((i.max_points for i in items), D(0))
    assert sum(evaluation.by_cluster.values(), D(0)) == evaluation.total
    assert evaluation.question_count == sum(i.question_count for i in items)


# The bundled instrument, with rules built the way the database stores them: the question spec goes through JSON.
SPEC_FIELDS = {"unit", "numerator_label", "denominator_label", "options", "thresholds", "evidence"}


@cache
def bundled() -> FrameworkSpec:
    return parse_framework(yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8")))


@cache
def bundled_rules() -> dict[str, QuestionRule]:
    questions = [q for i in bundled().indicators for q in i.questions]
    return {
        q.code: QuestionRule.from_spec(
            q.code, q.type.value, q.max_points, json.loads(q.model_dump_json(include=SPEC_FIELDS))
        )
        for q in questions
    }


def score_bundled(answer: Any) -> Any:
    rules = bundled_rules()
    return score_evaluation(
        score_indicator(
            i.code,
            i.max_points,
            [rules[q.code] for q in i.questions],
            {q.code: answer(q) for q in i.questions},
            cluster=c.code,
        )
        for c in bundled().clusters
        for i in c.indicators
    )


def best_answer(q: QuestionSpec) -> dict[str, Any]:
    if q.type == AnswerType.OPTION:
        return {"option": max(q.options, key=lambda o: o.points).code}
    if q.type in (AnswerType.NUMBER, AnswerType.PERCENTAGE):
        best = max(q.thresholds, key=lambda t: t.points)
        bound = str(best.at_least if best.at_least is not None else best.at_most)
        return {"number": bound} if q.type == AnswerType.NUMBER else {"numerator": bound, "denominator": "100"}
    return {"yes_no": {"yes": True}, "date": {"date": "2024-01-15"}, "text": {"text": "Inovasi"}}[q.type.value]


def test_bundled_instrument_best_answers_score_exactly_1000() -> None:
    evaluation = score_bundled(best_answer)
    assert evaluation.total == D("1000.00") == evaluation.max_total
    assert evaluation.answered == evaluation.question_count == len(bundled_rules())
    assert all(q.points == q.max_points for i in evaluation.indicators for q in i.questions)
    assert dict(evaluation.by_cluster) == {"KL": 220, "K1": 110, "K2": 180, "K3": 225, "K4": 120, "K5": 145}
    bands = [BandRule(b.code, b.name, b.min, b.max) for b in bundled().bands]
    assert predicate_for(evaluation.total, bands) == bands[-1]
    assert gap_to_gate(evaluation.total, bundled().gate.min_exclusive) == 0


def test_bundled_instrument_unanswered_scores_0() -> None:
    evaluation = score_bundled(lambda q: None)
    assert (evaluation.total, evaluation.answered, evaluation.max_total) == (D(0), 0, D(1000))
    assert gap_to_gate(evaluation.total, bundled().gate.min_exclusive) == D("500.01")


@cache
def candidates(code: str) -> list[Any]:
    """A few answers per bundled question: every option and threshold edge, unanswered, implausible, malformed."""
    rule = bundled_rules()[code]
    out: list[Any] = [None, {}, {"x": 1}, {"yes": True}, {"yes": False}, *({"option": o.code} for o in rule.options)]
    for t in rule.thresholds:
        bound = t.at_least if t.at_least is not None else t.at_most
        assert bound is not None
        for value in (bound - D("0.01"), bound, bound + D("0.01")):
            out += [{"number": str(value)}, {"numerator": str(value), "denominator": "100"}]
    return [*out, {"numerator": "120", "denominator": "100"}, {"numerator": "3", "denominator": "0"}, {"text": "x"}]


# One list of picks per example keeps this fast: drawing ~100 separate answers per example takes a minute.
@FAST
@given(
    picks=st.lists(
        st.integers(min_value=0, max_value=999), min_size=len(bundled_rules()), max_size=len(bundled_rules())
    )
)
def test_property_any_answers_to_the_bundled_instrument_stay_within_0_and_1000(picks: list[int]) -> None:
    chosen = dict(zip(bundled_rules(), picks, strict=True))
    evaluation = score_bundled(lambda q: candidates(q.code)[chosen[q.code] % len(candidates(q.code))])
    assert D(0) <= evaluation.total <= D(1000)
    assert evaluation.total == sum((i.total for i in evaluation.indicators), D(0))
    assert all(i.total <= i.max_points for i in evaluation.indicators)


@FAST
@given(hundredths=st.integers(min_value=0, max_value=100_000))
def test_property_bands_are_total_and_non_overlapping_over_0_to_1000(hundredths: int) -> None:
    score = D(hundredths) / 100
    bands = sorted((BandRule(b.code, b.name, b.min, b.max) for b in bundled().bands), key=lambda b: b.min_score)
    # A band holds a score from its minimum up to (not including) the next band's minimum.
    upper = [b.min_score for b in bands[1:]] + [D("Infinity")]
    holding = [b for b, next_min in zip(bands, upper, strict=True) if b.min_score <= score < next_min]
    assert len(holding) <= 1
    assert len(holding) == (1 if score >= 500 else 0)
    assert predicate_for(score, bands) == (holding[0] if holding else None)
    # Read literally as closed ranges the bands never overlap either (they leave gaps such as 600.50, see above).
    assert sum(b.min_score <= score <= b.max_score for b in bands) <= 1
    assert (gap_to_gate(score, D(500)) == 0) is passes_gate(score, D(500))
