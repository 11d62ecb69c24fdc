"""`{% site_header %}` and `{% site_part "includes/_footer.html" %}`: base.html's header and its parts without
context from the per-process cache of kla/core/chrome.py."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kla.core import chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    return chrome.header(context)


@register.simple_tag
def site_part(template_name: str) -> SafeString:
    return chrome.part(template_name)
