"""Deciding what an uploaded evidence file ("bukti dukung") is, and making it safe to store.

Pure package: no Django import. It takes a file already streamed to a quarantine directory, a policy and the name
the client sent, and either returns an `InspectionResult` or raises `EvidenceRejected` with a stable code and an
Indonesian message. The kind is decided from the content (magic bytes), never from the name or the client's
Content-Type. Memory stays bounded: files are read in chunks, Office archives are inflated member by member with a
running cap, and only images (up to the pixel limit) are decoded.

Where each rule lives:

- `policy`: the accepted kinds and their size limits (`EvidencePolicy`);
- `formats`: the allowlist of formats; `filenames`: safe display names; `refusals`: codes and wording;
- `sniffing`: the format from the first bytes; `pipeline`: `inspect_file`, the whole check of one upload;
- `pdf`, `images`, `office`, `text`: the check of each kind; `zipfiles`: bounded readers of ZIP structures.

Malware scanning is a separate step (`kla.evidence.scanning`); `kla.evidence.intake` runs both on every stored file.
"""

from __future__ import annotations

from kla.evidence.inspection.filenames import sanitize_filename
from kla.evidence.inspection.formats import FORMATS, FileFormat
from kla.evidence.inspection.pipeline import InspectionResult, inspect_file, sha256_of
from kla.evidence.inspection.policy import DEFAULT_POLICY, KINDS, EvidencePolicy, Kind, MiB
from kla.evidence.inspection.refusals import MACRO_MESSAGE, EvidenceRejected, Rejection
from kla.evidence.inspection.sniffing import HEAD_SIZE, DetectedType, sniff

__all__ = [
    "DEFAULT_POLICY",
    "FORMATS",
    "HEAD_SIZE",
    "KINDS",
    "MACRO_MESSAGE",
    "DetectedType",
    "EvidencePolicy",
    "EvidenceRejected",
    "FileFormat",
    "InspectionResult",
    "Kind",
    "MiB",
    "Rejection",
    "inspect_file",
    "sanitize_filename",
    "sha256_of",
    "sniff",
]
