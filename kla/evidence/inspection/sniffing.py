"""Deciding the format of an upload from its first bytes (magic numbers), never from its name.

Pure module: no Django import. Anything not on the allowlist (`formats.FORMATS`) is refused; the known signatures
of refused kinds (programs, archives, other media) are listed only so that the refusal can say what the file is.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from kla.core.marking import Text, gettext_noop
from kla.evidence.inspection.filenames import extension_of, name_mismatch
from kla.evidence.inspection.formats import FORMATS, ZIP_PENDING, FileFormat
from kla.evidence.inspection.policy import DEFAULT_POLICY, EvidencePolicy, Kind
from kla.evidence.inspection.refusals import (
    EMPTY_MESSAGE,
    OFFICE_ENCRYPTED_MESSAGE,
    EvidenceRejected,
    Rejection,
    refuse,
    reject,
)
from kla.evidence.inspection.text import BINARY_CONTROL

HEAD_SIZE = 8192


@dataclass(frozen=True, slots=True)
class DetectedType:
    """What the first bytes say. An Office archive is `needs_archive_check` until its members are read."""

    format: FileFormat
    name_mismatch: bool

    @property
    def kind(self) -> Kind:
        return self.format.kind

    @property
    def mime(self) -> str:
        return self.format.mime

    @property
    def extension(self) -> str:
        return self.format.extension

    @property
    def needs_archive_check(self) -> bool:
        return self.format is ZIP_PENDING


_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
_MP4_BRANDS |= {b"mmp4", b"MSNV"}

# Signatures recognised only to say what a refused file is. Anything unrecognised is refused too.
_KNOWN_BINARY: tuple[tuple[bytes, Rejection, str], ...] = (
    (b"\x7fELF", Rejection.EXECUTABLE, gettext_noop("program Linux (ELF)")),
    (b"\xfe\xed\xfa\xce", Rejection.EXECUTABLE, gettext_noop("program macOS")),
    (b"\xfe\xed\xfa\xcf", Rejection.EXECUTABLE, gettext_noop("program macOS")),
    (b"\xce\xfa\xed\xfe", Rejection.EXECUTABLE, gettext_noop("program macOS")),
    (b"\xcf\xfa\xed\xfe", Rejection.EXECUTABLE, gettext_noop("program macOS")),
    (b"\xca\xfe\xba\xbe", Rejection.EXECUTABLE, gettext_noop("program Java/macOS")),
    (b"GIF87a", Rejection.TYPE_NOT_ALLOWED, gettext_noop("gambar GIF")),
    (b"GIF89a", Rejection.TYPE_NOT_ALLOWED, gettext_noop("gambar GIF")),
    (b"II*\x00", Rejection.TYPE_NOT_ALLOWED, gettext_noop("gambar TIFF")),
    (b"MM\x00*", Rejection.TYPE_NOT_ALLOWED, gettext_noop("gambar TIFF")),
    (b"Rar!\x1a\x07", Rejection.TYPE_NOT_ALLOWED, gettext_noop("arsip RAR")),
    (b"7z\xbc\xaf\x27\x1c", Rejection.TYPE_NOT_ALLOWED, gettext_noop("arsip 7z")),
    (b"\x1f\x8b", Rejection.TYPE_NOT_ALLOWED, gettext_noop("arsip GZIP")),
    (b"\xfd7zXZ\x00", Rejection.TYPE_NOT_ALLOWED, gettext_noop("arsip XZ")),
    (b"PK\x05\x06", Rejection.TYPE_NOT_ALLOWED, gettext_noop("arsip ZIP kosong")),
    (b"PK\x07\x08", Rejection.TYPE_NOT_ALLOWED, gettext_noop("arsip ZIP")),
    (b"{\\rtf", Rejection.TYPE_NOT_ALLOWED, gettext_noop("dokumen RTF")),
    (b"%!PS", Rejection.TYPE_NOT_ALLOWED, gettext_noop("berkas PostScript")),
    (b"OggS", Rejection.TYPE_NOT_ALLOWED, gettext_noop("audio/video Ogg")),
    (b"fLaC", Rejection.TYPE_NOT_ALLOWED, gettext_noop("audio FLAC")),
    (b"SQLite format 3\x00", Rejection.TYPE_NOT_ALLOWED, gettext_noop("basis data SQLite")),
    (b"\xff\xfe", Rejection.TYPE_NOT_ALLOWED, gettext_noop("teks UTF-16")),
    (b"\xfe\xff", Rejection.TYPE_NOT_ALLOWED, gettext_noop("teks UTF-16")),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Starts that make a browser sniff HTML (WHATWG MIME Sniffing, "identifying a resource with an unknown MIME type").
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>/]", re.I
)
_HTML_ANYWHERE = re.compile(r"<(?:script|html|iframe|object|embed|body)[\s>/]", re.I)


def sniff(head: bytes, *, filename: str, policy: EvidencePolicy = DEFAULT_POLICY) -> DetectedType:
    """Decide the format from the first bytes (give at least `HEAD_SIZE`), never from the name.

    The name only picks CSV versus TXT, sets `name_mismatch`, and words a refusal ("bukan PDF meskipun ...").

    Raises `EvidenceRejected` for anything not on the allowlist. A ZIP comes back as `needs_archive_check`: only
    its members say whether it is OOXML or ODF (`inspect_file` does that).
    """
    if not head:
        raise reject(Rejection.EMPTY, EMPTY_MESSAGE, policy=policy)
    fmt = _match_signature(head, filename=filename, policy=policy)
    if not policy.allows(fmt.kind):
        raise reject(
            Rejection.TYPE_NOT_ALLOWED,
            Text(gettext_noop("Berkas ini %(label)s, yang saat ini tidak diterima."), label=Text(fmt.label)),
            policy=policy,
        )
    mismatch = False if fmt is ZIP_PENDING else name_mismatch(filename, fmt)
    return DetectedType(format=fmt, name_mismatch=mismatch)


def _match_signature(head: bytes, *, filename: str, policy: EvidencePolicy) -> FileFormat:
    def refused(code: Rejection, what: str, hint: str = "") -> EvidenceRejected:
        return refuse(code, what, filename=filename, policy=policy, hint=hint)

    if head.startswith(b"%PDF-"):
        return FORMATS["pdf"]
    if head.startswith(b"\xff\xd8\xff"):
        return FORMATS["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FORMATS["png"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FORMATS["webp"]
    if head.startswith(b"PK\x03\x04"):
        if b"%PDF-" in head[:1024]:  # PDF readers look for the header anywhere in the first 1024 bytes
            raise refused(Rejection.POLYGLOT, gettext_noop("gabungan arsip ZIP dan PDF"))
        return ZIP_PENDING
    if head[4:8] == b"ftyp":
        return _match_iso_media(head, filename=filename, policy=policy)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return FORMATS["webm"]
        raise refused(
            Rejection.TYPE_NOT_ALLOWED,
            gettext_noop("video Matroska (MKV)"),
            gettext_noop("Ekspor ulang videonya sebagai MP4."),
        )
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        raise refused(Rejection.EXECUTABLE, gettext_noop("program Windows (EXE/DLL)"))
    if head.startswith(_OLE2):
        if extension_of(filename) in (".docx", ".xlsx", ".pptx"):
            raise reject(Rejection.OFFICE_ENCRYPTED, OFFICE_ENCRYPTED_MESSAGE, policy=policy, detail="OLE2 container")
        raise refused(
            Rejection.TYPE_NOT_ALLOWED,
            gettext_noop("dokumen Office lama (.doc/.xls/.ppt)"),
            gettext_noop("Simpan ulang sebagai .docx/.xlsx/.pptx tanpa makro."),
        )
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in {12, 40, 52, 56, 108}:
        raise refused(
            Rejection.TYPE_NOT_ALLOWED, gettext_noop("gambar BMP"), gettext_noop("Simpan ulang sebagai JPG atau PNG.")
        )
    if head[:4] == b"RIFF":
        raise refused(Rejection.TYPE_NOT_ALLOWED, gettext_noop("audio/video RIFF (WAV/AVI)"))
    for signature, code, what in _KNOWN_BINARY:
        if head.startswith(signature):
            raise refused(code, what)
    return _match_text(head, filename=filename, policy=policy)


def _match_iso_media(head: bytes, *, filename: str, policy: EvidencePolicy) -> FileFormat:
    def refused(code: Rejection, what: str, hint: str = "") -> EvidenceRejected:
        return refuse(code, what, filename=filename, policy=policy, hint=hint)

    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head), 256), 4)}
    if major in _HEIF_BRANDS:
        raise refused(
            Rejection.TYPE_NOT_ALLOWED,
            gettext_noop("foto HEIC/AVIF"),
            gettext_noop("Simpan atau ekspor fotonya sebagai JPG."),
        )
    if major in _AUDIO_BRANDS:
        raise refused(Rejection.TYPE_NOT_ALLOWED, gettext_noop("audio M4A"))
    if major == b"qt  ":
        raise refused(
            Rejection.TYPE_NOT_ALLOWED,
            gettext_noop("video QuickTime (MOV)"),
            gettext_noop("Ekspor ulang videonya sebagai MP4."),
        )
    if major in _MP4_BRANDS or compatible & _MP4_BRANDS:
        return FORMATS["mp4"]
    raise refused(Rejection.TYPE_NOT_ALLOWED, gettext_noop("video dengan format yang tidak dikenal"))


def _match_text(head: bytes, *, filename: str, policy: EvidencePolicy) -> FileFormat:
    def refused(code: Rejection, what: str, hint: str = "") -> EvidenceRejected:
        return refuse(code, what, filename=filename, policy=policy, hint=hint)

    if BINARY_CONTROL.search(head):
        raise refused(Rejection.TYPE_NOT_ALLOWED, gettext_noop("berkas biner yang tidak dikenal"))
    body = head.removeprefix(b"\xef\xbb\xbf")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    start = text.lstrip().lower()
    if start.startswith("#!") or "<?php" in start:
        raise refused(Rejection.SCRIPT, gettext_noop("skrip program"))
    if "<svg" in start:
        raise refused(
            Rejection.SVG,
            gettext_noop("gambar SVG (dapat berisi skrip)"),
            gettext_noop("Simpan ulang sebagai PNG atau JPG."),
        )
    if _HTML_START.match(start) or _HTML_ANYWHERE.search(start):
        raise refused(Rejection.HTML, gettext_noop("halaman web HTML"))
    if start.startswith("<?xml") or start.startswith("<!doctype"):
        raise refused(Rejection.TYPE_NOT_ALLOWED, gettext_noop("dokumen XML"))
    if b"%PDF-" in head[:1024]:
        raise refused(Rejection.POLYGLOT, gettext_noop("PDF yang didahului data lain"))
    return FORMATS["csv"] if extension_of(filename) == ".csv" else FORMATS["txt"]
