"""The year's realisation table as rows of text: each activity with its quarters built once in Python.

Four quarters per activity, each with an amount, a badge, file links and a record link, looked up through filters
and `{% url %}` per cell, were most of the page's time; here the cells come escaped and ready (as the plan tree's
rows in tree_rows.py), and the template prints one dict per row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape
from typing import TypedDict

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from kla.core.formatting import format_rupiah
from kla.core.templatetags.formats import language
from kla.rad import rules
from kla.rad.selectors.plans import NodeView
from kla.rad.selectors.realisation import QuarterSummary

MARK = 999_999_999  # reversed once; each id takes its place
ZERO = Decimal("0.00")


class Line(TypedDict):
    """A dict: a template finds a key at its first try (an attribute only after a failed index)."""

    code: str
    name: str
    url: str
    agency: str
    planned: str
    cells: SafeString  # a <td> per quarter
    spent: str


class _Urls:
    def __init__(self) -> None:
        self.node = reverse("rad:node", args=[MARK])
        self.file = reverse("rad:realisation_file", args=[MARK])
        self.record = reverse("rad:realisation_record", args=[MARK])

    @staticmethod
    def of(pattern: str, pk: int) -> str:
        return pattern.replace(str(MARK), str(pk))


def _cell(summary: QuarterSummary | None, files: list[tuple[str, str]], is_open: bool, link: str, lang: str) -> str:
    """One quarter: what was spent (with the overspend badge and the files), "not yet recorded", or a dash; then the
    record link when it can be recorded."""
    parts = ['<td class="num">']
    if summary is not None:
        parts.append(escape(format_rupiah(summary.spent, lang=lang)))
        if summary.explanation:
            badge = escape(gettext("melebihi rencana"))
            parts.append(f' <span class="badge warn" title="{escape(summary.explanation)}">{badge}</span>')
        title = escape(gettext("Unduh bukti realisasi"))
        for url, name in files:
            short = escape(Truncator(name).chars(24))
            parts.append(f'<br><small><a href="{escape(url)}" title="{title}">{short}</a></small>')
    elif is_open:
        parts.append(f'<span class="muted">{escape(gettext("belum dicatat"))}</span>')
    else:
        parts.append("–")
    if link:
        label = gettext("Ubah") if summary is not None else gettext("Catat")
        parts.append(f'\n      <br><a href="{escape(link)}">{escape(label)}</a>')
    parts.append("</td>")
    return "".join(parts)


def lines(
    leaves: list[NodeView],
    table: dict[str, dict[int, QuarterSummary]],
    *,
    year: int,
    today: dt.date,
    can_record: bool,
) -> list[Line]:
    """A row per activity in `leaves` with its planned amount for `year`, its quarters and what was spent."""
    urls, lang = _Urls(), language()
    opened = {q: today >= rules.quarter_start(year, q) for q in rules.QUARTERS}
    out: list[Line] = []
    for view in leaves:
        node = view.node
        recorded = table.get(str(node.key), {})
        record = urls.of(urls.record, node.pk)
        cells = []
        for q in rules.QUARTERS:
            summary = recorded.get(q)
            files = [(urls.of(urls.file, pk), name) for pk, name in summary.files] if summary is not None else []
            link = f"{record}?tahun={year}&triwulan={q}" if opened[q] and can_record else ""
            cells.append(_cell(summary, files, opened[q], link, lang))
        out.append(
            Line(
                code=node.code or "–",
                name=node.name,
                url=urls.of(urls.node, node.pk),
                agency=(node.agency.short_name if node.agency is not None else "") or "–",
                planned=format_rupiah(view.planned(year), lang=lang),
                cells=mark_safe("".join(cells)),  # noqa: S308 - built from escaped pieces
                spent=format_rupiah(sum((s.spent for s in recorded.values()), ZERO), lang=lang),
            )
        )
    return out
