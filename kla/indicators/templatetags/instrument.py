"""Human labels for the codes of an instrument file (answer types, evidence types, agencies, levels)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from kla.agencies.catalogue import BY_CODE
from kla.indicators.framework_schema import ANSWER_TYPE_LABELS, EVIDENCE_TYPE_LABELS, LEVEL_LABELS

register = template.Library()


def _pick(labels: dict[str, tuple[str, str]], code: str) -> str:
    pair = labels.get(code)
    if pair is None:
        return code
    return pair[1] if (get_language() or "id").startswith("en") else pair[0]


@register.filter
def answer_type_label(code: str) -> str:
    return _pick(ANSWER_TYPE_LABELS, code)


@register.filter
def evidence_type_label(code: str) -> str:
    return _pick(EVIDENCE_TYPE_LABELS, code)


@register.filter
def level_label(code: str) -> str:
    return _pick(LEVEL_LABELS, code)


@register.filter
def agency_names(codes: list[str]) -> str:
    """``["DISDUKCAPIL", "DINKES"]`` → ``"Disdukcapil, Dinas Kesehatan"``."""
    return ", ".join(BY_CODE[c].short_name if c in BY_CODE else c for c in codes)


@register.simple_tag
def evidence_type_choices() -> list[tuple[str, str]]:
    return [(code, _pick(EVIDENCE_TYPE_LABELS, code)) for code in EVIDENCE_TYPE_LABELS]
