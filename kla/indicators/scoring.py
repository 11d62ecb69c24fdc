"""Scoring: answers → points per question, indicator and evaluation; predicate bands and the gate.

Pure module: no Django import; time is passed in, never read. Rubrics and bands are framework data; this module
applies them: `parse_answer` types the JSON stored per question, `QuestionRule.from_spec` reads a rubric, `SCORERS`
holds one scorer per answer type, `score_indicator`/`score_evaluation` add up (totals are exactly the sum of their
parts) and `soft_warnings` flags implausible answers. Every explanation reads inputs → method → points, e.g.
``Persentase 912/1.000 = 91,20% ≥ 90 → 30 poin dari 30``, so each score can be shown and audited.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final, NamedTuple, Protocol

from kla.indicators.framework_schema import AnswerType

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")
TEXT_MAX_CHARS: Final = 5000
LARGE_NUMBER: Final = Decimal(1_000_000)
_PLACES: Final = Decimal("0.0001")  # answers may carry 4 decimals (rates such as 0.25 per 1,000 births)
_MAX_VALUE: Final = Decimal(10) ** 12  # far beyond any count a kab/kota reports; keeps Decimal maths exact
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")  # date.fromisoformat alone also takes 20240723 or 2024-W30


class AnswerError(ValueError):
    """An answer that does not fit its question; `message_id` says why, in Indonesian."""

    def __init__(self, message_id: str) -> None:
        self.message_id = message_id
        super().__init__(message_id)


# Typed answers: option → its code (str), yes_no → bool, number → Decimal, date → date, text → str.
@dataclass(frozen=True, slots=True)
class PercentageAnswer:
    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> Decimal | None:
        """numerator/denominator×100 rounded half-up to 2 decimals (what rubrics compare); None when 0 is below."""
        if self.denominator == 0:
            return None
        return (self.numerator * 100 / self.denominator).quantize(CENT, ROUND_HALF_UP)


type AnswerValue = str | bool | Decimal | PercentageAnswer | date
type RawAnswer = Mapping[str, object] | None  # the JSON stored per question

_KEYS: Final = {"option": ("option",), "yes_no": ("yes",), "number": ("number",),
                "percentage": ("numerator", "denominator"), "date": ("date",), "text": ("text",)}  # fmt: skip
_NAMES: Final = {"option": "Pilihan", "yes": "Jawaban Ya/Tidak", "number": "Angka", "numerator": "Pembilang",
                 "denominator": "Penyebut", "date": "Tanggal", "text": "Teks"}  # fmt: skip


def parse_answer(
    answer_type: AnswerType | str, raw: RawAnswer, *, option_codes: Collection[str] | None = None
) -> AnswerValue | None:
    """Validate the JSON stored for one answer and return it typed, or None when unanswered.

    ``{"option": "perda"}``, ``{"yes": true}``, ``{"number": "12.5"}``, ``{"numerator": "912", "denominator":
    "1000"}``, ``{"date": "2024-07-23"}``, ``{"text": "..."}``; None, ``{}`` or only null/blank fields mean
    unanswered. Numbers: Decimal strings or JSON numbers, ≥ 0, ≤ 4 decimals, dot as decimal separator.
    `option_codes`, when given, are the question's codes. Raises `AnswerError` naming the problem.
    """
    if answer_type not in _KEYS:
        raise AnswerError(f"Jenis jawaban '{answer_type}' tidak dikenal")
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise AnswerError(f"Jawaban harus berupa objek JSON, bukan {type(raw).__name__}")
    keys = _KEYS[str(answer_type)]
    extra = sorted(str(k) for k in raw if k not in keys)
    if extra:
        raise AnswerError(f"Kolom tidak dikenal: {', '.join(extra)}; jawaban {answer_type} memakai: {', '.join(keys)}")
    blank = [k for k in keys if raw.get(k) is None or (isinstance(raw[k], str) and not str(raw[k]).strip())]
    if len(blank) == len(keys):
        return None
    if blank:
        raise AnswerError(f"{_NAMES[blank[0]]} wajib diisi")
    value = raw[keys[0]]
    if answer_type == AnswerType.YES_NO:
        if not isinstance(value, bool):
            raise AnswerError("Jawaban Ya/Tidak harus true atau false")
        return value
    if answer_type == AnswerType.NUMBER:
        return _decimal(value, "Angka")
    if answer_type == AnswerType.PERCENTAGE:
        return PercentageAnswer(_decimal(value, "Pembilang"), _decimal(raw["denominator"], "Penyebut"))
    if not isinstance(value, str):
        raise AnswerError(f"{_NAMES[keys[0]]} harus berupa teks")
    text = value.strip()
    if answer_type == AnswerType.OPTION:
        if option_codes is not None and text not in option_codes:
            raise AnswerError(f"Pilihan '{text}' tidak dikenal; pilihan yang ada: {', '.join(option_codes)}")
        return text
    if answer_type == AnswerType.DATE:
        try:
            if _ISO_DATE.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise AnswerError(f"Tanggal '{text}' tidak valid; gunakan format TTTT-BB-HH, mis. 2024-07-23")
    if len(text) > TEXT_MAX_CHARS:
        raise AnswerError(f"Teks terlalu panjang: {len(text)} karakter, paling banyak {TEXT_MAX_CHARS}")
    return text


def _decimal(value: object, name: str) -> Decimal:
    # bool is an int in Python, but true/false is never a count.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise AnswerError(f"{name} harus berupa angka")
    text = value.strip() if isinstance(value, str) else repr(value)  # repr: 0.1 stays 0.1, not a binary fraction
    if "," in text:  # "1,5" or "1,000": ambiguous, so the form must send a dot decimal without grouping
        raise AnswerError(f"{name} '{text}': gunakan titik sebagai pemisah desimal, tanpa pemisah ribuan")
    try:
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise AnswerError(f"{name} '{text}' bukan angka") from None
    if not 0 <= number <= _MAX_VALUE:
        raise AnswerError(f"{name} tidak boleh negatif ({text})" if number < 0 else f"{name} terlalu besar ({text})")
    if number != number.quantize(_PLACES):
        raise AnswerError(f"{name} paling banyak 4 angka di belakang titik desimal ({text})")
    return number


# Rubrics.
class OptionRule(NamedTuple):
    code: str
    points: Decimal
    label: str = ""


class ThresholdRule(NamedTuple):  # at_least: higher is better; at_most: lower is better (e.g. stunting)
    at_least: Decimal | None
    at_most: Decimal | None
    points: Decimal

    def met_by(self, value: Decimal) -> bool:
        return value >= self.at_least if self.at_least is not None else value <= (self.at_most or ZERO)

    def describe(self) -> str:
        return f"≥ {_fmt(self.at_least)}" if self.at_least is not None else f"≤ {_fmt(self.at_most or ZERO)}"


@dataclass(frozen=True, slots=True)
class QuestionRule:  # what each answer to one question is worth, capped at max_points
    code: str
    answer_type: AnswerType
    max_points: Decimal
    options: tuple[OptionRule, ...] = ()
    thresholds: tuple[ThresholdRule, ...] = ()
    unit: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "answer_type", AnswerType(self.answer_type))
        if self.max_points < 0 or self.max_points != self.max_points.quantize(CENT):
            raise ValueError(f"{self.code}: max_points {self.max_points} harus ≥ 0 dengan paling banyak 2 desimal")
        if any((t.at_least is None) == (t.at_most is None) for t in self.thresholds):
            raise ValueError(f"{self.code}: setiap threshold butuh tepat satu dari at_least atau at_most")

    @classmethod
    def from_spec(
        cls, code: str, answer_type: AnswerType | str, max_points: Decimal | str | int, spec: Mapping[str, Any]
    ) -> QuestionRule:
        """Build the rule from a question row: its `spec` JSON holds `options`, `thresholds` and `unit`."""
        options = tuple(
            OptionRule(str(o["code"]), Decimal(str(o["points"])), str(o.get("label") or ""))
            for o in spec.get("options") or ()
        )
        thresholds = tuple(
            ThresholdRule(_dec(t.get("at_least")), _dec(t.get("at_most")), Decimal(str(t["points"])))
            for t in spec.get("thresholds") or ()
        )
        unit = str(spec.get("unit") or "")
        return cls(code, AnswerType(answer_type), Decimal(str(max_points)), options, thresholds, unit)


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _codes(rule: QuestionRule) -> tuple[str, ...]:
    return tuple(o.code for o in rule.options)


# Scorers: one small object per answer type, registered in SCORERS. A value of the wrong type is a caller's bug
# (score_question parses by the same answer type it dispatches on), hence asserts.
@dataclass(frozen=True, slots=True)
class QuestionScore:
    code: str
    points: Decimal
    max_points: Decimal
    answered: bool
    explanation: str
    error: str = ""  # a stored answer that no longer fits the rubric: scored 0 and counted as unanswered


class Scorer(Protocol):
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore: ...


def _scored(rule: QuestionRule, raw_points: Decimal, inputs: str) -> QuestionScore:
    # Clamp, then round: max_points sits on the 0.01 grid, so rounding cannot push past it.
    points = min(max(raw_points, ZERO), rule.max_points).quantize(CENT, ROUND_HALF_UP)
    text = f"{inputs} → {_fmt(points)} poin dari {_fmt(rule.max_points)}"
    if raw_points < 0 or raw_points > rule.max_points:
        text += f" (poin rubrik {_fmt(raw_points)} dibatasi ke rentang 0–{_fmt(rule.max_points)})"
    return QuestionScore(rule.code, points, rule.max_points, True, text)


def _by_threshold(rule: QuestionRule, value: Decimal, shown: str) -> QuestionScore:
    met = [t for t in rule.thresholds if t.met_by(value)]
    if met:
        best = max(met, key=lambda t: t.points)  # first of the best on ties, as written in the rubric
        return _scored(rule, best.points, f"{shown} {best.describe()}")
    loosest = min(rule.thresholds, key=lambda t: t.points, default=None)
    return _scored(rule, ZERO, f"{shown}: tidak memenuhi ambang terendah ({loosest.describe() if loosest else '-'})")


class OptionScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, str)
        option = next((o for o in rule.options if o.code == value), None)
        if option is None:
            raise AnswerError(f"Pilihan '{value}' tidak dikenal; pilihan yang ada: {', '.join(_codes(rule))}")
        return _scored(rule, option.points, f"Pilihan '{option.label or option.code}'")


class YesNoScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, bool)
        return _scored(rule, rule.max_points if value else ZERO, "Ya" if value else "Tidak")


class NumberScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, Decimal)
        return _by_threshold(rule, value, f"Angka {_fmt(value)}{' ' + rule.unit if rule.unit else ''}")


class PercentageScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, PercentageAnswer)
        if value.percent is None:
            return _scored(rule, ZERO, "Penyebut 0: persentase tidak dapat dihitung")
        shown = f"Persentase {_fmt(value.numerator)}/{_fmt(value.denominator)} = {_fmt(value.percent, 2)}%"
        return _by_threshold(rule, value.percent, shown)


class InformationScorer:  # dates and texts inform reviewers: answered when filled in, never worth points
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        if isinstance(value, date):
            return _scored(rule, ZERO, f"Tanggal {value:%d-%m-%Y} (keterangan, tidak dinilai)")
        assert isinstance(value, str)
        return _scored(rule, ZERO, f"Teks {len(value)} karakter (keterangan, tidak dinilai)")


SCORERS: Final[Mapping[AnswerType, Scorer]] = {
    AnswerType.OPTION: OptionScorer(), AnswerType.YES_NO: YesNoScorer(), AnswerType.NUMBER: NumberScorer(),
    AnswerType.PERCENTAGE: PercentageScorer(), AnswerType.DATE: InformationScorer(),
    AnswerType.TEXT: InformationScorer(),
}  # fmt: skip


def score_question(rule: QuestionRule, raw: RawAnswer) -> QuestionScore:
    """Score one stored answer. Never raises on bad data: an answer that no longer fits scores 0 with `error` set."""
    of_max = f"0 poin dari {_fmt(rule.max_points)}"
    try:
        value = parse_answer(rule.answer_type, raw, option_codes=_codes(rule) or None)
        if value is None:
            return QuestionScore(rule.code, ZERO, rule.max_points, False, f"Tidak dijawab → {of_max}")
        return SCORERS[rule.answer_type].score(rule, value)
    except AnswerError as exc:
        # A replaced framework may drop an option code old answers still hold; the page must still render.
        text = f"Jawaban tidak valid ({exc.message_id}) → {of_max}"
        return QuestionScore(rule.code, ZERO, rule.max_points, False, text, error=exc.message_id)


@dataclass(frozen=True, slots=True)
class SoftWarning:  # the answer is kept and scored; the UI asks for a justification
    code: str
    message: str


def soft_warnings(rule: QuestionRule, value: AnswerValue | None, *, today: date) -> list[SoftWarning]:
    """Warnings for an implausible answer, never blocking. `today` is passed in so the check is repeatable."""
    out: list[SoftWarning] = []
    if isinstance(value, PercentageAnswer) and value.percent is None:
        out.append(SoftWarning("denominator_zero", "Penyebut 0: persentase tidak dapat dihitung dan bernilai 0 poin"))
    elif isinstance(value, PercentageAnswer) and value.numerator > value.denominator:
        out.append(SoftWarning("numerator_gt_denominator", (
            f"Pembilang lebih besar dari penyebut ({_fmt(value.numerator)} > {_fmt(value.denominator)}): "
            f"persentase {_fmt(value.percent or ZERO, 2)}% melebihi 100%")))  # fmt: skip
    elif isinstance(value, Decimal) and value > LARGE_NUMBER:
        out.append(SoftWarning("number_very_large", (
            f"Angka {_fmt(value)} tidak lazim besar (lebih dari {_fmt(LARGE_NUMBER)}); "
            f"periksa satuan{f' ({rule.unit})' if rule.unit else ''} dan salah ketik")))  # fmt: skip
    elif isinstance(value, date) and value > today:
        out.append(SoftWarning("future_date", f"Tanggal {value:%d-%m-%Y} berada di masa depan"))
    return out


# Aggregates.
@dataclass(frozen=True, slots=True)
class IndicatorScore:  # total, answered and question_count are derived, so they always match the breakdown
    code: str
    max_points: Decimal
    questions: tuple[QuestionScore, ...]
    cluster: str = ""
    total: Decimal = field(init=False)
    answered: int = field(init=False)
    question_count: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", sum((q.points for q in self.questions), ZERO))
        object.__setattr__(self, "answered", sum(q.answered for q in self.questions))
        object.__setattr__(self, "question_count", len(self.questions))


def score_indicator(
    indicator_code: str, max_points: Decimal, rules: Sequence[QuestionRule], answers: Mapping[str, RawAnswer], *,
    cluster: str = ""
) -> IndicatorScore:  # fmt: skip
    """Score an indicator from stored answers keyed by question code (other keys are ignored). Question maxima
    adding up to more than `max_points` are refused, not capped, so the total stays the plain sum of the parts."""
    if len({r.code for r in rules}) != len(rules):
        raise ValueError(f"indikator {indicator_code}: kode pertanyaan ganda")
    if (question_max := sum((r.max_points for r in rules), ZERO)) > max_points:
        raise ValueError(f"indikator {indicator_code}: jumlah max_points pertanyaan ({question_max}) > {max_points}")
    questions = tuple(score_question(r, answers.get(r.code)) for r in rules)
    return IndicatorScore(indicator_code, max_points, questions, cluster)


@dataclass(frozen=True, slots=True)
class EvaluationScore:  # by_cluster: subtotal per IndicatorScore.cluster, in input order
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    max_total: Decimal
    answered: int
    question_count: int
    by_cluster: Mapping[str, Decimal]


def score_evaluation(indicators: Iterable[IndicatorScore]) -> EvaluationScore:
    """Add up indicator scores; the total is exactly their sum (questions were each rounded to 0.01 already)."""
    items = tuple(indicators)
    if len({i.code for i in items}) != len(items):
        raise ValueError("kode indikator ganda")
    by_cluster: dict[str, Decimal] = {}
    for i in items:
        by_cluster[i.cluster] = by_cluster.get(i.cluster, ZERO) + i.total
    return EvaluationScore(
        indicators=items,
        total=sum((i.total for i in items), ZERO).quantize(CENT),
        max_total=sum((i.max_points for i in items), ZERO),
        answered=sum(i.answered for i in items),
        question_count=sum(i.question_count for i in items),
        by_cluster=by_cluster,
    )


def gap_to_gate(total: Decimal, gate_min_exclusive: Decimal) -> Decimal:
    """Points still needed to be strictly above the gate, 0 when above. Scores move in steps of 0.01, so strictly
    above 500 means reaching 500.01: a total of 500 is 0.01 short."""
    target = gate_min_exclusive.quantize(CENT, ROUND_FLOOR) + CENT
    return max(ZERO, target - total).quantize(CENT)


def _fmt(value: Decimal, places: int | None = None) -> str:
    """Indonesian number format: 1.234,5 (dot groups thousands, comma marks decimals)."""
    text = f"{value:,.{places}f}" if places is not None else f"{value.normalize():,f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# Bands and the gate.
@dataclass(frozen=True, slots=True)
class BandRule:
    code: str
    name: str
    min_score: Decimal
    max_score: Decimal


def predicate_for(score: Decimal, bands: Sequence[BandRule]) -> BandRule | None:
    """The highest band whose minimum the score reaches, or None below the lowest band.

    Bands are read as lower bounds: with Pratama 500–600 and Madya 601–700, a score of 600.50 is still Pratama
    (it has not reached 601). A score above the top band's maximum is refused, as it cannot come from the
    instrument.
    """
    ordered = sorted(bands, key=lambda b: b.min_score)
    if ordered and score > ordered[-1].max_score:
        raise ValueError(f"nilai {score} melebihi nilai maksimum {ordered[-1].max_score}")
    found: BandRule | None = None
    for band in ordered:
        if score >= band.min_score:
            found = band
    return found


def passes_gate(em_score: Decimal, min_exclusive: Decimal) -> bool:
    """The self-assessment (EM) score must be strictly above the gate (500) to proceed to verification."""
    return em_score > min_exclusive


def points_to_next_band(score: Decimal, bands: Sequence[BandRule]) -> tuple[BandRule, Decimal] | None:
    """The next band above the score and the points still missing to reach it, or None at the top."""
    for band in sorted(bands, key=lambda b: b.min_score):
        if band.min_score > score:
            return band, band.min_score - score
    return None
