"""One way in for every stored file: inspect, audit a refusal, scan, re-check the target under a row lock, store.

Evidence files and field photos come in here, and so will meeting minutes, decrees and activity photos. The caller
describes where the file goes with a `Target` (what it is attached to, which kinds it may be, the audit event names
and a "still writable?" check), how to build its row (`build`) and what to record once the row is saved (`record`).
`receive` then runs the same steps for everyone:

1. the target is checked before any work, so a closed target refuses at once (nothing to audit: no file was taken);
2. the upload is copied to a private temporary directory (Django already spooled large ones to disk) and inspected
   (`kla.evidence.inspection`); a refusal is audited as ``target.refused_event`` with its code and nothing is kept;
3. the file to store is scanned (`scan_or_refuse`, failing closed): malware or a file over the scanner's limits is
   audited and refused, no verdict raises `ScannerUnavailable` (audited too);
4. in one transaction: the target is checked again, under the row locks its check takes (the scan can take 30 s; a
   submission or the end of a stage may have happened meanwhile, and whatever closes the target takes the same
   locks, so it either waits for this file or this file sees it). A target closed meanwhile is audited as a refusal
   with code ``closed`` (``not_allowed`` for a permission lost) and nothing is stored. Otherwise the file is stored
   (linked into place where it can be, not copied), the row is built and saved and `record` writes the caller's
   audit event; if anything in the transaction fails, the stored file is removed again.

A full or failing disk at any step raises `StorageUnavailable`, audited as ``target.store_failed_event``: no row and
no file, not even a partial one, is left (`kla.core.storage`).

A new kind of file (say, the minutes of a task-force meeting) needs a model with a FileField whose ``upload_to``
generates the name under its region's path, and one call::

    intake.receive(
        upload=upload,
        target=intake.Target(
            obj=meeting,
            region_code=meeting.region_id,
            policy=dataclasses.replace(evidence_services.policy(), allowed_kinds=frozenset({"pdf"})),
            refused_event="kla.minutes.refused",
            store_failed_event="kla.minutes.store_failed",
            still_writable=lambda: lock_meeting_for_change(meeting, by),  # select_for_update, then the rule
        ),
        by=by,
        build=lambda accepted: Minutes(meeting=meeting, sha256=accepted.inspection.sha256, ...),
        record=lambda minutes, accepted: audit.record(action="kla.minutes.added", by=by, obj=minutes, ...),
    )
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from kla.core import audit
from kla.core.storage import ScannerUnavailable, save_finished, storage_errors
from kla.core.wording import say
from kla.evidence import inspection, scanning

if TYPE_CHECKING:
    from kla.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class Target:
    """Where an incoming file goes and who answers for it.

    `still_writable` raises (`ValidationError` when the target is closed, `PermissionDenied` when the user may no
    longer write to it) or returns. It runs inside a transaction and must lock, with ``select_for_update``, the rows
    whatever closes the target locks too (an evaluation for a submission, an entry for a resubmission), so that the
    check stays true until the file's row is committed.
    """

    obj: models.Model  # what refusals and storage failures are audited on (an entry, a site, an activity)
    region_code: str
    policy: inspection.EvidencePolicy  # the kinds the file may be and their size limits
    refused_event: str  # e.g. "kla.evidence.refused"
    store_failed_event: str  # e.g. "kla.evidence.store_failed"
    still_writable: Callable[[], object]
    object_label: str = ""
    fallback_name: str = "berkas"  # inspected under this name when the client sent none
    file_field: str = "file"  # the row's FileField that receives the file


@dataclass(frozen=True)
class Accepted:
    """A file that passed inspection and the scan, ready to be stored."""

    inspection: inspection.InspectionResult
    scan: scanning.ScanResult

    @property
    def captured_at(self) -> dt.datetime | None:
        """When a photo was taken, from its EXIF (camera clocks without an offset are read as local time)."""
        return local_if_naive(self.inspection.captured_at)

    def stored_fields(self) -> dict[str, Any]:
        """The columns a row kept for attaching by reference stores (`kla.evidence.sources.stored_file_of` reads
        them back): the task force's documents and the activities' files."""
        found = self.inspection
        return {
            "name": found.safe_filename,
            "mime": found.mime,
            "size": found.size,
            "sha256": found.sha256,
            "file_kind": found.kind,
            "original_sha256": found.original_sha256,
            "page_count": found.page_count,
            "captured_at": self.captured_at,
            "metadata_removed": found.metadata_removed,
            "scanned_clean": self.scan.is_clean,
            "scan_detail": self.scan.detail[:200],
        }


@dataclass(frozen=True)
class Received[M: models.Model]:
    row: M
    file: Accepted


def receive[M: models.Model](
    *,
    upload: UploadedFile[Any],
    target: Target,
    by: User | None,
    build: Callable[[Accepted], M],
    record: Callable[[M, Accepted], object],
) -> Received[M]:
    """Take one uploaded file to `target` (see the module's docstring for the steps) and return its saved row.

    `build(accepted)` returns the unsaved row (the file is set by `receive`); `record(row, accepted)` runs after the row
    is saved, in the same transaction (the caller's audit event and counters). Refusals raise `ValidationError` with the
    reason the uploader reads (or `PermissionDenied`); `ScannerUnavailable` and `StorageUnavailable` as above.
    """
    with transaction.atomic():
        target.still_writable()
    name = inspection.sanitize_filename(upload.name or "")
    with (
        storage_errors(
            action=target.store_failed_event,
            by=by,
            obj=target.obj,
            object_label=target.object_label,
            region_code=target.region_code,
            name=name,
        ),
        tempfile.TemporaryDirectory(prefix="kla-intake-") as tmp,
    ):
        accepted = _inspect_and_scan(upload, Path(tmp), target=target, by=by)
        row = _store(accepted, target=target, by=by, build=build, record=record)
    return Received(row=row, file=accepted)


def _inspect_and_scan(upload: UploadedFile[Any], tmpdir: Path, *, target: Target, by: User | None) -> Accepted:
    path = quarantine_copy(upload, tmpdir)
    try:
        result = inspection.inspect_file(
            path, filename=upload.name or target.fallback_name, policy=target.policy, clean_dir=tmpdir
        )
    except inspection.EvidenceRejected as exc:
        _audit_refusal(target, by, {"name": inspection.sanitize_filename(upload.name or ""), "code": exc.code})
        raise ValidationError(say(exc.message), code=exc.code) from None
    scan = scan_or_refuse(
        result.path_to_store, lambda after: _audit_refusal(target, by, {"name": result.safe_filename, **after})
    )
    return Accepted(inspection=result, scan=scan)


def _store[M: models.Model](
    accepted: Accepted,
    *,
    target: Target,
    by: User | None,
    build: Callable[[Accepted], M],
    record: Callable[[M, Accepted], object],
) -> M:
    """The re-check under lock, then file, row and the caller's record in one transaction (see the docstring)."""
    stored: FieldFile | None = None
    try:
        with transaction.atomic():
            closed = _closed_meanwhile(target)
            if closed is not None:
                # committed on its own: no row, no file, but the refusal is on record
                _audit_refusal(target, by, {"name": accepted.inspection.safe_filename, **_refusal_code(closed)})
            else:
                row = build(accepted)
                stored = getattr(row, target.file_field)
                save_finished(stored, accepted.inspection.safe_filename, accepted.inspection.path_to_store)
                row.save()
                record(row, accepted)
    except BaseException:
        if stored is not None and stored.name:
            stored.delete(save=False)  # never leave an orphan file behind a failed insert (or commit)
        raise
    if closed is not None:
        raise closed
    return row


def _closed_meanwhile(target: Target) -> ValidationError | PermissionDenied | None:
    try:
        target.still_writable()
    except (ValidationError, PermissionDenied) as exc:
        return exc
    return None


def _refusal_code(exc: ValidationError | PermissionDenied) -> dict[str, str]:
    detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return {"code": "closed" if isinstance(exc, ValidationError) else "not_allowed", "detail": detail[:300]}


def _audit_refusal(target: Target, by: User | None, after: dict[str, Any]) -> None:
    audit.record(
        action=target.refused_event,
        by=by,
        obj=target.obj,
        object_label=target.object_label,
        region_code=target.region_code,
        after=after,
    )


def scan_or_refuse(path: Path, refused: Callable[[dict[str, str]], object]) -> scanning.ScanResult:
    """Scan a file that passed inspection with the configured clamd, failing closed.

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
        raise ScannerUnavailable(say(scan.message))  # scan.detail is in the audit event
    raise ValidationError(say(scan.message), code=f"scan_{scan.status}")


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
