"""The province page's table of kab/kota (`verification/province.html`), its rows built once in Python.

Each row had a `{% url %}`, a dozen `{% translate %}`, a number filter per score column and nested conditions on the
evaluation's status: with the province's kab/kota that was most of the page's time. Here the same markup comes from
plain strings, every value escaped; the words are the template's msgids, translated once per language.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from kla.core.templatetags.formats import number
from kla.core.wording import escaped_words
from kla.evaluations.models import Evaluation
from kla.results.selectors.scores import VisibleScores
from kla.verification.selectors import ReviewProgress

MARK = 999_999_999  # reversed once; each id takes its place
_WORDS = (
    gettext_noop("Usulkan"),
    gettext_noop("disegel"),
    gettext_noop("belum mengirim evaluasi mandiri"),
    gettext_noop("pertanyaan belum diputuskan"),
    gettext_noop("indikator dikembalikan"),
    gettext_noop("siap diusulkan"),
    gettext_noop("tidak melebihi ambang batas: tutup evaluasi setelah tahap evaluasi mandiri berakhir"),
    gettext_noop("menunggu verifikasi provinsi dimulai"),
    gettext_noop("tidak memenuhi ambang batas, nilai EM"),
)


def _remark(e: Evaluation, p: ReviewProgress, gate: Decimal, w: dict[str, str]) -> str:
    """The "Penghambat" cell: what stands between the kab/kota and the proposal."""
    status = e.status
    if status == Evaluation.Status.DRAFT:
        return w["belum mengirim evaluasi mandiri"]
    if status == Evaluation.Status.PROVINCE_REVIEW:
        pending = f"{p.pending} {w['pertanyaan belum diputuskan']}" if p.pending else ""
        returned = f" · {p.returned_entries} {w['indikator dikembalikan']}" if p.returned_entries else ""
        return pending + returned + (w["siap diusulkan"] if p.complete else "")
    if status == Evaluation.Status.SUBMITTED:
        closing = e.em_score is not None and e.em_score <= gate
        return w[
            "tidak melebihi ambang batas: tutup evaluasi setelah tahap evaluasi mandiri berakhir"
            if closing
            else "menunggu verifikasi provinsi dimulai"
        ]
    if status == Evaluation.Status.BELOW_GATE:
        return f"{w['tidak memenuhi ambang batas, nilai EM']} {escape(number(e.em_score, '2'))}"
    return "—"


def province_rows(
    rows: Sequence[tuple[VisibleScores, ReviewProgress, list[Decimal | None]]], gate: Decimal, can_propose: bool
) -> SafeString:
    """The `<tr>` of each kab/kota: (what the viewer sees of it, its review progress, its score cells)."""
    w = escaped_words(_WORDS)
    url = reverse("verification:evaluation", args=[MARK])
    mark = str(MARK)
    out = []
    for v, p, cells in rows:
        e = v.evaluation
        name = escape(e.region.name)
        check = ""
        if can_propose:
            box = (
                f'<input type="checkbox" name="evaluations" value="{e.pk}" aria-label="{w["Usulkan"]} {name}">'
                if e.status == Evaluation.Status.PROVINCE_REVIEW and p.complete
                else ""
            )
            check = f"<td>{box}</td>"
        scores = "".join(f'<td class="num">{escape(number(s, "2")) if s is not None else ""}</td>' for s in cells)
        predicate = (
            escape(v.predicate.name)
            if v.predicate
            else f'<span class="muted">{w["disegel"]}</span>'
            if v.sealed
            else "—"
        )
        out.append(
            f"  <tr>\n    {check}\n"
            f'    <td><a href="{url.replace(mark, str(e.pk))}">{name}</a></td>\n'
            f'    <td><span class="badge">{escape(str(e.get_status_display()))}</span></td>\n'
            f"    {scores}\n    <td>{predicate}</td>\n    <td>{_remark(e, p, gate, w)}</td>\n  </tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
