"""What a list of evidence files shows about each file, and the question's required evidence with a tick.

`{% file_facts f %}` (type, size, pages, document number, date, issuer, period, description, scan status and the
inspection's warnings) is shared by the entry page's evidence block and the verification page, so a verifier sees
the same facts everywhere; numbers and dates go through `kla.core.formatting` in the page's language. Neither tag
queries the database: both read the rows the view already has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kla.core import formatting
from kla.evidence.models import Evidence
from kla.evidence.requirements import first_missing, requirements
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _type_label(code: str, lang: str) -> str:
    pair = EVIDENCE_TYPE_LABELS.get(code)
    return pair[1 if lang == "en" else 0] if pair else code


def _date(value: dt.date | None, lang: str) -> str:
    return formatting.format_date_short(value, lang=lang) if value else ""


def period_text(start: dt.date | None, end: dt.date | None, lang: str) -> str:
    """ "1 Jan 2024 – 31 Des 2024", "sejak 1 Jan 2024", "sampai 31 Des 2024", or nothing."""
    if start and end:
        return f"{_date(start, lang)} – {_date(end, lang)}"
    if start:
        return _("sejak %(date)s") % {"date": _date(start, lang)}
    if end:
        return _("sampai %(date)s") % {"date": _date(end, lang)}
    return ""


def facts_of(f: Evidence, lang: str) -> list[str]:
    """The file's metadata as short phrases, in the order a verifier checks them."""
    facts = [_type_label(f.evidence_type, lang), formatting.format_size(f.size, lang=lang)]
    if f.page_count:
        n = f.page_count
        facts.append(ngettext("%(n)s hlm.", "%(n)s hlm.", n) % {"n": formatting.format_count(n, lang=lang)})
    if f.doc_number:
        facts.append(_("nomor %(number)s") % {"number": f.doc_number})
    if f.doc_date:
        facts.append(_("tanggal %(date)s") % {"date": _date(f.doc_date, lang)})
    if f.issuer:
        facts.append(_("penerbit %(issuer)s") % {"issuer": f.issuer})
    period = period_text(f.period_start, f.period_end, lang)
    if period:
        facts.append(_("periode %(period)s") % {"period": period})
    return facts


@register.inclusion_tag("evidence/_file_facts.html")
def file_facts(f: Evidence) -> dict[str, Any]:
    lang = _lang()
    return {
        "facts": facts_of(f, lang),
        "description": f.description,
        "not_scanned": f.scan_status == Evidence.Scan.NOT_SCANNED,
        "warnings": f.warnings_text,
        "deleted": f.status == Evidence.Status.DELETED,
    }


@dataclass(frozen=True)
class RequiredItem:
    label: str  # the evidence type, in the page's language
    text: str  # what the instrument asks for
    attached: bool


@dataclass(frozen=True)
class RequiredEvidence:
    items: list[RequiredItem]
    suggested: str  # the type the upload form preselects: the first one still missing

    @property
    def missing(self) -> int:
        return sum(not i.attached for i in self.items)


def attached_types(files: Iterable[Evidence]) -> set[str]:
    return {f.evidence_type for f in files if f.status == Evidence.Status.ACTIVE}


@register.simple_tag
def required_evidence(question: Any, files: Iterable[Evidence] | None) -> RequiredEvidence:
    """The question's required evidence (from `question.spec`), each ticked when one of `files` (the question's rows
    the view read: uploaded or attached by reference) is active and of its type."""
    spec: Mapping[str, Any] = question.spec if isinstance(question.spec, Mapping) else {}
    held = attached_types(files or [])
    lang = _lang()
    items = [
        RequiredItem(
            label=_type_label(r.type, lang),
            text=(r.description_en if lang == "en" and r.description_en else r.description),
            attached=r.attached,
        )
        for r in requirements(spec, held)
    ]
    return RequiredEvidence(items=items, suggested=first_missing(spec, held))
