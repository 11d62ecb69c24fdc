"""Evidence stored through the real upload service, for tests of any app that need files on an entry."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from kla.evaluations.models import Entry
from kla.evidence import services
from kla.evidence.models import Evidence


def demo_entry(region: str, number: int = 4) -> Entry:
    """The demo cycle's entry of indicator `number` for the kab/kota `region`."""
    return Entry.objects.select_related("evaluation", "indicator").get(
        evaluation__cycle__code="evaluasi-kla-demo", evaluation__region_id=region, indicator__number=number
    )


def upload(entry: Entry, name: str, data: bytes, *, replaces: Evidence | None = None) -> Evidence:
    """Upload `data` as a report to the entry's first question, as nobody in particular (the service's own checks)."""
    question = entry.indicator.questions.order_by("position").first()
    assert question is not None
    return services.evidence_upload(
        entry=entry,
        question=question,
        upload=SimpleUploadedFile(name, data),
        evidence_type="report",
        meta={},
        by=None,
        replaces=replaces,
    ).evidence
