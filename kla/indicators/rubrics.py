"""Rubrics: what each answer to one question is worth. Pure module: no Django import.

A question row stores its rubric as JSON (`RubricJSON`): the points per option, the thresholds of a number or a
percentage (``at_least`` when higher is better, ``at_most`` when lower is better, e.g. stunting) and the unit.
`QuestionRule.from_spec` reads it; the scorers (`kla.indicators.scorers`) apply it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, NotRequired, TypedDict

from kla.core.formatting import format_number
from kla.indicators.framework_schema import AnswerType
from kla.indicators.points import CENT, ZERO

type JSONNumber = str | int | float  # the database stores Decimals as strings; hand-written rubrics use numbers


class OptionJSON(TypedDict):
    code: str
    points: JSONNumber
    label: NotRequired[str | None]


class ThresholdJSON(TypedDict):
    points: JSONNumber
    at_least: NotRequired[JSONNumber | None]
    at_most: NotRequired[JSONNumber | None]


class RubricJSON(TypedDict, total=False):
    options: Sequence[OptionJSON] | None
    thresholds: Sequence[ThresholdJSON] | None
    unit: str | None


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
        if self.at_least is not None:
            return f"≥ {format_number(self.at_least)}"
        return f"≤ {format_number(self.at_most or ZERO)}"


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
        cls, code: str, answer_type: AnswerType | str, max_points: Decimal | str | int, spec: RubricJSON
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

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


def _dec(value: JSONNumber | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
