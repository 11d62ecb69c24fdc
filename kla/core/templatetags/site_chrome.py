"""`{% site_menu %}` and `{% site_part "includes/_footer.html" %}`: base.html's menu and its parts without context
from the per-process cache of kla/core/chrome.py."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from kla.core import chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context: template.Context) -> SafeString:
    request: Any = context.get("request")
    flags = {flag: bool(context.get(flag)) for flag in chrome.MENU_FLAGS}
    return chrome.menu(flags, getattr(request, "resolver_match", None))


@register.simple_tag
def site_part(template_name: str) -> SafeString:
    return chrome.part(template_name)
