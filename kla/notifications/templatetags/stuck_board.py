"""`{% stuck_board_link %}`: the link to the stuck-items board, for those who may open it (the province reviewer and
the ministry's verifiers and administrators); nothing for anyone else. Reads the memberships the request already
loaded (no query of its own)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kla.accounts import access
from kla.notifications.stuck import BOARD_ROLES

register = template.Library()


@register.simple_tag(takes_context=True)
def stuck_board_link(context: dict[str, Any]) -> SafeString | str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not access.has_role(user, *BOARD_ROLES):
        return ""
    return format_html(
        '<p class="stuck-board-link"><a href="{}" data-testid="stuck-board-link">{}</a> · '
        '<span class="muted">{}</span></p>',
        reverse("notifications:stuck"),
        _("Pekerjaan tertahan"),
        _("pekerjaan yang melewati batas layanannya, dengan penanggung jawab dan pengingat sekali klik"),
    )
