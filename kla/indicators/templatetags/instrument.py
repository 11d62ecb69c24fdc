"""Human labels for the codes of an instrument file (answer types, evidence types, agencies, levels)."""

from __future__ import annotations

import functools

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from kla.agencies.catalogue import BY_CODE
from kla.core.templatetags.choices import option_tags
from kla.indicators.framework_schema import ANSWER_TYPE_LABELS, EVIDENCE_TYPE_LABELS, LEVEL_LABELS

register = template.Library()


def _language_index() -> int:
    """Which of a label pair (Indonesian, English) the active language reads."""
    return 1 if (get_language() or "id").startswith("en") else 0


def _pick(labels: dict[str, tuple[str, str]], code: str) -> str:
    pair = labels.get(code)
    if pair is None:
        return code
    return pair[_language_index()]


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
def evidence_type_options(suggested: str | None) -> SafeString:
    """The ``<option>``s of the evidence type select with `suggested` selected. The entry page shows one upload
    form per question: the options are built once per language and suggestion, not in a template loop each."""
    return _evidence_type_options(_language_index(), suggested or "")


@functools.lru_cache(maxsize=64)  # 2 languages × the suggestions an instrument names (a handful)
def _evidence_type_options(index: int, suggested: str) -> SafeString:
    return option_tags(((code, labels[index]) for code, labels in EVIDENCE_TYPE_LABELS.items()), suggested)
