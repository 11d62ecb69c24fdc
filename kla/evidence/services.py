"""Evidence uploads: inspect, scan (fail closed), store, audit. Replacement keeps history; deletion is reversible."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from kla.core import audit
from kla.core.storage import ScannerUnavailable, save_finished, storage_errors
from kla.evaluations.models import Entry
from kla.evaluations.services import EvaluationClosed, require_writable
from kla.evidence import inspection, scanning
from kla.evidence.holdings import changes_of, holdings_change
from kla.evidence.models import Evidence
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.indicators.models import Question


def scan_or_refuse(path: Path, refused: Callable[[dict[str, str]], object]) -> scanning.ScanResult:
    """Scan a file that passed inspection with the configured clamd, failing closed; shared by every upload.

    Clean, or not scanned where no scanner is configured (development), returns the result. Anything else is
    refused: `refused(after)` records the audit event (the caller's action and object; `after` holds the code
    ``scan_<status>`` and clamd's detail), then `ScannerUnavailable` is raised when clamd gave no verdict (the file
    may be sent again), a `ValidationError` for an infected file or one over the scanner's limits.
    """
    scan = scanning.scan_file(path, address=getattr(settings, "CLAMD_ADDRESS", None) or None)
    if scan.status in (scanning.ScanStatus.CLEAN, scanning.ScanStatus.NOT_SCANNED):
        return scan
    refused({"code": f"scan_{scan.status}", "detail": scan.detail})
    if scan.status == scanning.ScanStatus.ERROR:  # no verdict: held back, and worth another try
        raise ScannerUnavailable(scan.message)  # scan.detail is in the audit event
    raise ValidationError(scan.message, code=f"scan_{scan.status}")


def policy() -> inspection.EvidencePolicy:
    """The evidence policy from settings (EVIDENCE_KINDS, EVIDENCE_LIMITS_MB), on top of the safe defaults."""
    limits = getattr(settings, "EVIDENCE_LIMITS_MB", {})
    base = inspection.DEFAULT_POLICY
    mib = inspection.MiB
    return dataclasses.replace(
        base,
        allowed_kinds=frozenset(getattr(settings, "EVIDENCE_KINDS", base.allowed_kinds)),
        max_pdf_bytes=limits.get("pdf", base.max_pdf_bytes // mib) * mib,
        max_image_bytes=limits.get("image", base.max_image_bytes // mib) * mib,
        max_office_bytes=limits.get("office", base.max_office_bytes // mib) * mib,
        max_video_bytes=limits.get("video", base.max_video_bytes // mib) * mib,
        max_data_bytes=limits.get("data", base.max_data_bytes // mib) * mib,
    )


@dataclass(frozen=True)
class UploadResult:
    evidence: Evidence
    same_file_in_region: list[Evidence]
    warnings: list[str]


def policy_text() -> str:
    return policy().describe()


def quarantine_copy(upload: UploadedFile[Any], directory: Path) -> Path:
    """The upload as a file on disk without loading it in memory (Django already streamed big ones to disk)."""
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path())
    target = directory / "upload.bin"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


def local_if_naive(moment: dt.datetime | None) -> dt.datetime | None:
    """Camera clocks without an EXIF offset are read as local (Asia/Jakarta) time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, timezone.get_default_timezone())


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

    Refusals (type, size, structure, malware) raise ValidationError with the reason the user sees; each refusal is
    audited too. A scanner that gives no verdict raises `kla.core.storage.ScannerUnavailable` (audited as a refusal
    with code ``scan_error``): the file is not kept, but may be sent again. A full or failing disk raises
    `kla.core.storage.StorageUnavailable` (audited as ``kla.evidence.store_failed``): no row and no file, not even
    a partial one, is left.
    """
    now = now or timezone.now()
    # `entry` may have been read before a submission or a return: `require_writable` reads what decides it afresh
    if question.indicator_id != entry.indicator_id:
        raise ValidationError("Pertanyaan ini bukan bagian dari indikator tersebut.")
    if evidence_type not in EVIDENCE_TYPE_LABELS:
        raise ValidationError("Pilih jenis bukti dukung.")
    require_writable(entry, by, now)
    region = entry.evaluation.region_id
    # A full or failing disk (media, or the temporary directory) stores nothing and says so (kla.core.storage).
    with (
        storage_errors(
            action="kla.evidence.store_failed",
            by=by,
            obj=entry,
            region_code=region,
            name=inspection.sanitize_filename(upload.name or ""),
        ),
        tempfile.TemporaryDirectory(prefix="kla-upload-") as tmp,
    ):
        tmpdir = Path(tmp)
        path = quarantine_copy(upload, tmpdir)
        try:
            result = inspection.inspect_file(path, filename=upload.name or "berkas", policy=policy(), clean_dir=tmpdir)
        except inspection.EvidenceRejected as exc:
            audit.record(
                action="kla.evidence.refused",
                by=by,
                obj=entry,
                region_code=region,
                after={"name": inspection.sanitize_filename(upload.name or ""), "code": exc.code},
            )
            raise ValidationError(exc.message, code=exc.code) from None
        scan = scan_or_refuse(
            result.path_to_store,
            lambda after: audit.record(
                action="kla.evidence.refused",
                by=by,
                obj=entry,
                region_code=region,
                after={"name": result.safe_filename, **after},
            ),
        )
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
                captured_at=local_if_naive(result.captured_at),
                metadata_removed=result.metadata_removed,
                scan_status=Evidence.Scan.CLEAN if scan.status == "clean" else Evidence.Scan.NOT_SCANNED,
                scan_detail=scan.detail[:200],
                uploaded_by=by if by is not None else None,
                replaces=replaces,
            )
            save_finished(evidence.file, result.safe_filename, result.path_to_store)
            try:
                evidence.save()
                held = {(evidence.original_sha256, region): 1}
                if replaces is not None:
                    was, its_region = _lock(replaces, "status", "entry__evaluation__region_id")
                    confirmation = Evidence.Confirmation.REPLACED if replaces.carried_from_id else replaces.confirmation
                    Evidence.objects.filter(pk=replaces.pk).update(
                        status=Evidence.Status.REPLACED, confirmation=confirmation
                    )
                    if was == Evidence.Status.ACTIVE:
                        key = (replaces.original_sha256, its_region)
                        held[key] = held.get(key, 0) - 1
                holdings_change(held)
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


def _lock(evidence: Evidence, *fields: str) -> tuple[Any, ...]:
    """Fields of the row as stored now, locked until commit: the holdings counters follow the row's real change even
    when two requests change the same file at once."""
    row: tuple[Any, ...] = (
        Evidence.objects.select_for_update(of=("self",)).filter(pk=evidence.pk).values_list(*fields).get()
    )
    return row


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Any | None, now: dt.datetime | None = None) -> Evidence:
    """Soft delete: the file stays stored and can be restored until the self-assessment closes."""
    now = now or timezone.now()
    require_writable(evidence.entry, by, now)
    (evidence.status,) = _lock(evidence, "status")
    if evidence.status != Evidence.Status.ACTIVE:
        raise ValidationError("Hanya bukti yang aktif yang dapat dihapus.")
    evidence.status = Evidence.Status.DELETED
    evidence.deleted_at, evidence.deleted_by = now, by if by is not None else None
    evidence.save(update_fields=["status", "deleted_at", "deleted_by"])
    holdings_change(changes_of([evidence], evidence.entry.evaluation.region_id, -1))
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
    require_writable(evidence.entry, by, now)
    (evidence.status,) = _lock(evidence, "status")
    if evidence.status != Evidence.Status.DELETED:
        raise ValidationError("Hanya bukti yang dihapus yang dapat dipulihkan.")
    evidence.status = Evidence.Status.ACTIVE
    evidence.deleted_at = evidence.deleted_by = None
    evidence.save(update_fields=["status", "deleted_at", "deleted_by"])
    holdings_change(changes_of([evidence], evidence.entry.evaluation.region_id))
    audit.record(
        action="kla.evidence.restored",
        by=by,
        obj=evidence,
        region_code=evidence.entry.evaluation.region_id,
        after=evidence.audit_view(),
    )
    return evidence


# --- carry-forward ----------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_carry_forward(*, evaluation: Any, by: Any | None) -> int:
    """Bring the region's active evidence of its previous cycle into this evaluation, question by question.

    Carried files share the stored object (nothing is copied) and start as "perlu dikonfirmasi": the agency must
    confirm each as still valid, replace it or withdraw it. Running it again carries nothing twice.
    """
    from kla.accounts import access
    from kla.accounts.roles import Action
    from kla.evaluations.models import Evaluation

    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, evaluation.region_id)
    if not evaluation.is_editable:
        raise EvaluationClosed("Evaluasi ini sudah dikirim.")
    previous = (
        Evaluation.objects.filter(region_id=evaluation.region_id, cycle__year__lte=evaluation.cycle.year)
        .exclude(pk=evaluation.pk)
        .order_by("-cycle__year", "-cycle__opened_at")
        .first()
    )
    if previous is None:
        raise ValidationError("Belum ada evaluasi sebelumnya untuk wilayah ini.")
    entries = {e.indicator.code: e for e in evaluation.entries.select_related("indicator")}
    questions = {
        (q.indicator.code, q.code): q
        for q in Question.objects.filter(indicator__framework=evaluation.cycle.framework).select_related("indicator")
    }
    already = set(
        Evidence.objects.filter(entry__evaluation=evaluation, carried_from__isnull=False).values_list(
            "carried_from_id", flat=True
        )
    )
    carried: list[Evidence] = []
    for old in Evidence.objects.filter(entry__evaluation=previous, status=Evidence.Status.ACTIVE).select_related(
        "entry__indicator", "question"
    ):
        key = (old.entry.indicator.code, old.question.code)
        if old.pk in already or key not in questions or key[0] not in entries:
            continue
        carried.append(
            Evidence(
                entry=entries[key[0]],
                question=questions[key],
                evidence_type=old.evidence_type,
                doc_number=old.doc_number,
                doc_date=old.doc_date,
                issuer=old.issuer,
                period_start=old.period_start,
                period_end=old.period_end,
                description=old.description,
                file=old.file.name,
                original_name=old.original_name,
                kind=old.kind,
                mime=old.mime,
                size=old.size,
                sha256=old.sha256,
                original_sha256=old.original_sha256,
                page_count=old.page_count,
                captured_at=old.captured_at,
                metadata_removed=old.metadata_removed,
                scan_status=old.scan_status,
                scan_detail=old.scan_detail,
                carried_from=old,
                confirmation=Evidence.Confirmation.PENDING,
                uploaded_by=by if by is not None else None,
            )
        )
    Evidence.objects.bulk_create(carried)
    holdings_change(changes_of(carried, evaluation.region_id))
    audit.record(
        action="kla.evidence.carried_forward",
        by=by,
        obj=evaluation,
        region_code=evaluation.region_id,
        after={"from_evaluation": previous.pk, "files": len(carried)},
    )
    return len(carried)


@transaction.atomic
def evidence_confirm(*, evidence: Evidence, decision: str, by: Any | None, now: dt.datetime | None = None) -> Evidence:
    """The agency's answer for a carried file: still valid, or withdrawn (replacing goes through an upload)."""
    now = now or timezone.now()
    require_writable(evidence.entry, by, now)
    evidence.status, evidence.confirmation = _lock(evidence, "status", "confirmation")
    was_active = evidence.status == Evidence.Status.ACTIVE
    if evidence.carried_from_id is None or evidence.confirmation != Evidence.Confirmation.PENDING:
        raise ValidationError("Hanya bukti bawaan siklus sebelumnya yang belum dikonfirmasi yang dapat dikonfirmasi.")
    if decision == "valid":
        evidence.confirmation = Evidence.Confirmation.VALID
    elif decision == "withdrawn":
        evidence.confirmation = Evidence.Confirmation.WITHDRAWN
        evidence.status = Evidence.Status.DELETED
        evidence.deleted_at, evidence.deleted_by = now, by if by is not None else None
    else:
        raise ValidationError("Pilih 'masih berlaku' atau 'ditarik'; untuk mengganti, unggah berkas pengganti.")
    evidence.save(update_fields=["confirmation", "status", "deleted_at", "deleted_by"])
    if was_active and evidence.status != Evidence.Status.ACTIVE:
        holdings_change(changes_of([evidence], evidence.entry.evaluation.region_id, -1))
    audit.record(
        action=f"kla.evidence.confirmed_{decision}",
        by=by,
        obj=evidence,
        region_code=evidence.entry.evaluation.region_id,
        after=evidence.audit_view(),
    )
    return evidence


def pending_confirmations(evaluation: Any) -> int:
    return Evidence.objects.filter(
        entry__evaluation=evaluation, status=Evidence.Status.ACTIVE, confirmation=Evidence.Confirmation.PENDING
    ).count()
