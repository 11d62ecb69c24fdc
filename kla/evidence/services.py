"""Evidence writes: upload (through the one intake), delete and restore, carry-forward and its confirmation.

Replacement keeps history; deletion is reversible until the self-assessment closes. Every write is atomic and audited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kla.accounts import access
from kla.accounts.roles import Action
from kla.core import audit
from kla.core.marking import dumps
from kla.core.wording import say
from kla.evaluations.models import Entry, Evaluation
from kla.evaluations.services import EvaluationClosed, lock_entry_for_change
from kla.evidence import inspection, intake, selectors
from kla.evidence.holdings import changes_of, holdings_change
from kla.evidence.models import Evidence
from kla.indicators.framework_schema import EVIDENCE_TYPE_LABELS
from kla.indicators.models import Question

if TYPE_CHECKING:
    from kla.accounts.models import User


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


def policy_text() -> str:
    """The accepted types and limits, in the reader's language."""
    return say(policy().describe())


@dataclass(frozen=True)
class UploadResult:
    evidence: Evidence
    same_file_in_region: list[Evidence]
    warnings: list[str]


def evidence_upload(
    *,
    entry: Entry,
    question: Question,
    upload: UploadedFile[Any],
    evidence_type: str,
    meta: dict[str, Any],
    by: User | None,
    replaces: Evidence | None = None,
    now: dt.datetime | None = None,
) -> UploadResult:
    """Check, scan and store one evidence file for a question, through `kla.evidence.intake`.

    Refusals (type, size, structure, malware, an entry closed while the file was scanned) raise ValidationError with
    the reason the user sees; each refusal is audited (``kla.evidence.refused``) and stores nothing. A scanner that
    gives no verdict raises `kla.core.storage.ScannerUnavailable` (audited as a refusal with code ``scan_error``): the
    file is not kept, but may be sent again. A full or failing disk raises `kla.core.storage.StorageUnavailable`
    (audited as ``kla.evidence.store_failed``): no row and no file, not even a partial one, is left.
    """
    now = now or timezone.now()
    if question.indicator_id != entry.indicator_id:
        raise ValidationError(gettext("Pertanyaan ini bukan bagian dari indikator tersebut."))
    if evidence_type not in EVIDENCE_TYPE_LABELS:
        raise ValidationError(gettext("Pilih jenis bukti dukung."))
    region = entry.evaluation.region_id
    received = intake.receive(
        upload=upload,
        # `entry` may have been read before a submission or a return: the check reads what decides it afresh
        target=intake.Target(
            obj=entry,
            region_code=region,
            policy=policy(),
            refused_event="kla.evidence.refused",
            store_failed_event="kla.evidence.store_failed",
            still_writable=lambda: lock_entry_for_change(entry, by, now),
        ),
        by=by,
        build=lambda accepted: _new_evidence(entry, question, evidence_type, meta, accepted, by=by, replaces=replaces),
        record=lambda evidence, _accepted: _record_upload(evidence, replaces, by=by),
    )
    return UploadResult(
        evidence=received.row,
        same_file_in_region=selectors.same_file_in_region(received.row),
        warnings=received.row.warnings_text,
    )


def _new_evidence(
    entry: Entry,
    question: Question,
    evidence_type: str,
    meta: dict[str, Any],
    accepted: intake.Accepted,
    *,
    by: User | None,
    replaces: Evidence | None,
) -> Evidence:
    result = accepted.inspection
    return Evidence(
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
        captured_at=accepted.captured_at,
        metadata_removed=result.metadata_removed,
        scan_status=Evidence.Scan.CLEAN if accepted.scan.is_clean else Evidence.Scan.NOT_SCANNED,
        scan_detail=accepted.scan.detail[:200],
        warnings=[dumps(w) for w in result.warnings],  # said in the reader's language (`Evidence.warnings_text`)
        uploaded_by=by,
        replaces=replaces,
    )


def _record_upload(evidence: Evidence, replaces: Evidence | None, *, by: User | None) -> None:
    """The replaced version steps aside, the region's file counters follow, and the upload is audited."""
    region = evidence.entry.evaluation.region_id
    held = {(evidence.original_sha256, region): 1}
    if replaces is not None:
        was, its_region = _lock(replaces, "status", "entry__evaluation__region_id")
        confirmation = Evidence.Confirmation.REPLACED if replaces.carried_from_id else replaces.confirmation
        Evidence.objects.filter(pk=replaces.pk).update(status=Evidence.Status.REPLACED, confirmation=confirmation)
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


