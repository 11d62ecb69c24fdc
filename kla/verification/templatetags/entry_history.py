"""``{% entry_history_link entry %}``: the link to an entry's history, for those who may read it (nothing otherwise,
so an operator never follows a link to a page that answers 404)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kla.evaluations.models import Entry
from kla.verification.history import may_read

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_history_link(context: dict[str, Any], entry: Entry) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_read(user, entry):
        return SafeString("")
    return format_html(
        '<p><a href="{}">{}</a></p>',
        reverse("verification:entry_history", args=[entry.pk]),
        _("Riwayat perubahan indikator ini"),
    )
