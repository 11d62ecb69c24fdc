"""The rows of the RAD KLA index (the plans in the user's scope) as HTML built once in Python.

The template's loop ran four URL tags, a translation per link and a loop over each plan's versions per row; here
each row is one piece of text with every value escaped. The markup is the template's, row for row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.rad.models import Plan, Version

MARK = 999_999_999  # reversed once; each row's id takes its place
BADGE = {Version.Status.DRAFT.value: " warn", Version.Status.SUPERSEDED.value: " gray"}


def versions_cell(versions: Iterable[Version]) -> str:
    """Each version with its status badge, one per line (escaped)."""
    return "<br>".join(
        f'{escape(str(v))} <span class="badge{BADGE.get(v.status, "")}">{escape(str(v.get_status_display()))}</span>'
        for v in versions
    )


def plan_rows(plans: Sequence[Plan]) -> SafeString:
    """The <tbody> content of the index's table (plans read with their region and versions)."""
    mark = str(MARK)
    plan_url, realisation_url, budget_url = (
        reverse(name, args=[MARK]) for name in ("rad:plan", "rad:realisation", "rad:budget")
    )
    realisation, budget = escape(gettext("Realisasi")), escape(gettext("Anggaran"))
    region_urls: dict[str, str] = {}
    out = []
    for p in plans:
        if p.region_id not in region_urls:
            region_urls[p.region_id] = escape(reverse("rad:region", args=[p.region_id]))
        pk = str(p.pk)
        out.append(
            f'\n  <tr><td><a href="{region_urls[p.region_id]}">{escape(p.region.name)}</a></td>\n'
            f'    <td><a href="{escape(plan_url.replace(mark, pk))}">{escape(p.title)}</a></td>'
            f"<td>{p.start_year}–{p.end_year}</td>\n"
            f"    <td>{versions_cell(p.versions.all())}</td>\n"
            f'    <td><a href="{escape(realisation_url.replace(mark, pk))}">{realisation}</a> · '
            f'<a href="{escape(budget_url.replace(mark, pk))}">{budget}</a></td></tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 - built from escaped pieces
