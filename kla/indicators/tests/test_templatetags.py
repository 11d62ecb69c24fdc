"""The instrument's template tags: labels in the active language."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.utils import translation

from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS


def _options(suggested: object, language: str) -> str:
    with translation.override(language):
        template = Template("{% load instrument %}{% evidence_type_options suggested %}")
        return template.render(Context({"suggested": suggested}))


def test_evidence_type_options_select_the_suggestion_in_the_active_language() -> None:
    html = _options("minutes", "id")
    assert re.findall(r'<option value="([a-z_]+)"', html) == list(EVIDENCE_TYPE_LABELS)
    assert html.count(" selected") == 1 and '<option value="minutes" selected>Notulen</option>' in html
    assert '<option value="minutes" selected>Minutes</option>' in _options("minutes", "en")
    # the cache keeps the languages apart
    assert '<option value="regulation">Regulasi</option>' in _options("minutes", "id")


def test_evidence_type_options_without_or_with_an_unknown_suggestion_select_nothing() -> None:
    for suggested in (None, "", "<script>"):
        html = _options(suggested, "id")
        assert " selected" not in html and "<script>" not in html
        assert html.count("<option") == len(EVIDENCE_TYPE_LABELS)
