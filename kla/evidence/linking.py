"""Attach a file the platform already holds to a question as evidence, by reference (`kla.evidence.sources`).

The new evidence row points at the same stored object as its source (a task force's decree or minutes, later an
activity's photo): nothing is uploaded, copied or scanned again. It keeps where it came from (`source`,
`source_id`, `source_label`), which the entry page shows and carry-forward keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.core import audit
from kla.evaluations.models import Entry
from kla.evaluations.services import lock_entry_for_change
from kla.evidence import sources
from kla.evidence.holdings import changes_of, holdings_change
from kla.evidence.models import Evidence
from kla.indicators.models import Question

if TYPE_CHECKING:
    from kla.accounts.models import User


class SourceNotFound(ValidationError):
    """The file does not exist or belongs to another region (the same answer for both)."""


@transaction.atomic
def evidence_link(
    *,
    entry: Entry,
    question: Question,
    source: str,
    source_id: int,
    by: User | None,
    now: dt.datetime | None = None,
) -> Evidence:
    """Attach the file `source_id` of provider `source` to `question` of `entry`.

    Refused when the entry is closed or the user may not change it (as an upload is), when the file is not one of the
    entry's region, and when the same file is already attached to the question (active)."""
    now = now or timezone.now()
    if question.indicator_id != entry.indicator_id:
        raise ValidationError(gettext("Pertanyaan ini bukan bagian dari indikator tersebut."))
    lock_entry_for_change(entry, by, now)
    region = entry.evaluation.region_id
    provider = sources.provider(source)
    offer = provider.resolve(region_code=region, source_id=source_id) if provider is not None else None
    if offer is None:
        raise SourceNotFound(
            gettext("Berkas tidak ditemukan di catatan wilayah ini. Muat ulang halaman lalu pilih lagi.")
        )
    already = Evidence.objects.filter(
        entry=entry, question=question, source=source, source_id=source_id, status=Evidence.Status.ACTIVE
    ).exists()
    if already:
        raise ValidationError(
            gettext("%(original_name)s sudah dilampirkan pada pertanyaan %(code)s.")
            % {"original_name": offer.file.original_name, "code": question.code}
        )
    evidence = Evidence.objects.create(**_fields(offer), entry=entry, question=question, uploaded_by=by)
    holdings_change(changes_of([evidence], region))
    audit.record(action="kla.evidence.linked", by=by, obj=evidence, region_code=region, after=evidence.audit_view())
    return evidence


def _fields(offer: sources.Offer) -> dict[str, object]:
    f = offer.file
    return {
        "evidence_type": offer.evidence_type,
        "doc_number": offer.doc_number[:120],
        "doc_date": offer.doc_date,
        "issuer": offer.issuer[:200],
        "period_start": offer.period_start,
        "period_end": offer.period_end,
        "description": offer.description[:500],
        "file": f.name,
        "original_name": f.original_name[:160],
        "kind": f.kind,
        "mime": f.mime,
        "size": f.size,
        "sha256": f.sha256,
        "original_sha256": f.original_sha256,
        "page_count": f.page_count,
        "captured_at": f.captured_at,
        "metadata_removed": f.metadata_removed,
        "scan_status": Evidence.Scan.CLEAN if f.scan_clean else Evidence.Scan.NOT_SCANNED,
        "scan_detail": f.scan_detail[:200],
        "source": offer.source,
        "source_id": offer.source_id,
        "source_label": offer.label[:200],
    }


@dataclass(frozen=True)
class OfferedFile:
    offer: sources.Offer
    attached: bool  # already an active evidence file of the question


@dataclass(frozen=True)
class OfferedGroup:
    offers: sources.Offers
    files: list[OfferedFile]


def offered(
    *, region_code: str, questions: Iterable[Question], files: dict[int, list[Evidence]], on: dt.date
) -> dict[int, list[OfferedGroup]]:
    """For each question of an entry that names records: the facts and files offered, each file marked attached or
    not from the question's evidence rows already read (`files`, by question id). The providers' queries only."""
    wanted = [(q.pk, sources.records_of(q.spec)) for q in questions]
    out: dict[int, list[OfferedGroup]] = {}
    for pk, groups in sources.offers_for(region_code=region_code, questions=wanted, on=on).items():
        held = {(f.source, f.source_id) for f in files.get(pk, []) if f.status == Evidence.Status.ACTIVE}
        out[pk] = [OfferedGroup(g, [OfferedFile(o, (o.source, o.source_id) in held) for o in g.files]) for g in groups]
    return out
