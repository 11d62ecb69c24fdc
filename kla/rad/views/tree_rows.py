"""A plan tree's rows as the plan and node pages show them, flattened and formatted once in Python.

The recursive `rad/_rows.html` looked up every node's budget per year and source through filters and re-entered
itself per level: on a kab/kota's plan (twenty nodes, five years) that was most of the page's time. Here each row
carries its text ready to print (level, amounts in the page's language, outputs with their targets), so the template
is one flat loop of plain variables (the year cells come built, their text escaped).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import TypedDict

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kla.core.formatting import format_number, format_rupiah
from kla.core.templatetags.formats import language
from kla.indicators.models import Cluster, Indicator
from kla.rad.selectors.plans import NodeView, PlanTree

NODE_URL_MARK = 999_999_999  # reversed once; each row's id takes its place


class TreeRow(TypedDict):
    """A dict, not an object: a template finds a key at its first try (an attribute only after a failed index)."""

    pk: int
    level: str
    code: str
    name: str
    url: str
    agency: str
    arrows: str  # "↳ " per level below the first
    outputs: SafeString  # a <div> per output: "name (unit): 2025: 10; 2026: 12", or "–"
    cells: SafeString  # a <td> per year: the node's own lines (source, amount), then the total when it adds one


def _outputs(view: NodeView, lang: str) -> SafeString:
    out = []
    for o in view.outputs:
        targets = "; ".join(f"{year}: {format_number(value, None, lang=lang)}" for year, value in o.targets.items())
        text = f"{o.output.name} ({o.output.unit}): {targets or gettext('belum ada target')}"
        out.append(f"<div>{escape(text)}</div>")
    return mark_safe("".join(out) or "–")  # noqa: S308 - built from escaped pieces


def _cells(view: NodeView, years: tuple[int, ...], labels: Mapping[str, str], lang: str) -> SafeString:
    """The year cells in one piece (a template loop per year and source was most of the rendering); every text
    escaped here."""
    parts = []
    for year in years:
        own = view.budget.get(year) or {}
        parts.append('<td class="num">')
        for source, amount in own.items():
            label = labels.get(source) or escape(source)  # escaped once per page (`tree_rows`)
            parts.append(f"<div><small>{label}</small> {escape(format_rupiah(amount, lang=lang))}</div>")
        if view.children or not own:
            parts.append(escape(format_rupiah(view.planned(year), lang=lang)))
        parts.append("</td>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped pieces


def _walk(views: list[NodeView], depth: int) -> Iterator[tuple[NodeView, int]]:
    for view in views:
        yield view, depth
        yield from _walk(view.children, depth + 1)


@dataclass(frozen=True, slots=True)
class _Page:
    """What every row of a page shares: read once per page, not once per indicator."""

    node_url: str
    labels: dict[str, str]  # source → its label, escaped
    lang: str


def _page(source_labels: Mapping[str, str]) -> _Page:
    labels = {key: escape(str(label)) for key, label in source_labels.items()}
    return _Page(reverse("rad:node", args=[NODE_URL_MARK]), labels, language())


def _rows(views: list[NodeView], years: tuple[int, ...], page: _Page) -> list[TreeRow]:
    mark = str(NODE_URL_MARK)
    return [
        TreeRow(
            pk=view.node.pk,
            level=str(view.node.get_level_display()),
            code=view.node.code or "–",
            name=view.node.name,
            url=page.node_url.replace(mark, str(view.node.pk)),
            agency=(view.node.agency.short_name if view.node.agency is not None else "") or "–",
            arrows="↳ " * depth,
            outputs=_outputs(view, page.lang),
            cells=_cells(view, years, page.labels, page.lang),
        )
        for view, depth in _walk(views, 0)
    ]


def tree_rows(views: list[NodeView], years: tuple[int, ...], source_labels: Mapping[str, str]) -> list[TreeRow]:
    """`views` and everything below them, depth first, as rows of text."""
    return _rows(views, years, _page(source_labels))


def rows_html(rows: list[TreeRow]) -> SafeString:
    """`rad/_rows.html` of `rows`, built here (the plan page prints one piece per indicator): the same markup."""
    out = []
    for r in rows:
        arrows = f'<span aria-hidden="true">{escape(r["arrows"])}</span>' if r["arrows"] else ""
        out.append(
            f'\n<tr id="simpul-{r["pk"]}">\n  <td>{escape(r["level"])}</td>\n  <td>{escape(r["code"])}</td>\n'
            f'  <td>{arrows}<a href="{escape(r["url"])}">{escape(r["name"])}</a></td>\n'
            f"  <td>{escape(r['agency'])}</td>\n  <td>{r['outputs']}</td>\n  {r['cells']}\n</tr>\n"
        )
    return mark_safe("".join(out) + "\n")  # noqa: S308 - built from escaped pieces


@dataclass(frozen=True, slots=True)
class IndicatorSection:
    indicator: Indicator
    rows: list[TreeRow]

    @property
    def html(self) -> SafeString:
        return rows_html(self.rows)


@dataclass(frozen=True, slots=True)
class ClusterSection:
    cluster: Cluster
    planned: Decimal
    indicators: list[IndicatorSection]


def tree_sections(tree: PlanTree, source_labels: Mapping[str, str]) -> list[ClusterSection]:
    """The plan page's clusters → indicators → rows."""
    page = _page(source_labels)
    return [
        ClusterSection(
            c.cluster,
            c.planned(),
            [IndicatorSection(i.indicator, _rows(i.programmes, tree.years, page)) for i in c.indicators],
        )
        for c in tree.clusters
    ]
