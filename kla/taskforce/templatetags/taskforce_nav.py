"""`{% taskforce_nav region %}`: the task-force pages' breadcrumbs (the region's task force, its meetings, its
follow-ups) built in Python, the markup the `_nav.html` include printed without an include, three `{% url %}` and
four `{% translate %}` on every page."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.regions.models import Region

register = template.Library()


@register.simple_tag
def taskforce_nav(region: Region) -> SafeString:
    args = [region.code]
    home = escape(reverse("taskforce:region", args=args))
    meetings = escape(reverse("taskforce:meetings", args=args))
    follow_ups = escape(reverse("taskforce:follow_ups", args=args))
    menu = gettext("Menu Gugus Tugas")
    return mark_safe(  # noqa: S308 - built from escaped pieces
        f'<nav aria-label="{escape(menu)}" class="breadcrumbs"><ol>\n'
        f'  <li><a href="{home}">{escape(gettext("Gugus Tugas"))} {escape(region.name)}</a></li>\n'
        f'  <li><a href="{meetings}">{escape(gettext("Rapat koordinasi"))}</a></li>\n'
        f'  <li><a href="{follow_ups}">{escape(gettext("Tindak lanjut"))}</a></li>\n'
        "</ol></nav>\n"
    )
