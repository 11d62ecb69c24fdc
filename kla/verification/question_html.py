"""One question of the entry review page as HTML, built in Python: the full page prints one per question and the
verdict's htmx answer sends one back.

The template did this with a `{% url %}` per file and form, an inclusion tag per file (`evidence/_file_facts.html`),
an include per question (`evidence/_required.html`), a dozen `{% translate %}` and a nested loop over the stages
and verdicts: most of the page's time. Here the same markup comes from plain strings, every value escaped; the words
are the same messages (msgids) the templates translated, so both languages read as before. The facts of a file and
the required evidence come from the evidence app's own functions (`file_facts`, `required_evidence`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop, ngettext

from kla.core.templatetags.formats import number, short_datetime
from kla.core.wording import escaped_words
from kla.evaluations.explanations import explanation
from kla.evaluations.models import Answer
from kla.evidence.models import Evidence
from kla.evidence.templatetags.evidence_files import RequiredEvidence, file_facts, required_evidence
from kla.indicators.models import Question
from kla.indicators.templatetags.instrument import answer_type_label
from kla.verification.models import Verdict

MARK = 999_999_999  # reversed once; each id takes its place
# The section's fixed words (the templates' msgids), translated and escaped once per language.
_WORDS = (
    gettext_noop("poin maksimum"),
    gettext_noop("Bukti dukung"),
    gettext_noop("Belum dijawab."),
    gettext_noop("Jawaban"),
    gettext_noop("Penjelasan kabupaten/kota"),
    gettext_noop("lengkap"),
    gettext_noop("Bukti dukung wajib"),
    gettext_noop("Sudah dilampirkan"),
    gettext_noop("Belum dilampirkan"),
    gettext_noop("belum ada"),
    gettext_noop("Dari"),
    gettext_noop("berkas sama dipakai"),
    gettext_noop("Tidak ada berkas."),
    gettext_noop("dihapus"),
    gettext_noop("Pemindai antivirus tidak aktif saat berkas diunggah."),
    gettext_noop("Belum dipindai antivirus"),
    gettext_noop("Dipindai: bersih"),
    gettext_noop("Keterangan"),
    gettext_noop("poin"),
    gettext_noop("Keputusan tersimpan."),
    gettext_noop("Keputusan"),
    gettext_noop("Poin koreksi (bila dikoreksi)"),
    gettext_noop("Alasan (wajib bila dikoreksi atau dikembalikan)"),
    gettext_noop("Simpan keputusan"),
)


def _words() -> dict[str, str]:
    return escaped_words(_WORDS)


@dataclass(frozen=True)
class Frame:
    """What every question of one page shares: who may decide, the stages the viewer may see, the CSRF token, and
    for a refused verdict what was posted and why."""

    entry_pk: int
    can_review: bool
    stage: Verdict.Stage | None
    stages: Sequence[tuple[str, Any]]  # (stage, label) of the verdicts the viewer may see, in order
    csrf_token: str
    posted: Mapping[str, str] | None = None
    error: str = ""
    saved: bool = False


def _e(value: object) -> str:
    return escape(str(value))


def _urls(entry_pk: int) -> tuple[str, str]:
    download = reverse("evidence:download", args=[MARK])
    verdict = reverse("verification:verdict", args=[entry_pk, MARK])
    return download, verdict


def question_html(
    frame: Frame, q: Question, a: Answer | None, files: list[Evidence], verdicts: dict[str, Verdict]
) -> SafeString:
    download, verdict_url = _urls(frame.entry_pk)
    return _section(frame, q, a, files, verdicts, download, verdict_url.replace(str(MARK), str(q.pk)))


def questions_html(
    frame: Frame, items: Sequence[tuple[Question, Answer | None, list[Evidence], dict[str, Verdict]]]
) -> list[SafeString]:
    download, verdict_url = _urls(frame.entry_pk)
    mark = str(MARK)
    return [_section(frame, q, a, f, v, download, verdict_url.replace(mark, str(q.pk))) for q, a, f, v in items]


def _section(
    frame: Frame,
    q: Question,
    a: Answer | None,
    files: list[Evidence],
    verdicts: dict[str, Verdict],
    download: str,
    verdict_url: str,
) -> SafeString:
    w = _words()
    out = [
        f'<section id="q-{q.pk}" class="card question{" has-problem" if frame.error else ""}">\n',
        f'  <h2 class="evidence-title"><strong>{_e(q.code)}</strong> {_e(q.display_text)}</h2>\n',
        f'  <p class="help">{_e(answer_type_label(q.answer_type))} · {w["poin maksimum"]} '
        f"{_e(number(q.max_points, '-2'))}</p>\n",
        _answer(a),
        '  <div class="evidence">\n',
        f"    <strong>{w['Bukti dukung']}</strong>\n",
        _required(required_evidence(q, files)),
        _files(files, download),
        "  </div>\n",
        _verdicts(frame, verdicts),
    ]
    if frame.can_review:
        out.append(_form(frame, q, verdict_url))
    out.append("</section>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _answer(a: Answer | None) -> str:
    w = _words()
    if a is None or not a.answered:
        return f'  <p class="muted">{w["Belum dijawab."]}</p>\n'
    out = [f"    <p><strong>{w['Jawaban']}:</strong> {_e(explanation(a.explanation or ''))}</p>\n"]
    if a.justification:
        out.append(f"    <p><strong>{w['Penjelasan kabupaten/kota']}:</strong> {_e(a.justification)}</p>\n")
    if a.warnings:
        badges = "".join(
            f'<span class="badge warn">{_e(w.get("message", "") if isinstance(w, dict) else "")}</span> '
            for w in a.warnings
        )
        out.append(f"    <p>{badges}</p>\n")
    return "".join(out)


def _required(required: RequiredEvidence) -> str:
    """`evidence/_required.html`."""
    w = _words()
    if not required.items:
        return ""
    missing = required.missing
    if missing:
        state = ngettext("%(n)s belum dilampirkan", "%(n)s belum dilampirkan", missing) % {"n": missing}
        badge = f' <span class="badge warn">{_e(state)}</span>'
    else:
        badge = f' <span class="badge">{w["lengkap"]}</span>'
    out = [
        '<div class="required-evidence">\n',
        f"  <p><strong>{w['Bukti dukung wajib']}</strong>{badge}</p>\n",
        '  <ul class="evidence-list">\n',
    ]
    done = f'<span aria-hidden="true">✓</span> <span class="visually-hidden">{w["Sudah dilampirkan"]}:</span>'
    todo = f'<span aria-hidden="true">○</span> <span class="visually-hidden">{w["Belum dilampirkan"]}:</span>'
    absent = f' <span class="badge warn">{w["belum ada"]}</span>'
    for r in required.items:
        out.append(
            f"    <li>{done if r.attached else todo}\n"
            f"      <strong>{_e(r.label)}</strong>: {_e(r.text)}{'' if r.attached else absent}</li>\n"
        )
    out.append("  </ul>\n</div>\n")
    return "".join(out)


def _files(files: list[Evidence], download: str) -> str:
    w = _words()
    out = ['    <ul class="evidence-list">\n']
    mark = str(MARK)
    for f in files:
        url = download.replace(mark, str(f.pk))
        name = _e(f.original_name)
        shown = f.kind in ("pdf", "image")
        thumb = (
            f'<a href="{url}?inline=1" target="_blank" rel="noopener"><img src="{url}?inline=1" alt="{name}" '
            f'class="thumb" loading="lazy"></a>'
            if f.kind == "image"
            else ""
        )
        link = (
            f'<a href="{url}?inline=1" target="_blank" rel="noopener">{name}</a>'
            if shown
            else f'<a href="{url}" >{name}</a>'
        )
        source = f' <span class="badge">{w["Dari"]}: {_e(f.source_label)}</span>' if f.source_label else ""
        regions: list[str] = getattr(f, "duplicate_regions", None) or []
        same = (
            f'<span class="badge warn">{w["berkas sama dipakai"]}: {", ".join(_e(r) for r in regions)}</span>'
            if regions
            else ""
        )
        out.append(f"      <li>{thumb}\n        {link}\n        {_facts(f)}{source}\n        {same}</li>\n")
    if not files:
        out.append(f'    <li class="muted">{w["Tidak ada berkas."]}</li>')
    out.append("    </ul>\n")
    return "".join(out)


def _facts(f: Evidence) -> str:
    """`evidence/_file_facts.html` (`{% file_facts f %}`)."""
    w = _words()
    facts = file_facts(f)
    deleted = f" · {w['dihapus']}" if facts["deleted"] else ""
    out = [f'<small class="muted file-facts">{" · ".join(_e(x) for x in facts["facts"])}{deleted}</small>\n']
    if facts["not_scanned"]:
        title = w["Pemindai antivirus tidak aktif saat berkas diunggah."]
        out.append(f'<span class="badge warn" title="{title}">{w["Belum dipindai antivirus"]}</span>\n')
    else:
        out.append(f'<span class="badge gray">{w["Dipindai: bersih"]}</span>\n')
    if facts["description"]:
        out.append(f"<br><small>{w['Keterangan']}: {_e(facts['description'])}</small>\n")
    out.extend(f'<p class="message warning evidence-warning">{_e(w)}</p>' for w in facts["warnings"])
    return "".join(out)


def _verdicts(frame: Frame, verdicts: dict[str, Verdict]) -> str:
    """The verdicts of the stages the viewer may see (`frame.stages`), in the stages' order."""
    w = _words()
    out = []
    for stage, label in frame.stages:
        v = verdicts.get(stage)
        if v is None:
            continue
        colour = "warn" if v.decision == "returned" else "" if v.decision == "corrected" else "gray"
        points = f" · {_e(number(v.points, '-2'))} {w['poin']}" if v.points is not None else ""
        reason = f"<span>{_e(v.reason)}</span>" if v.reason else ""
        out.append(
            f'  <p class="verdict"><span class="badge {colour}">{_e(label)}: {_e(v.get_decision_display())}'
            f"{points}</span>\n"
            f'    {reason} <span class="muted">{_e(v.decided_by)} · {_e(short_datetime(v.decided_at))}</span></p>\n'
        )
    return "".join(out)


