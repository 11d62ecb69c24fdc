"""The rows of a region's activity list as HTML built once in Python (the page and its htmx filter answer).

The template's loop ran a URL tag, two date filters, three count filters, the rupiah filter and a loop over the
indicators per row; here each row is one piece of text, every value escaped and formatted by the same core filters
(kla/core/templatetags/formats.py: the active language). The markup is the template's, row for row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.activities import rules
from kla.activities.models import Activity
from kla.core.templatetags import formats

URL_MARK = 999_999_999  # reversed once; each row's id takes its place


def _row(a: Activity, url: str, numbers: list[int]) -> str:
    when = formats.short_date(a.start_date)
    if a.end_date != a.start_date:
        when += f" – {formats.short_date(a.end_date)}"
    agency = (a.agency.short_name or a.agency.name) if a.agency is not None else ""
    place = (a.location.name if a.location is not None else "") or "–"
    indicators = ", ".join(str(n) for n in numbers) or "–"
    reached = rules.reached(a.counts())
    return (
        f"\n  <tr><td>{escape(when)}</td>\n"
        f'    <td><a href="{escape(url)}">{escape(a.title)}</a></td>\n'
        f"    <td>{escape(agency)}</td>\n"
        f"    <td>{escape(place)}</td>\n"
        f"    <td>{escape(indicators)}</td>\n"
        f"    <td>{escape(formats.number(reached.children))}</td><td>{escape(formats.number(reached.adults))}</td>\n"
        f"    <td>{escape(formats.rupiah(a.budget_used))}</td>"
        f"<td>{escape(formats.number(getattr(a, 'file_count', 0)))}</td></tr>\n  "
    )


def activity_rows(activities: Sequence[Activity], numbers: Mapping[int, list[int]]) -> SafeString:
    """The <tbody> content: a row per activity (with its indicators' `numbers`), or the line saying none was
    recorded."""
    if not activities:
        none = escape(gettext("Belum ada kegiatan yang dicatat."))
        return mark_safe(f'\n  <tr><td colspan="9" class="muted">{none}</td></tr>\n  ')  # noqa: S308 - escaped
    url, mark = reverse("activities:detail", args=[URL_MARK]), str(URL_MARK)
    return mark_safe("".join(_row(a, url.replace(mark, str(a.pk)), numbers.get(a.pk, [])) for a in activities))  # noqa: S308 - escaped
