"""Scorers: one small object per answer type turns a typed answer into points with an explanation.

Pure module: no Django import. `SCORERS` maps each answer type to its scorer; `score_question` parses a stored
answer, dispatches, clamps to [0, max] and rounds half-up to 0.01. Every explanation reads inputs → method →
points, e.g. ``Persentase 912/1.000 = 91,20% ≥ 90 → 30 poin dari 30``. A percentage whose numerator is above its
denominator (more than 100 %) is impossible data: it scores 0 whatever the rubric, until the data is corrected.
`soft_warnings` flags implausible answers: the answer is kept, and `needs_explanation` says when it still waits for
the explanation that makes it complete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sized
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final, Protocol

from kla.core.formatting import format_date, format_number
from kla.indicators.answers import AnswerError, AnswerValue, PercentageAnswer, RawAnswer, parse_answer
from kla.indicators.framework_schema import AnswerType
from kla.indicators.points import ZERO, to_cent
from kla.indicators.rubrics import QuestionRule

LARGE_NUMBER: Final = Decimal(1_000_000)
CHECK_NUMERATOR: Final = "Pembilang lebih besar dari penyebut: periksa kembali datanya"


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


def _scored(rule: QuestionRule, raw_points: Decimal, inputs: str, note: str = "") -> QuestionScore:
    # Clamp, then round: max_points sits on the 0.01 grid, so rounding cannot push past it.
    points = to_cent(min(max(raw_points, ZERO), rule.max_points))
    text = f"{inputs} → {format_number(points)} poin dari {format_number(rule.max_points)}"
    if raw_points < 0 or raw_points > rule.max_points:
        text += f" (poin rubrik {format_number(raw_points)} dibatasi ke rentang 0–{format_number(rule.max_points)})"
    if note:
        text += f". {note}."
    return QuestionScore(rule.code, points, rule.max_points, True, text)


def _by_threshold(rule: QuestionRule, value: Decimal, shown: str) -> QuestionScore:
    met = [t for t in rule.thresholds if t.met_by(value)]
    if met:
        best = max(met, key=lambda t: t.points)  # first of the best on ties, as written in the rubric
        return _scored(rule, best.points, f"{shown} {best.describe()}")
    loosest = min(rule.thresholds, key=lambda t: t.points, default=None)
    return _scored(rule, ZERO, f"{shown}: tidak memenuhi ambang terendah ({loosest.describe() if loosest else '-'})")


# A value of the wrong type is a caller's bug (score_question parses by the same answer type it dispatches on),
# hence asserts.
class OptionScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, str)
        option = next((o for o in rule.options if o.code == value), None)
        if option is None:
            raise AnswerError(f"Pilihan '{value}' tidak dikenal; pilihan yang ada: {', '.join(rule.option_codes)}")
        return _scored(rule, option.points, f"Pilihan '{option.label or option.code}'")


class YesNoScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, bool)
        return _scored(rule, rule.max_points if value else ZERO, "Ya" if value else "Tidak")


class NumberScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, Decimal)
        return _by_threshold(rule, value, f"Angka {format_number(value)}{' ' + rule.unit if rule.unit else ''}")


class PercentageScorer:
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        assert isinstance(value, PercentageAnswer)
        if value.percent is None:
            return _scored(rule, ZERO, "Penyebut 0: persentase tidak dapat dihitung")
        shown = (
            f"Persentase {format_number(value.numerator)}/{format_number(value.denominator)} = "
            f"{format_number(value.percent, 2)}%"
        )
        if value.numerator > value.denominator:  # more than 100 %: impossible, worth nothing until corrected
            return _scored(rule, ZERO, f"{shown} melebihi 100%", CHECK_NUMERATOR)
        return _by_threshold(rule, value.percent, shown)


class InformationScorer:  # dates and texts inform reviewers: answered when filled in, never worth points
    def score(self, rule: QuestionRule, value: AnswerValue) -> QuestionScore:
        if isinstance(value, date):
            return _scored(rule, ZERO, f"Tanggal {format_date(value)} (keterangan, tidak dinilai)")
        assert isinstance(value, str)
        return _scored(rule, ZERO, f"Teks {len(value)} karakter (keterangan, tidak dinilai)")


SCORERS: Final[Mapping[AnswerType, Scorer]] = {
    AnswerType.OPTION: OptionScorer(), AnswerType.YES_NO: YesNoScorer(), AnswerType.NUMBER: NumberScorer(),
    AnswerType.PERCENTAGE: PercentageScorer(), AnswerType.DATE: InformationScorer(),
    AnswerType.TEXT: InformationScorer(),
}  # fmt: skip


def score_question(rule: QuestionRule, raw: RawAnswer) -> QuestionScore:
    """Score one stored answer. Never raises on bad data: an answer that no longer fits scores 0 with `error` set."""
    of_max = f"0 poin dari {format_number(rule.max_points)}"
    try:
        value = parse_answer(rule.answer_type, raw)  # an unknown option code is refused by the option scorer
        if value is None:
            return QuestionScore(rule.code, ZERO, rule.max_points, False, f"Tidak dijawab → {of_max}")
        return SCORERS[rule.answer_type].score(rule, value)
    except AnswerError as exc:
        # A replaced framework may drop an option code old answers still hold; the page must still render.
        text = f"Jawaban tidak valid ({exc.message_id}) → {of_max}"
        return QuestionScore(rule.code, ZERO, rule.max_points, False, text, error=exc.message_id)


@dataclass(frozen=True, slots=True)
class SoftWarning:  # the answer is kept and scored; it is complete only once explained (`needs_explanation`)
    code: str
    message: str


def needs_explanation(warnings: Sized, justification: str) -> bool:
    """True while an answer with a warning has no explanation: it then does not count as complete, and the
    evaluation cannot be submitted (no acknowledgement lifts this)."""
    return len(warnings) > 0 and not justification.strip()


def soft_warnings(rule: QuestionRule, value: AnswerValue | None, *, today: date) -> list[SoftWarning]:
    """Warnings for an implausible answer, never blocking. `today` is passed in so the check is repeatable."""
    if isinstance(value, PercentageAnswer) and value.percent is None:
        return [SoftWarning("denominator_zero", (
            "Penyebut 0: persentase tidak dapat dihitung dan bernilai 0 poin. Periksa kembali penyebutnya, atau "
            "tulis penjelasan bila memang 0."))]  # fmt: skip
    if isinstance(value, PercentageAnswer) and value.numerator > value.denominator:
        numerator, denominator = format_number(value.numerator), format_number(value.denominator)
        return [SoftWarning("numerator_gt_denominator", (
            f"Pembilang lebih besar dari penyebut ({numerator} > {denominator}): "
            f"persentase {format_number(value.percent, 2)}% melebihi 100% dan bernilai 0 poin. Periksa kembali "
            "datanya lalu perbaiki pembilang atau penyebut, atau tulis penjelasan bila angkanya memang "
            "benar."))]  # fmt: skip
    if isinstance(value, Decimal) and value > LARGE_NUMBER:
        return [SoftWarning("number_very_large", (
            f"Angka {format_number(value)} tidak lazim besar (lebih dari {format_number(LARGE_NUMBER)}). "
            f"Periksa satuan{f' ({rule.unit})' if rule.unit else ''} dan salah ketik, atau tulis penjelasan "
            "bila angkanya memang benar."))]  # fmt: skip
    if isinstance(value, date) and value > today:
        return [SoftWarning("future_date", (
            f"Tanggal {format_date(value)} berada di masa depan. Periksa kembali tanggalnya, atau tulis penjelasan "
            "bila memang benar."))]  # fmt: skip
    return []