def _form(frame: Frame, q: Question, url: str) -> str:
    w = _words()
    posted = frame.posted
    chosen = posted.get("decision") if posted is not None else None
    choices = "".join(
        f'<label class="choice"><input type="radio" name="decision" value="{_e(value)}" '
        f"{'checked' if chosen == value else ''}> {_e(label)}</label>"
        for value, label in Verdict.Decision.choices
    )
    stage_label = _e(frame.stage.label) if frame.stage is not None else ""
    points = _e(posted.get("points", "")) if posted is not None else ""
    reason = _e(posted.get("reason", "")) if posted is not None else ""
    error = f'    <p class="errorlist nonfield" role="alert">{_e(frame.error)}</p>\n' if frame.error else ""
    saved = (
        f'    <p class="save-state" data-state="saved" role="status">{w["Keputusan tersimpan."]}</p>\n'
        if frame.saved
        else ""
    )
    return (
        f'  <form method="post" action="{url}" hx-post="{url}" hx-target="#q-{q.pk}" hx-swap="outerHTML" '
        'class="stacked verdict-form">\n'
        f'    <input type="hidden" name="csrfmiddlewaretoken" value="{_e(frame.csrf_token)}">\n'
        f"    <fieldset><legend>{w['Keputusan']} ({stage_label})</legend>\n"
        f"      {choices}\n"
        "    </fieldset>\n"
        f'    <label for="points-{q.pk}">{w["Poin koreksi (bila dikoreksi)"]}</label>\n'
        f'    <input id="points-{q.pk}" type="text" inputmode="decimal" name="points" value="{points}" '
        'autocomplete="off">\n'
        f'    <label for="reason-{q.pk}">{w["Alasan (wajib bila dikoreksi atau dikembalikan)"]}</label>\n'
        f'    <textarea id="reason-{q.pk}" name="reason" rows="2" maxlength="2000">{reason}</textarea>\n'
        f"{error}{saved}"
        f'    <button type="submit" class="small">{w["Simpan keputusan"]}</button>\n'
        "  </form>\n"
    )
