"""The whole check of one upload: sniff the format, apply the size limit, check the content by kind, name the result.

Pure module: no Django import. `inspect_file` is the one public entry; each kind's check lives in its own module
(`pdf`, `images`, `office`, `text`; videos are not decoded: signature, size and the polyglot check only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kla.core.formatting import format_size
from kla.core.marking import Text, gettext_noop
from kla.evidence.inspection.filenames import extension_of, name_mismatch, safe_name
from kla.evidence.inspection.formats import FileFormat
from kla.evidence.inspection.images import clean_image
from kla.evidence.inspection.office import check_office
from kla.evidence.inspection.pdf import check_pdf
from kla.evidence.inspection.policy import DEFAULT_POLICY, READ_CHUNK, EvidencePolicy, Kind
from kla.evidence.inspection.refusals import EMPTY_MESSAGE, Rejection, refuse, reject
from kla.evidence.inspection.sniffing import HEAD_SIZE, DetectedType, sniff
from kla.evidence.inspection.text import check_text
from kla.evidence.inspection.zipfiles import contains_zip


@dataclass(frozen=True, slots=True)
class InspectionResult:
    kind: Kind
    mime: str
    extension: str
    safe_filename: str
    path_to_store: Path
    size: int
    sha256: str
    original_sha256: str
    page_count: int | None
    captured_at: datetime | None
    metadata_removed: bool
    name_mismatch: bool
    warnings: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def inspect_file(
    path: Path, *, filename: str, policy: EvidencePolicy = DEFAULT_POLICY, clean_dir: Path
) -> InspectionResult:
    """Run the whole check on an upload already streamed to `path`; re-encoded images are written to `clean_dir`.

    Returns what to store (`path_to_store`, which is `path` itself except for images) or raises `EvidenceRejected`.
    The caller owns both files: it deletes `path` after storing, and the clean copy if it does not store it.
    """
    size = path.stat().st_size
    detected = _detect(path, size, filename=filename, policy=policy)
    original_sha256, _ = sha256_of(path)
    checked = _check_content(path, detected, size=size, filename=filename, policy=policy, clean_dir=clean_dir)
    sha256, stored_size = (original_sha256, size) if checked.path == path else sha256_of(checked.path)
    fmt = checked.format
    mismatch = name_mismatch(filename, fmt)
    notes = [_mismatch_note(filename, fmt), *checked.notes] if mismatch else checked.notes
    return InspectionResult(
        kind=fmt.kind,
        mime=fmt.mime,
        extension=fmt.extension,
        safe_filename=safe_name(filename, fmt),
        path_to_store=checked.path,
        size=stored_size,
        sha256=sha256,
        original_sha256=original_sha256,
        page_count=checked.page_count,
        captured_at=checked.captured_at,
        metadata_removed=checked.metadata_removed,
        name_mismatch=mismatch,
        warnings=notes,
    )


def _detect(path: Path, size: int, *, filename: str, policy: EvidencePolicy) -> DetectedType:
    """The format from the first bytes, refused when empty, not allowed, or over the size limit of its kind."""
    if size == 0:
        raise reject(Rejection.EMPTY, EMPTY_MESSAGE, policy=policy)
    with path.open("rb") as fh:
        head = fh.read(HEAD_SIZE)
    detected = sniff(head, filename=filename, policy=policy)
    limit = policy.max_bytes(detected.kind)
    if size > limit:
        raise reject(
            Rejection.TOO_LARGE,
            Text(
                gettext_noop(
                    "Ukuran berkas %(size)s melebihi batas %(limit)s untuk %(label)s. Perkecil atau pisahkan berkasnya "
                    "lalu unggah lagi."
                ),
                size=lambda lang: format_size(size, lang=lang),
                limit=lambda lang: format_size(limit, lang=lang),
                label=Text(detected.format.label),
            ),
            policy=policy,
        )
    return detected


@dataclass(frozen=True, slots=True)
class _Checked:
    format: FileFormat  # an Office archive's format is known only after its members are read
    path: Path  # what to store: the upload itself, or the re-encoded image
    page_count: int | None = None
    captured_at: datetime | None = None
    metadata_removed: bool = False
    notes: list[str] = field(default_factory=list)


def _check_content(
    path: Path, detected: DetectedType, *, size: int, filename: str, policy: EvidencePolicy, clean_dir: Path
) -> _Checked:
    """The check of the detected kind: PDF structure, image re-encoding, Office archive, text encoding, video."""
    fmt = detected.format
    if fmt.kind == "pdf":
        pages, notes = check_pdf(path, size=size, filename=filename, policy=policy)
        return _Checked(fmt, path, page_count=pages, notes=notes)
    if fmt.kind == "image":
        clean = clean_image(path, fmt, policy=policy, clean_dir=clean_dir)
        return _Checked(fmt, clean.path, None, clean.captured_at, clean.metadata_removed, clean.notes)
    if fmt.kind == "office":
        return _Checked(check_office(path, size=size, filename=filename, policy=policy), path)
    if fmt.kind == "data":
        return _Checked(fmt, path, notes=check_text(path, policy))
    if fmt.kind == "video" and contains_zip(path, size):  # videos are not decoded: signature, size, this
        raise refuse(Rejection.POLYGLOT, gettext_noop("gabungan video dan arsip ZIP"), filename=filename, policy=policy)
    return _Checked(fmt, path)


def _mismatch_note(filename: str, fmt: FileFormat) -> str:
    ext = extension_of(filename)
    return Text(
        gettext_noop("Nama berkas berakhiran %(given)s, tetapi isinya %(label)s; disimpan sebagai %(stored)s."),
        given=ext or Text(gettext_noop("(tanpa ekstensi)")),
        label=Text(fmt.label),
        stored=fmt.extension,
    )
