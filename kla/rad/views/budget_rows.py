"""The budget page's breakdown tables (per agency, source, cluster, indicator) as rows of HTML built once in Python.

The template looped over every row with a filter per amount (the rupiah format in the page's language) inside an
`{% include %}` per table; here each table's body is one piece of text, every label escaped, the amounts formatted
as the `rupiah` filter formats them. The markup is the template's, row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.core.formatting import format_rupiah
from kla.core.templatetags.formats import language
from kla.rad.analytics import Breakdown, Row


def _body(rows: Sequence[Row], lang: str) -> SafeString:
    if not rows:
        empty = escape(gettext("Belum ada anggaran pada tahun ini."))
        return mark_safe(f'<tr><td colspan="3" class="muted">{empty}</td></tr>')  # noqa: S308 - escaped
    return mark_safe(  # noqa: S308 - built from escaped pieces
        "".join(
            f'<tr><td>{escape(str(r.ref.label))}</td><td class="num">{escape(format_rupiah(r.planned, lang=lang))}'
            f'</td><td class="num">{escape(format_rupiah(r.realised, lang=lang))}</td></tr>\n  '
            for r in rows
        )
    )


def breakdown_bodies(b: Breakdown) -> dict[str, SafeString]:
    """The <tbody> content of each breakdown table, by the breakdown's name."""
    lang = language()
    return {
        "agency": _body(b.by_agency, lang),
        "source": _body(b.by_source, lang),
        "cluster": _body(b.by_cluster, lang),
        "indicator": _body(b.by_indicator, lang),
    }
