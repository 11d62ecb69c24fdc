"""The registry page's rows of active agencies as HTML built once in Python: the markup the template printed,
without a template loop of two `{% url %}` and two `{% translate %}` per agency. Every text is escaped here; each
link is reversed once with a mark that the agency's id replaces."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.agencies.models import Agency

MARK = "999999999"


def active_rows(agencies: list[Agency], *, can_manage: bool) -> SafeString:
    """One row per agency: short name, full name, group, and for a manager the edit and deactivate links."""
    edit, deactivate = (
        escape(reverse("agencies:edit", args=[MARK])),
        escape(reverse("agencies:deactivate", args=[MARK])),
    )
    change, off = escape(gettext("Ubah")), escape(gettext("Nonaktifkan"))
    out = []
    for a in agencies:
        pk = str(a.pk)
        out.append(
            f'    <tr id="instansi-{pk}"><td>{escape(a.short_name)}</td><td>{escape(a.name)}</td>'
            f"<td>{escape(str(a.group_label))}</td>\n      "
        )
        if can_manage:
            out.append(
                f'<td><a href="{edit.replace(MARK, pk)}">{change}</a> · '
                f'<a href="{deactivate.replace(MARK, pk)}">{off}</a></td>'
            )
        out.append("</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 - built from escaped pieces
