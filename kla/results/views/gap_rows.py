"""The rows of a kab/kota's gap-to-target table, built once in Python: the template's loop (a condition, three
number filters and a join per indicator) was the larger part of the page's rendering. The same markup as the loop
it replaces, every text escaped here."""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.core.formatting import format_number
from kla.core.templatetags.formats import language, number
from kla.results.targets import TargetGap


def opportunity_rows(gap: TargetGap, covering: Collection[str]) -> SafeString:
    """The `<tr>` of each indicator with points still open (most first), the covering ones marked."""
    lang = language()
    badge = escape(gettext("prioritas"))
    parts = []
    for o in gap.opportunities:
        name, attainable = escape(o.name), escape(format_number(o.attainable, 2, lang=lang))
        if o.code in covering:
            name = f'<strong>{name}</strong> <span class="badge warn">{badge}</span>'
            attainable = f"<strong>{attainable}</strong>"
        agencies = escape(", ".join(o.agencies)) or "—"
        parts.append(
            f"\n  <tr><td>{escape(o.code)}</td>\n"
            f'    <td>{name}<span class="help">{escape(o.cluster)}</span></td>\n'
            f'    <td class="num">{escape(number(o.points, 2))} / {escape(number(o.max_points, "-2"))}</td>\n'
            f'    <td class="num">{attainable}</td>\n'
            f"    <td>{agencies}</td></tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped pieces
