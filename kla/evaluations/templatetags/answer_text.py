"""`{% load answer_text %}`: `{{ answer.explanation|explanation }}`, the stored score explanation in the reader's
language (see `kla.evaluations.explanations`)."""

from __future__ import annotations

from django import template

from kla.evaluations import explanations

register = template.Library()


@register.filter
def explanation(text: str) -> str:
    return explanations.explanation(text or "")
