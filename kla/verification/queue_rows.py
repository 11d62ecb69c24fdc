"""The queue's rows as plain dicts with their text ready: region link, cycle, stage, EM score and the progress
column's words, built once in Python, and the table's rows as HTML (`rows_html`).

Fifty rows, each with a `{% url %}`, object attribute look-ups (a template tries an index first and fails on an
object) and two `{% blocktranslate %}` blocks, were most of the queue's time. The words are the same messages
(msgids) the template translated, so both languages read as before.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TypedDict

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from kla.evaluations.models import Evaluation
from kla.verification.queue_progress import QueueProgress, Shown

MARK = 999_999_999  # reversed once; each id takes its place


class QueueRow(TypedDict):
    url: str
    region: str
    cycle: str
    state: str
    em_score: Decimal | None
    shown: str
    decided: int
    total: int
    percent: int
    words: str  # the progress column's text
    returned: str  # "n indikator dikembalikan", or ""


def _words(p: QueueProgress) -> str:
    values = {"decided": p.decided, "total": p.total}
    if p.shown == Shown.QUESTIONS:
        return gettext("%(decided)s/%(total)s pertanyaan diputuskan") % values
    if p.shown == Shown.INDICATORS:
        return gettext("%(decided)s/%(total)s indikator diberi poin lapangan") % values
    if p.shown == Shown.TO_START:
        return gettext("0/%(total)s pertanyaan: belum dimulai") % values
    if p.shown == Shown.CLOSED_AT_GATE:
        return gettext("ditutup: tidak memenuhi ambang batas")
    return gettext("verifikasi selesai")


def queue_rows(evaluations: list[Evaluation], shown: dict[int, QueueProgress]) -> list[QueueRow]:
    url = reverse("verification:evaluation", args=[MARK])
    rows = []
    for e in evaluations:
        p = shown[e.pk]
        n = p.returned_entries
        rows.append(
            QueueRow(
                url=url.replace(str(MARK), str(e.pk)),
                region=e.region.name,
                cycle=e.cycle.name,
                state=e.state_label,
                em_score=e.em_score,
                shown=p.shown.value,
                decided=p.decided,
                total=p.total,
                percent=p.percent,
                words=_words(p),
                returned=ngettext("%(n)s indikator dikembalikan", "%(n)s indikator dikembalikan", n) % {"n": n}
                if n
                else "",
            )
        )
    return rows


def rows_html(rows: list[QueueRow]) -> SafeString:
    """The `<tr>` of each row, as the template printed them (the EM score localized as a template prints a number,
    every text escaped): a template loop of 50 rows with a dozen look-ups each was most of the queue's rendering."""
    out = []
    for r in rows:
        progress = (
            f'<progress max="{r["total"]}" value="{r["decided"]}">{r["percent"]}%</progress>\n      '
            if r["shown"] in (Shown.QUESTIONS, Shown.INDICATORS)
            else ""
        )
        returned = f'<span class="badge warn">{escape(r["returned"])}</span>' if r["returned"] else ""
        score = "—" if r["em_score"] is None else escape(str(localize(r["em_score"])))
        out.append(
            f'  <tr>\n    <td><a href="{escape(r["url"])}">{escape(r["region"])}</a></td>\n'
            f"    <td>{escape(r['cycle'])}</td>\n"
            f'    <td><span class="badge">{escape(str(r["state"]))}</span></td>\n'
            f'    <td class="num">{score}</td>\n'
            f'    <td data-testid="review-progress">{progress}{escape(r["words"])}\n      {returned}</td>\n  </tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
