"""`{{ form|as_div_cached }}` and `{% form_cached form "registration/_form.html" %}`: an empty form's HTML from the
per-process cache of kla/core/form_html.py (a bound form, with its errors, is always rendered)."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from kla.core import form_html

register = template.Library()


@register.filter
def as_div_cached(form: forms.BaseForm) -> SafeString:
    return form_html.as_div(form)


@register.simple_tag
def form_cached(form: forms.BaseForm, template_name: str) -> SafeString:
    return form_html.with_template(form, template_name)