def _lock(evidence: Evidence, *fields: str) -> tuple[Any, ...]:
    """Fields of the row as stored now, locked until commit: the holdings counters follow the row's real change even
    when two requests change the same file at once."""
    row: tuple[Any, ...] = (
        Evidence.objects.select_for_update(of=("self",)).filter(pk=evidence.pk).values_list(*fields).get()
    )
    return row


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: User | None, now: dt.datetime | None = None) -> Evidence:
    """Soft delete: the file stays stored and can be restored until the self-assessment closes."""
    now = now or timezone.now()
    lock_entry_for_change(evidence.entry, by, now)
    (evidence.status,) = _lock(evidence, "status")
    if evidence.status != Evidence.Status.ACTIVE:
        raise ValidationError(gettext("Hanya bukti yang aktif yang dapat dihapus."))
    evidence.status = Evidence.Status.DELETED
    evidence.deleted_at, evidence.deleted_by = now, by
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
def evidence_restore(*, evidence: Evidence, by: User | None, now: dt.datetime | None = None) -> Evidence:
    now = now or timezone.now()
    lock_entry_for_change(evidence.entry, by, now)
    (evidence.status,) = _lock(evidence, "status")
    if evidence.status != Evidence.Status.DELETED:
        raise ValidationError(gettext("Hanya bukti yang dihapus yang dapat dipulihkan."))
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
def evidence_carry_forward(*, evaluation: Evaluation, by: User | None) -> int:
    """Bring the region's active evidence of its previous cycle into this evaluation, question by question.

    Carried files share the stored object (nothing is copied) and start as "perlu dikonfirmasi": the agency must
    confirm each as still valid, replace it or withdraw it. Running it again carries nothing twice. The evaluation
    is locked, so a submission at the same moment either comes first (and nothing is carried) or waits.
    """
    if by is not None:
        access.require(by, Action.EVALUATION_ASSIGN, evaluation.region_id)
    evaluation = Evaluation.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=evaluation.pk)
    if not evaluation.is_editable:
        raise EvaluationClosed(gettext("Evaluasi ini sudah dikirim."))
    previous = selectors.previous_evaluation(evaluation)
    if previous is None:
        raise ValidationError(gettext("Belum ada evaluasi sebelumnya untuk wilayah ini."))
    carried = [_carried_copy(old, entry, question, by=by) for old, entry, question in _to_carry(evaluation, previous)]
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


def _to_carry(evaluation: Evaluation, previous: Evaluation) -> list[tuple[Evidence, Entry, Question]]:
    """The previous evaluation's active files not carried yet, each with this evaluation's entry and question of the
    same codes (files of an indicator or question the new instrument no longer has stay behind)."""
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
    found = []
    for old in Evidence.objects.filter(entry__evaluation=previous, status=Evidence.Status.ACTIVE).select_related(
        "entry__indicator", "question"
    ):
        key = (old.entry.indicator.code, old.question.code)
        if old.pk not in already and key in questions and key[0] in entries:
            found.append((old, entries[key[0]], questions[key]))
    return found


def _carried_copy(old: Evidence, entry: Entry, question: Question, *, by: User | None) -> Evidence:
    """A new row for the same stored file, waiting for the agency's confirmation."""
    return Evidence(
        entry=entry,
        question=question,
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
        warnings=old.warnings,
        source=old.source,
        source_id=old.source_id,
        source_label=old.source_label,
        carried_from=old,
        confirmation=Evidence.Confirmation.PENDING,
        uploaded_by=by,
    )


@transaction.atomic
def evidence_confirm(*, evidence: Evidence, decision: str, by: User | None, now: dt.datetime | None = None) -> Evidence:
    """The agency's answer for a carried file: still valid, or withdrawn (replacing goes through an upload)."""
    now = now or timezone.now()
    lock_entry_for_change(evidence.entry, by, now)
    evidence.status, evidence.confirmation = _lock(evidence, "status", "confirmation")
    was_active = evidence.status == Evidence.Status.ACTIVE
    if evidence.carried_from_id is None or evidence.confirmation != Evidence.Confirmation.PENDING:
        raise ValidationError(
            gettext("Hanya bukti bawaan siklus sebelumnya yang belum dikonfirmasi yang dapat dikonfirmasi.")
        )
    if decision == "valid":
        evidence.confirmation = Evidence.Confirmation.VALID
    elif decision == "withdrawn":
        evidence.confirmation = Evidence.Confirmation.WITHDRAWN
        evidence.status = Evidence.Status.DELETED
        evidence.deleted_at, evidence.deleted_by = now, by
    else:
        raise ValidationError(
            gettext("Pilih 'masih berlaku' atau 'ditarik'; untuk mengganti, unggah berkas pengganti.")
        )
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
