"""Evidence uploads: inspect, scan (fail closed), store, audit. Replacement keeps history; deletion is reversible."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from kla.core import audit
from kla.evaluations.access import can_answer
from kla.evaluations.models import Entry
from kla.evaluations.services import EvaluationClosed, check_self_assessment_open
from kla.evidence import inspection, scanning
from kla.evidence.models import Evidence
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.indicators.models import Question

POLICY = inspection.DEFAULT_POLICY


@dataclass(frozen=True)
class UploadResult:
    evidence: Evidence
    same_file_in_region: list[Evidence]
    warnings: list[str]


def policy_text() -> str:
    return POLICY.describe()


def _quarantine_copy(upload: UploadedFile[Any], directory: Path) -> Path:
    """The upload as a file on disk without loading it in memory (Django already streamed big ones to disk)."""
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path())
    target = directory / "upload.bin"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Camera clocks without an EXIF offset are read as local (Asia/Jakarta) time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, timezone.get_default_timezone())


def _check_can_change(entry: Entry, by: Any | None, now: dt.datetime) -> None:
    if by is not None and not can_answer(by, entry, set(entry.assignments.values_list("agency_id", flat=True))):
        raise PermissionDenied("Indikator ini tidak ditugaskan kepada instansi Anda.")
    check_self_assessment_open(entry.evaluation, now)
    if not entry.is_editable:
        raise EvaluationClosed("Entri ini sudah dikirim; bukti dukung hanya dapat diubah bila entri dikembalikan.")


def evidence_upload(
    *,
    entry: Entry,
    question: Question,
    upload: UploadedFile[Any],
    evidence_type: str,
    meta: dict[str, Any],
    by: Any | None,
    replaces: Evidence | None = None,
    now: dt.datetime | None = None,
) -> UploadResult:
    """Check, scan and store one evidence file for a question. Nothing is stored for a refused file.

    Refusals (type, size, structure, malware, scanner unavailable) raise ValidationError with the reason the user
    sees; each refusal is audited too.
    """
    now = now or timezone.now()
    entry = Entry.objects.select_related("evaluation__cycle", "evaluation__region").get(pk=entry.pk)
    if question.indicator_id != entry.indicator_id:
        raise ValidationError("Pertanyaan ini bukan bagian dari indikator tersebut.")
    if evidence_type not in EVIDENCE_TYPE_LABELS:
        raise ValidationError("Pilih jenis bukti dukung.")
    _check_can_change(entry, by, now)
    region = entry.evaluation.region_id
    with tempfile.TemporaryDirectory(prefix="kla-upload-") as tmp:
        tmpdir = Path(tmp)
        path = _quarantine_copy(upload, tmpdir)
        try:
            result = inspection.inspect_file(path, filename=upload.name or "berkas", policy=POLICY, clean_dir=tmpdir)
        except inspection.EvidenceRejected as exc:
            audit.record(
                action="kla.evidence.refused",
                by=by,
                obj=entry,
                region_code=region,
                after={"name": inspection.sanitize_filename(upload.name or ""), "code": exc.code},
            )
            raise ValidationError(exc.message, code=exc.code) from None
        scan = scanning.scan_file(result.path_to_store, address=getattr(settings, "CLAMD_ADDRESS", None) or None)
        if scan.status not in ("clean", "not_scanned"):
            audit.record(
                action="kla.evidence.refused",
                by=by,
                obj=entry,
                region_code=region,
                after={"name": result.safe_filename, "code": f"scan_{scan.status}", "detail": scan.detail},
            )
            raise ValidationError(scan.message, code=f"scan_{scan.status}")
        with transaction.atomic():
            evidence = Evidence(
                entry=entry,
                question=question,
                evidence_type=evidence_type,
                doc_number=str(meta.get("doc_number", ""))[:120],
                doc_date=meta.get("doc_date"),
                issuer=str(meta.get("issuer", ""))[:200],
                period_start=meta.get("period_start"),
                period_end=meta.get("period_end"),
                description=str(meta.get("description", ""))[:500],
                original_name=result.safe_filename,
                kind=result.kind,
                mime=result.mime,
                size=result.size,
                sha256=result.sha256,
                original_sha256=result.original_sha256,
                page_count=result.page_count,
                captured_at=result.captured_at,
                metadata_removed=result.metadata_removed,
                scan_status=Evidence.Scan.CLEAN if scan.status == "clean" else Evidence.Scan.NOT_SCANNED,
                scan_detail=scan.detail[:200],
                uploaded_by=by if by is not None else None,
                replaces=replaces,
            )
            with result.path_to_store.open("rb") as fh:
                evidence.file.save(result.safe_filename, File(fh), save=False)
            try:
                evidence.save()
                if replaces is not None:
                    Evidence.objects.filter(pk=replaces.pk).update(status=Evidence.Status.REPLACED)
                audit.record(
                    action="kla.evidence.replaced" if replaces else "kla.evidence.uploaded",
                    by=by,
                    obj=evidence,
                    region_code=region,
                    before=replaces.audit_view() if replaces else None,
                    after=evidence.audit_view(),
                )
            except Exception:
                evidence.file.delete(save=False)  # never leave an orphan file behind a failed insert
                raise
    same = list(
        Evidence.objects.filter(
            entry__evaluation__region_id=region, original_sha256=result.original_sha256, status=Evidence.Status.ACTIVE
        )
        .exclude(pk=evidence.pk)
        .select_related("entry__indicator", "question")
    )
    return UploadResult(evidence=evidence, same_file_in_region=same, warnings=list(result.warnings))


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Any | None, now: dt.datetime | None = None) -> Evidence:
    """Soft delete: the file stays stored and can be restored until the self-assessment closes."""
    now = now or timezone.now()
    _check_can_change(evidence.entry, by, now)
    if evidence.status != Evidence.Status.ACTIVE:
        raise ValidationError("Hanya bukti yang aktif yang dapat dihapus.")
    evidence.status = Evidence.Status.DELETED
    evidence.deleted_at, evidence.deleted_by = now, by if by is not None else None
    evidence.save(update_fields=["status", "deleted_at", "deleted_by"])
    audit.record(
        action="kla.evidence.deleted",
        by=by,
        obj=evidence,
        region_code=evidence.entry.evaluation.region_id,
        after=evidence.audit_view(),
    )
    return evidence


@transaction.atomic
def evidence_restore(*, evidence: Evidence, by: Any | None, now: dt.datetime | None = None) -> Evidence:
    now = now or timezone.now()
    _check_can_change(evidence.entry, by, now)
    if evidence.status != Evidence.Status.DELETED:
        raise ValidationError("Hanya bukti yang dihapus yang dapat dipulihkan.")
    evidence.status = Evidence.Status.ACTIVE
    evidence.deleted_at = evidence.deleted_by = None
    evidence.save(update_fields=["status", "deleted_at", "deleted_by"])
    audit.record(
        action="kla.evidence.restored",
        by=by,
        obj=evidence,
        region_code=evidence.entry.evaluation.region_id,
        after=evidence.audit_view(),
    )
    return evidence
