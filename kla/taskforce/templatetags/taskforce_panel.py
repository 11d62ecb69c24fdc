"""`{% due_rows panel can_complete %}`: the rows of the follow-ups panel (`taskforce/_due_panel.html`) as HTML built
once in Python, the markup the template loop printed (owner, description cut at 160 characters, due date, days late
or left, the meeting's link) without a `{% with %}`, filters, plural translations and a `{% url %}` per row."""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from kla.core.templatetags.formats import number, short_date
from kla.taskforce.due import DuePanel

register = template.Library()
MARK = "999999999"


@register.simple_tag
def due_rows(panel: DuePanel, can_complete: object = False) -> SafeString:
    meeting = escape(reverse("taskforce:meeting", args=[MARK]))
    due_today, record_it = gettext("Jatuh tempo hari ini"), gettext("Catat selesai di halaman rapat.")
    today = f'<span class="badge">{escape(due_today)}</span>\n      '
    hint = f'<br><span class="muted">{escape(record_it)}</span>' if can_complete else ""
    out = []
    for row in panel.rows:
        f = row.follow_up
        if row.days_late:
            late = ngettext("Terlambat %(n)s hari", "Terlambat %(n)s hari", row.days_late)
            state = f'<span class="badge warn">{escape(late % {"n": number(row.days_late)})}</span>\n      '
        elif row.days_left == 0:
            state = today
        else:
            left = ngettext("%(n)s hari lagi", "%(n)s hari lagi", row.days_left)
            state = f'<span class="badge gray">{escape(left % {"n": number(row.days_left)})}</span>'
        out.append(
            f"\n  <tr><td>{escape(f.owner.short_name)}</td>\n"
            f"    <td>{escape(truncatechars(f.description, 160))}</td>\n"
            f"    <td>{escape(short_date(f.due_date))}</td>\n"
            f"    <td>{state}</td>\n"
            f'    <td><a href="{meeting.replace(MARK, str(f.meeting_id))}#tl-{f.pk}">{escape(f.meeting.title)}</a>'
            f"{hint}</td></tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - built from escaped pieces
