"""Office evidence (DOCX, XLSX, PPTX, ODT, ODS): checked as an archive without extracting anything.

Pure module: no Django import. Refused: too many members, members that inflate far beyond their compressed size
(a "zip bomb"), unsafe member names, encryption, macros (VBA projects, macro sheets, ODF Basic and scripts), and
ZIPs that are not an Office document. Members are inflated one by one with running caps, so memory stays bounded
and a lying declared size is caught.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from kla.core.marking import Text, gettext_noop
from kla.evidence.inspection.formats import FORMATS, FileFormat
from kla.evidence.inspection.policy import EvidencePolicy, MiB
from kla.evidence.inspection.refusals import (
    MACRO_MESSAGE,
    OFFICE_ENCRYPTED_MESSAGE,
    EvidenceRejected,
    Rejection,
    refuse,
    reject,
)
from kla.evidence.inspection.zipfiles import member_chunks, zip_end_record

_ODF_FORMATS = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_MACRO_MEMBERS = frozenset({"vbaproject.bin", "vbaprojectsignature.bin", "vbaprojectsignatureagile.bin", "vbadata.xml"})
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"macrosheet")
_VBA_MARKER = "_VBA_PROJECT".encode("utf-16-le")  # stream name in an OLE2 directory holding a VBA project
_KEEP = {"[Content_Types].xml": 1 * MiB, "mimetype": 256}


def _bomb(detail: str, policy: EvidencePolicy) -> EvidenceRejected:
    return reject(
        Rejection.OFFICE_BOMB,
        gettext_noop(
            "Berkas Office ini tidak wajar: isinya mengembang jauh melebihi ukuran berkasnya. Buka dan simpan ulang "
            "dokumennya dari aplikasi Office, lalu unggah lagi."
        ),
        policy=policy,
        detail=detail,
    )


def check_office(path: Path, *, size: int, filename: str, policy: EvidencePolicy) -> FileFormat:
    """Check an OOXML/ODF archive without extracting anything, and return its format."""
    try:
        with path.open("rb") as fh:
            entries, directory_size, _ = zip_end_record(fh, size)
            # Checked before zipfile parses the directory, which costs memory per entry.
            if entries > policy.office_max_members or directory_size > policy.office_max_members * 1024:
                raise _bomb(f"{entries} entries, central directory {directory_size} bytes", policy)
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
            if len(infos) > policy.office_max_members:
                raise _bomb(f"{len(infos)} members", policy)
            names = _check_member_names(infos, policy)
            if any(info.flag_bits & 0x1 for info in infos):
                raise reject(Rejection.OFFICE_ENCRYPTED, OFFICE_ENCRYPTED_MESSAGE, policy=policy)
            family = "ooxml" if "[Content_Types].xml" in names else "odf" if "mimetype" in names else None
            if family is None:
                raise refuse(
                    Rejection.TYPE_NOT_ALLOWED,
                    "arsip ZIP biasa, bukan dokumen Office",
                    filename=filename,
                    policy=policy,
                )
            if any(_is_macro_member(n, family) for n in names):
                raise reject(Rejection.MACRO, MACRO_MESSAGE, policy=policy, detail="macro member name")
            _check_declared_sizes(infos, policy)
            kept = _inflate_all(fh, infos, policy)
            return _resolve_office_format(names, kept, filename=filename, policy=policy)
    except EvidenceRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        raise reject(
            Rejection.OFFICE_INVALID,
            gettext_noop(
                "Berkas Office ini rusak atau tidak dapat dibaca. Buka dan simpan ulang dokumennya, lalu unggah lagi."
            ),
            policy=policy,
            detail=repr(exc),
        ) from exc


def _check_member_names(infos: list[zipfile.ZipInfo], policy: EvidencePolicy) -> set[str]:
    names: set[str] = set()
    for info in infos:
        name = info.filename
        parts = re.split(r"[/\\]", name)
        is_symlink = (info.external_attr >> 16) & 0o170000 == 0o120000
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts or is_symlink:
            raise reject(
                Rejection.OFFICE_PATH_TRAVERSAL,
                gettext_noop(
                    'Berkas Office ini berisi nama bagian yang tidak aman (jalur absolut, ".." atau tautan). Buka dan '
                    "simpan ulang dokumennya dari aplikasi Office, lalu unggah lagi."
                ),
                policy=policy,
                detail=f"member {name!r}",
            )
        if name in names:
            raise zipfile.BadZipFile(f"duplicate member {name!r}")
        names.add(name)
    return names


def _is_macro_member(name: str, family: str) -> bool:
    lower = name.lower()
    if lower.rsplit("/", 1)[-1] in _MACRO_MEMBERS or "macrosheets/" in lower:
        return True
    # ODF keeps Basic modules under Basic/<library>/ and other script languages under Scripts/.
    return family == "odf" and ((lower.startswith("basic/") and lower.count("/") >= 2) or lower.startswith("scripts/"))


def _check_declared_sizes(infos: list[zipfile.ZipInfo], policy: EvidencePolicy) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > policy.office_max_member_bytes:
            raise _bomb(f"{info.filename}: declared {info.file_size} bytes", policy)
        if total > policy.office_max_total_uncompressed:
            raise _bomb(f"declared total above {total} bytes", policy)
        if _ratio_too_high(info.file_size, info.compress_size, policy):
            raise _bomb(f"{info.filename}: declared ratio {info.file_size}/{info.compress_size}", policy)


def _ratio_too_high(produced: int, compressed: int, policy: EvidencePolicy) -> bool:
    return produced > policy.office_ratio_floor_bytes and produced > policy.office_max_ratio * max(compressed, 1)


def _inflate_all(fh: BinaryIO, infos: list[zipfile.ZipInfo], policy: EvidencePolicy) -> dict[str, bytes]:
    """Inflate every member with running caps (declared sizes can lie), check CRCs, and look for VBA projects."""
    kept: dict[str, bytes] = {}
    total = 0
    for info in infos:
        cap = min(info.file_size, policy.office_max_member_bytes)
        produced = 0
        crc = 0
        carry = b""
        keep_limit = _KEEP.get(info.filename, 0)
        keep = bytearray()
        for chunk in member_chunks(fh, info):
            produced += len(chunk)
            total += len(chunk)
            if produced > cap:
                raise _bomb(f"{info.filename}: inflates beyond its declared {info.file_size} bytes", policy)
            if total > policy.office_max_total_uncompressed:
                raise _bomb(f"inflated total above {policy.office_max_total_uncompressed} bytes", policy)
            if _ratio_too_high(produced, info.compress_size, policy):
                raise _bomb(f"{info.filename}: ratio above {policy.office_max_ratio}", policy)
            crc = zlib.crc32(chunk, crc)
            window = carry + chunk
            if _VBA_MARKER in window:
                raise reject(Rejection.MACRO, MACRO_MESSAGE, policy=policy, detail=f"VBA project in {info.filename}")
            carry = window[-(len(_VBA_MARKER) - 1) :]
            if len(keep) < keep_limit:
                keep += chunk[: keep_limit - len(keep)]
        if produced != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(f"{info.filename}: size or CRC does not match")
        if keep_limit:
            kept[info.filename] = bytes(keep)
    return kept


def _resolve_office_format(
    names: set[str], kept: dict[str, bytes], *, filename: str, policy: EvidencePolicy
) -> FileFormat:
    if "[Content_Types].xml" in names:
        content_types = kept.get("[Content_Types].xml", b"").lower()
        if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
            raise reject(Rejection.MACRO, MACRO_MESSAGE, policy=policy, detail="macro content type")
        for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in names):
                return FORMATS[key]
        what: str = gettext_noop("paket Office yang tidak dikenal")
    else:
        mimetype = kept.get("mimetype", b"").strip()
        if mimetype in _ODF_FORMATS:
            return FORMATS[_ODF_FORMATS[mimetype]]
        what = Text(
            gettext_noop("dokumen OpenDocument jenis lain (%(mime)s)"), mime=mimetype.decode("ascii", "replace")[:60]
        )
    raise refuse(Rejection.TYPE_NOT_ALLOWED, what, filename=filename, policy=policy)
