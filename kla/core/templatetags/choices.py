"""`{% options choices selected %}`: the ``<option>``s of a select in one Python call.

A template loop costs a few dozen microseconds per option (a variable lookup, a comparison, escaping); the 38
provinces of the public results filter cost more than the rest of that cached page's content. Use it wherever a
select lists more than a handful of choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SELECTED = mark_safe(" selected")


def option_tags(choices: Iterable[tuple[Any, Any]], selected: Any) -> SafeString:
    """``<option value="…">label</option>`` per (value, label), escaped; the one equal to `selected` (compared as
    text, as a submitted value is) is selected."""
    wanted = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, _SELECTED if str(value) == wanted else "", label) for value, label in choices),
    )


@register.simple_tag
def options(choices: Iterable[tuple[Any, Any]], selected: Any = None) -> SafeString:
    return option_tags(choices, selected)
