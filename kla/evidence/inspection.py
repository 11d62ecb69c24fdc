"""Deciding what an uploaded evidence file ("bukti dukung") is, and making it safe to store.

Pure module: no Django import. It takes a file already streamed to a quarantine directory, a policy and the name the
client sent, and either returns an `InspectionResult` or raises `EvidenceRejected` with a stable code and an
Indonesian message. The kind is decided from the content (magic bytes), never from the name or the client's
Content-Type. Memory stays bounded: files are read in chunks, Office archives are inflated member by member with a
running cap, and only images (up to the pixel limit) are decoded.

Malware scanning is a separate step (`kla.evidence.scanning`); run it on `path_to_store` as well as here.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import re
import struct
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Literal

from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

MiB = 1024 * 1024
HEAD_SIZE = 8192
_READ_CHUNK = MiB
_INFLATE_INPUT = 64 * 1024

Kind = Literal["pdf", "image", "office", "video", "data"]
KINDS: tuple[Kind, ...] = ("pdf", "image", "office", "video", "data")


class Rejection(StrEnum):
    """Stable refusal codes (str values), for the UI, the API and the audit log."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    EXECUTABLE = "executable"
    SCRIPT = "script"
    HTML = "html"
    SVG = "svg"
    POLYGLOT = "polyglot"
    PDF_INVALID = "pdf_invalid"
    PDF_ENCRYPTED = "pdf_encrypted"
    IMAGE_INVALID = "image_invalid"
    IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
    OFFICE_INVALID = "office_invalid"
    OFFICE_ENCRYPTED = "office_encrypted"
    OFFICE_BOMB = "office_bomb"
    OFFICE_PATH_TRAVERSAL = "office_path_traversal"
    MACRO = "macro"
    DATA_INVALID = "data_invalid"


class EvidenceRejected(Exception):
    """The file is refused. `message` is Indonesian and shown to the uploader; `detail` is for logs only."""

    def __init__(self, code: str, message: str, *, detail: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail = detail


def _words(text: str) -> list[str]:
    return text.split()


# --- formats and policy ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileFormat:
    key: str
    kind: Kind
    mime: str
    extension: str  # canonical, used for storage
    aliases: tuple[str, ...]  # extensions a user may legitimately give this format
    label: str  # how the format is named in Indonesian messages


def _fmt(key: str, kind: Kind, mime: str, aliases: tuple[str, ...], label: str) -> FileFormat:
    return FileFormat(key, kind, mime, aliases[0], aliases, label)


_OOXML_MIME = "application/vnd.openxmlformats-officedocument."
FORMATS: dict[str, FileFormat] = {
    f.key: f
    for f in (
        _fmt("pdf", "pdf", "application/pdf", (".pdf",), "PDF"),
        _fmt("jpeg", "image", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), "gambar JPG"),
        _fmt("png", "image", "image/png", (".png",), "gambar PNG"),
        _fmt("webp", "image", "image/webp", (".webp",), "gambar WebP"),
        _fmt("docx", "office", _OOXML_MIME + "wordprocessingml.document", (".docx",), "dokumen Word (DOCX)"),
        _fmt("xlsx", "office", _OOXML_MIME + "spreadsheetml.sheet", (".xlsx",), "lembar kerja Excel (XLSX)"),
        _fmt("pptx", "office", _OOXML_MIME + "presentationml.presentation", (".pptx",), "presentasi (PPTX)"),
        _fmt("odt", "office", "application/vnd.oasis.opendocument.text", (".odt",), "dokumen ODT"),
        _fmt("ods", "office", "application/vnd.oasis.opendocument.spreadsheet", (".ods",), "lembar kerja ODS"),
        _fmt("mp4", "video", "video/mp4", (".mp4", ".m4v"), "video MP4"),
        _fmt("webm", "video", "video/webm", (".webm",), "video WebM"),
        _fmt("csv", "data", "text/csv", (".csv",), "tabel CSV"),
        _fmt("txt", "data", "text/plain", (".txt", ".tsv"), "teks TXT"),
    )
}
# A ZIP whose members decide the format (OOXML or ODF); resolved by `inspect_file`.
_ZIP_PENDING = FileFormat("zip", "office", "application/zip", ".zip", (), "arsip ZIP")

# Extensions that are certainly extensions when a name must be corrected ("laporan.exe" → "laporan.pdf").
_KNOWN_EXTENSIONS = frozenset(
    [a for f in FORMATS.values() for a in f.aliases]
    + _words(
        ".exe .dll .com .scr .bat .cmd .msi .js .vbs .ps1 .sh .php .phtml .html .htm .xhtml .svg .xml .gif .bmp"
        " .tif .tiff .heic .heif .avif .zip .rar .7z .gz .tar .doc .xls .ppt .docm .xlsm .pptm .dotx .dotm .rtf .mov"
        " .mkv .avi .mp3 .wav .odp .bin .dat .tmp .jar .apk"
    )
)


@dataclass(frozen=True, slots=True)
class EvidencePolicy:
    """Limits for evidence uploads. Sizes are in bytes (1 MB = 1,048,576 bytes, as file managers show them)."""

    max_pdf_bytes: int = 50 * MiB
    max_image_bytes: int = 20 * MiB
    max_office_bytes: int = 25 * MiB
    max_video_bytes: int = 200 * MiB
    max_data_bytes: int = 10 * MiB
    max_image_pixels: int = 40_000_000
    office_max_total_uncompressed: int = 200 * MiB
    office_max_members: int = 2_000
    office_max_ratio: int = 100
    office_max_member_bytes: int = 100 * MiB
    # Tiny members (styles, empty sheets) reach high ratios innocently; the total cap still bounds them.
    office_ratio_floor_bytes: int = 1 * MiB
    jpeg_quality: int = 90
    allowed_kinds: frozenset[str] = frozenset(KINDS)

    def allows(self, kind: Kind) -> bool:
        return kind in self.allowed_kinds

    def max_bytes(self, kind: Kind) -> int:
        return {
            "pdf": self.max_pdf_bytes,
            "image": self.max_image_bytes,
            "office": self.max_office_bytes,
            "video": self.max_video_bytes,
            "data": self.max_data_bytes,
        }[kind]

    def describe(self) -> str:
        """The allowed types and limits as one Indonesian sentence for the upload form and refusal messages."""
        names: dict[Kind, str] = {
            "pdf": "PDF",
            "image": "gambar JPG/PNG/WebP",
            "office": "dokumen Office DOCX/XLSX/PPTX/ODT/ODS",
            "video": "video MP4/WebM",
            "data": "tabel data CSV/TXT",
        }
        parts = [f"{names[k]} (maks. {format_size(self.max_bytes(k))})" for k in KINDS if self.allows(k)]
        if not parts:
            return "Saat ini tidak ada jenis berkas yang diterima."
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", dan " + parts[-1]
        return f"Jenis yang diterima: {listed}."


DEFAULT_POLICY = EvidencePolicy()


def format_size(n: int) -> str:
    """Bytes in Indonesian notation, rounded up so a file just over a limit never reads as equal to it."""
    for unit, factor in (("MB", MiB), ("KB", 1024)):
        if n >= factor:
            value = math.ceil(n * 10 / factor) / 10
            text = f"{value:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{n} bita"


# --- results -----------------------------------------------------------------------------------------------------


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
        return self.format is _ZIP_PENDING


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


# --- filenames ---------------------------------------------------------------------------------------------------

_MAX_NAME = 120
_FALLBACK_NAME = "berkas"
_EXT_RE = re.compile(r"\.[A-Za-z0-9]{1,10}")
_WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)})


def _split_ext(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot > 0 and _EXT_RE.fullmatch(name[dot:]):
        return name[:dot], name[dot:]
    return name, ""


def _fit(stem: str, ext: str, limit: int = _MAX_NAME) -> str:
    stem = stem[: limit - len(ext)].rstrip(" .")
    head, dot, rest = stem.partition(".")
    if head.upper() in _WINDOWS_RESERVED:  # Windows reserves CON, NUL ... whatever follows the first dot
        stem = f"{head}_{dot}{rest}"
    return (stem or _FALLBACK_NAME) + ext


def sanitize_filename(name: str, *, limit: int = _MAX_NAME) -> str:
    """A display/download name from a client-supplied one: basename only, NFC, no control or bidi characters.

    Keeps letters, digits, spaces and ``._-()``; everything else becomes ``_``. Never empty, never starts with a dot,
    at most `limit` characters (the stem is trimmed, the extension kept). Storage names are generated separately.
    """
    kept: list[str] = []
    for ch in name:
        category = unicodedata.category(ch)
        if ch in "\t\n\r\v\f" or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif category[0] != "C":  # Cc controls incl. NUL, Cf bidi overrides/isolates and zero-width, Cs, Co, Cn
            kept.append(ch)
    parts = [p for p in re.split(r"[/\\]", "".join(kept)) if p.strip()]
    base = re.sub(r"^[A-Za-z]:", "", parts[-1] if parts else "")
    base = unicodedata.normalize("NFC", base)
    base = "".join(
        ch if ch in " ._-()" or unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) == "Nd" else "_"
        for ch in base
    )
    base = re.sub(r" {2,}", " ", base).strip(" .")
    stem, ext = _split_ext(base)
    return _fit(stem, ext, limit) if base else _FALLBACK_NAME


def _extension_of(filename: str) -> str:
    return _split_ext(sanitize_filename(filename))[1].lower()


def _name_mismatch(filename: str, fmt: FileFormat) -> bool:
    return _extension_of(filename) not in fmt.aliases


def _safe_name(filename: str, fmt: FileFormat) -> str:
    name = sanitize_filename(filename)
    stem, ext = _split_ext(name)
    if ext.lower() in fmt.aliases:
        return name
    return _fit(stem if ext.lower() in _KNOWN_EXTENSIONS else name, fmt.extension)


# --- messages ----------------------------------------------------------------------------------------------------

_EMPTY_MESSAGE = "Berkas kosong (0 bita); mungkin unggahannya terputus. Pilih berkasnya lagi."
_OFFICE_ENCRYPTED_MESSAGE = (
    "Dokumen Office ini dilindungi kata sandi sehingga tidak dapat diperiksa. Hapus kata sandinya, simpan ulang, "
    "lalu unggah lagi."
)
MACRO_MESSAGE = "Berkas Office dengan makro tidak diterima; simpan ulang sebagai .docx/.xlsx tanpa makro."


def _reject(code: Rejection, text: str, *, policy: EvidencePolicy, detail: str = "") -> EvidenceRejected:
    """Every refusal says why and what to do, then which types are accepted (the policy sentence)."""
    return EvidenceRejected(code, f"{text} {policy.describe()}", detail=detail)


def _refuse(code: Rejection, what: str, *, filename: str, policy: EvidencePolicy, hint: str = "") -> EvidenceRejected:
    """A refusal of the file's type, naming what the content looks like and what the name claimed."""
    ext = _extension_of(filename)
    claimed = next((f for f in FORMATS.values() if ext in f.aliases), None)
    if code is Rejection.POLYGLOT:
        lead = f"Berkas ini tidak diterima karena isinya sekaligus dua jenis berkas ({what})."
    elif claimed is not None:
        lead = f"Berkas ini bukan {claimed.label} meskipun namanya berakhiran {ext} (isinya tampak seperti {what})."
    elif ext:
        lead = f"Berkas berakhiran {ext} ini tidak diterima (isinya tampak seperti {what})."
    else:
        lead = f"Jenis berkas ini tidak diterima (isinya tampak seperti {what})."
    return _reject(code, f"{lead} {hint}".strip(), policy=policy, detail=f"content looks like: {what}")


# --- sniffing ----------------------------------------------------------------------------------------------------

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
_MP4_BRANDS |= {b"mmp4", b"MSNV"}

# Signatures recognised only to say what a refused file is. Anything unrecognised is refused too.
_KNOWN_BINARY: tuple[tuple[bytes, Rejection, str], ...] = (
    (b"\x7fELF", Rejection.EXECUTABLE, "program Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", Rejection.EXECUTABLE, "program macOS"),
    (b"\xfe\xed\xfa\xcf", Rejection.EXECUTABLE, "program macOS"),
    (b"\xce\xfa\xed\xfe", Rejection.EXECUTABLE, "program macOS"),
    (b"\xcf\xfa\xed\xfe", Rejection.EXECUTABLE, "program macOS"),
    (b"\xca\xfe\xba\xbe", Rejection.EXECUTABLE, "program Java/macOS"),
    (b"GIF87a", Rejection.TYPE_NOT_ALLOWED, "gambar GIF"),
    (b"GIF89a", Rejection.TYPE_NOT_ALLOWED, "gambar GIF"),
    (b"II*\x00", Rejection.TYPE_NOT_ALLOWED, "gambar TIFF"),
    (b"MM\x00*", Rejection.TYPE_NOT_ALLOWED, "gambar TIFF"),
    (b"Rar!\x1a\x07", Rejection.TYPE_NOT_ALLOWED, "arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", Rejection.TYPE_NOT_ALLOWED, "arsip 7z"),
    (b"\x1f\x8b", Rejection.TYPE_NOT_ALLOWED, "arsip GZIP"),
    (b"\xfd7zXZ\x00", Rejection.TYPE_NOT_ALLOWED, "arsip XZ"),
    (b"PK\x05\x06", Rejection.TYPE_NOT_ALLOWED, "arsip ZIP kosong"),
    (b"PK\x07\x08", Rejection.TYPE_NOT_ALLOWED, "arsip ZIP"),
    (b"{\\rtf", Rejection.TYPE_NOT_ALLOWED, "dokumen RTF"),
    (b"%!PS", Rejection.TYPE_NOT_ALLOWED, "berkas PostScript"),
    (b"OggS", Rejection.TYPE_NOT_ALLOWED, "audio/video Ogg"),
    (b"fLaC", Rejection.TYPE_NOT_ALLOWED, "audio FLAC"),
    (b"SQLite format 3\x00", Rejection.TYPE_NOT_ALLOWED, "basis data SQLite"),
    (b"\xff\xfe", Rejection.TYPE_NOT_ALLOWED, "teks UTF-16"),
    (b"\xfe\xff", Rejection.TYPE_NOT_ALLOWED, "teks UTF-16"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# C0 controls other than tab, LF, CR, form feed and the DOS end-of-file marker: not text.
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")
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
        raise _reject(Rejection.EMPTY, _EMPTY_MESSAGE, policy=policy)
    fmt = _match_signature(head, filename=filename, policy=policy)
    if not policy.allows(fmt.kind):
        raise _reject(
            Rejection.TYPE_NOT_ALLOWED, f"Berkas ini {fmt.label}, yang saat ini tidak diterima.", policy=policy
        )
    mismatch = False if fmt is _ZIP_PENDING else _name_mismatch(filename, fmt)
    return DetectedType(format=fmt, name_mismatch=mismatch)


def _match_signature(head: bytes, *, filename: str, policy: EvidencePolicy) -> FileFormat:
    def refuse(code: Rejection, what: str, hint: str = "") -> EvidenceRejected:
        return _refuse(code, what, filename=filename, policy=policy, hint=hint)

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
            raise refuse(Rejection.POLYGLOT, "gabungan arsip ZIP dan PDF")
        return _ZIP_PENDING
    if head[4:8] == b"ftyp":
        return _match_iso_media(head, filename=filename, policy=policy)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return FORMATS["webm"]
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "video Matroska (MKV)", "Ekspor ulang videonya sebagai MP4.")
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        raise refuse(Rejection.EXECUTABLE, "program Windows (EXE/DLL)")
    if head.startswith(_OLE2):
        if _extension_of(filename) in (".docx", ".xlsx", ".pptx"):
            raise _reject(Rejection.OFFICE_ENCRYPTED, _OFFICE_ENCRYPTED_MESSAGE, policy=policy, detail="OLE2 container")
        raise refuse(
            Rejection.TYPE_NOT_ALLOWED,
            "dokumen Office lama (.doc/.xls/.ppt)",
            "Simpan ulang sebagai .docx/.xlsx/.pptx tanpa makro.",
        )
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in {12, 40, 52, 56, 108}:
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "gambar BMP", "Simpan ulang sebagai JPG atau PNG.")
    if head[:4] == b"RIFF":
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "audio/video RIFF (WAV/AVI)")
    for signature, code, what in _KNOWN_BINARY:
        if head.startswith(signature):
            raise refuse(code, what)
    return _match_text(head, filename=filename, policy=policy)


def _match_iso_media(head: bytes, *, filename: str, policy: EvidencePolicy) -> FileFormat:
    def refuse(code: Rejection, what: str, hint: str = "") -> EvidenceRejected:
        return _refuse(code, what, filename=filename, policy=policy, hint=hint)

    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head), 256), 4)}
    if major in _HEIF_BRANDS:
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "foto HEIC/AVIF", "Simpan atau ekspor fotonya sebagai JPG.")
    if major in _AUDIO_BRANDS:
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "audio M4A")
    if major == b"qt  ":
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "video QuickTime (MOV)", "Ekspor ulang videonya sebagai MP4.")
    if major in _MP4_BRANDS or compatible & _MP4_BRANDS:
        return FORMATS["mp4"]
    raise refuse(Rejection.TYPE_NOT_ALLOWED, "video dengan format yang tidak dikenal")


def _match_text(head: bytes, *, filename: str, policy: EvidencePolicy) -> FileFormat:
    def refuse(code: Rejection, what: str, hint: str = "") -> EvidenceRejected:
        return _refuse(code, what, filename=filename, policy=policy, hint=hint)

    if _BINARY_CONTROL.search(head):
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "berkas biner yang tidak dikenal")
    body = head.removeprefix(b"\xef\xbb\xbf")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    start = text.lstrip().lower()
    if start.startswith("#!") or "<?php" in start:
        raise refuse(Rejection.SCRIPT, "skrip program")
    if "<svg" in start:
        raise refuse(Rejection.SVG, "gambar SVG (dapat berisi skrip)", "Simpan ulang sebagai PNG atau JPG.")
    if _HTML_START.match(start) or _HTML_ANYWHERE.search(start):
        raise refuse(Rejection.HTML, "halaman web HTML")
    if start.startswith("<?xml") or start.startswith("<!doctype"):
        raise refuse(Rejection.TYPE_NOT_ALLOWED, "dokumen XML")
    if b"%PDF-" in head[:1024]:
        raise refuse(Rejection.POLYGLOT, "PDF yang didahului data lain")
    return FORMATS["csv"] if _extension_of(filename) == ".csv" else FORMATS["txt"]


# --- the pipeline ------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_READ_CHUNK):
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
    if size == 0:
        raise _reject(Rejection.EMPTY, _EMPTY_MESSAGE, policy=policy)
    with path.open("rb") as fh:
        head = fh.read(HEAD_SIZE)
    detected = sniff(head, filename=filename, policy=policy)
    limit = policy.max_bytes(detected.kind)
    if size > limit:
        raise _reject(
            Rejection.TOO_LARGE,
            f"Ukuran berkas {format_size(size)} melebihi batas {format_size(limit)} untuk {detected.format.label}. "
            "Perkecil atau pisahkan berkasnya lalu unggah lagi.",
            policy=policy,
        )
    original_sha256, _ = sha256_of(path)
    fmt = detected.format
    page_count: int | None = None
    captured_at: datetime | None = None
    metadata_removed = False
    notes: list[str] = []
    store = path
    if fmt.kind == "pdf":
        page_count, notes = _check_pdf(path, size=size, filename=filename, policy=policy)
    elif fmt.kind == "image":
        clean = _clean_image(path, fmt, policy=policy, clean_dir=clean_dir)
        store, captured_at, metadata_removed, notes = clean.path, clean.captured_at, clean.metadata_removed, clean.notes
    elif fmt.kind == "office":
        fmt = _check_office(path, size=size, filename=filename, policy=policy)
    elif fmt.kind == "data":
        notes = _check_text(path, policy)
    elif fmt.kind == "video" and _contains_zip(path, size):  # videos are not decoded: signature, size, this
        raise _refuse(Rejection.POLYGLOT, "gabungan video dan arsip ZIP", filename=filename, policy=policy)
    sha256, stored_size = (original_sha256, size) if store == path else sha256_of(store)
    mismatch = _name_mismatch(filename, fmt)
    if mismatch:
        given = _extension_of(filename) or "(tanpa ekstensi)"
        notes.insert(0, f"Nama berkas berakhiran {given}, tetapi isinya {fmt.label}; disimpan sebagai {fmt.extension}.")
    return InspectionResult(
        kind=fmt.kind,
        mime=fmt.mime,
        extension=fmt.extension,
        safe_filename=_safe_name(filename, fmt),
        path_to_store=store,
        size=stored_size,
        sha256=sha256,
        original_sha256=original_sha256,
        page_count=page_count,
        captured_at=captured_at,
        metadata_removed=metadata_removed,
        name_mismatch=mismatch,
        warnings=notes,
    )


# --- PDF ---------------------------------------------------------------------------------------------------------

_ZIP_TAIL = 65_535 + 22  # an end-of-central-directory record plus the longest comment


def _read_tail(path: Path, size: int, n: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(max(0, size - n))
        return fh.read(n)


def _check_pdf(path: Path, *, size: int, filename: str, policy: EvidencePolicy) -> tuple[int, list[str]]:
    tail = _read_tail(path, size, _ZIP_TAIL)
    if b"PK\x05\x06" in tail and _contains_zip(path, size):
        raise _refuse(Rejection.POLYGLOT, "gabungan PDF dan arsip ZIP", filename=filename, policy=policy)
    invalid = (
        "PDF ini rusak atau tidak lengkap sehingga tidak dapat dibaca. Buka berkasnya lalu simpan ulang atau "
        "ekspor/cetak ke PDF, kemudian unggah lagi."
    )
    if b"%%EOF" not in tail[-1024:]:  # a cut-off upload; readers tolerate at most ~1 KB after the marker
        raise _reject(Rejection.PDF_INVALID, invalid, policy=policy, detail="no %%EOF near the end")
    with path.open("rb") as fh:
        try:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                raise _reject(
                    Rejection.PDF_ENCRYPTED,
                    "PDF ini dilindungi kata sandi atau dienkripsi sehingga tidak dapat diperiksa. Simpan ulang "
                    "atau cetak ke PDF tanpa kata sandi, lalu unggah lagi.",
                    policy=policy,
                )
            pages = len(reader.pages)
            active = _pdf_active_content(reader)
        except EvidenceRejected:
            raise
        except Exception as exc:  # pypdf raises many types on hostile input; all of them mean "cannot be read"
            raise _reject(Rejection.PDF_INVALID, invalid, policy=policy, detail=repr(exc)) from exc
    if pages < 1:
        raise _reject(Rejection.PDF_INVALID, invalid, policy=policy, detail="no pages")
    notes = []
    if active:
        notes.append(
            "PDF ini berisi konten aktif (" + ", ".join(active) + "); berkas diterima tetapi sebaiknya diperiksa."
        )
    return pages, notes


def _contains_zip(path: Path, size: int) -> bool:
    """Whether a ZIP reader would find an archive in this file (bounded: reads the end record and 4 bytes).

    zipfile itself is not used here: it would parse a central directory of any size an attacker writes.
    """
    with path.open("rb") as fh:
        try:
            entries, _, directory_start = _zip_end_record(fh, size)
        except (zipfile.BadZipFile, struct.error):
            return False
        if directory_start < 0:  # ZIP64: only ever written for real archives
            return True
        fh.seek(directory_start)
        return entries > 0 and fh.read(4) == b"PK\x01\x02"


def _pdf_active_content(reader: PdfReader) -> list[str]:
    """Catalog entries that run or carry something when the PDF opens; flagged for a reviewer, not refused."""
    catalog = reader.trailer.get("/Root")
    catalog = catalog.get_object() if catalog is not None else None
    if not isinstance(catalog, DictionaryObject):
        return []
    found = []
    if "/OpenAction" in catalog or "/AA" in catalog:
        found.append("tindakan otomatis")
    names = catalog.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        if "/JavaScript" in names:
            found.append("JavaScript")
        if "/EmbeddedFiles" in names:
            found.append("lampiran tersemat")
    return found


# --- images ------------------------------------------------------------------------------------------------------

_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_SAVE_MODES = {"jpeg": {"L", "RGB", "CMYK"}, "png": {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"}}
_SAVE_MODES["webp"] = {"RGB", "RGBA"}
# Pillow `info` keys that describe the pixels rather than the picture's origin; any other key is metadata.
_STRUCTURAL_INFO = frozenset(
    _words(
        "dpi jfif jfif_version jfif_unit jfif_density progressive progression adobe adobe_transform gamma transparency"
        " interlace aspect srgb bbox default_image duration loop background timestamp chromaticity lossless"
    )
)
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME, _OFFSET_ORIGINAL, _OFFSET = 36867, 306, 36881, 36880


@dataclass(frozen=True, slots=True)
class _CleanImage:
    path: Path
    captured_at: datetime | None
    metadata_removed: bool
    notes: list[str]


def _check_pixels(size: tuple[int, int], policy: EvidencePolicy) -> None:
    width, height = size
    if width * height > policy.max_image_pixels:
        raise _reject(
            Rejection.IMAGE_TOO_MANY_PIXELS,
            f"Gambar terlalu besar: {_thousands(width)} × {_thousands(height)} piksel; batasnya "
            f"{_thousands(policy.max_image_pixels)} piksel. Perkecil resolusinya lalu unggah lagi.",
            policy=policy,
        )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _clean_image(path: Path, fmt: FileFormat, *, policy: EvidencePolicy, clean_dir: Path) -> _CleanImage:
    """Decode within the pixel limit, then write only the pixels (orientation applied) as a new file."""
    pil_format = _PIL_FORMAT[fmt.key]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[pil_format]) as probe:
                _check_pixels(probe.size, policy)
                probe.verify()
            with Image.open(path, formats=[pil_format]) as im:
                _check_pixels(im.size, policy)
                animated = bool(getattr(im, "is_animated", False))
                im.load()
                exif = im.getexif()
                captured_at = _capture_date(exif)
                had_gps = bool(exif.get_ifd(_GPS_IFD)) or _GPS_IFD in exif
                had_metadata = bool(exif) or any(k not in _STRUCTURAL_INFO for k in im.info)
                pixels = _pixels_only(im, fmt.key)  # loaded: leaving `with` closes the file, not the pixels
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _reject(
            Rejection.IMAGE_TOO_MANY_PIXELS,
            f"Gambar terlalu besar; batasnya {_thousands(policy.max_image_pixels)} piksel. "
            "Perkecil resolusinya lalu unggah lagi.",
            policy=policy,
            detail=str(exc),
        ) from exc
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, struct.error, EOFError, zlib.error) as exc:
        raise _reject(
            Rejection.IMAGE_INVALID,
            f"{fmt.label[0].upper()}{fmt.label[1:]} ini rusak atau tidak lengkap. Buka lalu simpan ulang "
            "gambarnya, kemudian unggah lagi.",
            policy=policy,
            detail=repr(exc),
        ) from exc
    fd, name = tempfile.mkstemp(prefix="clean-", suffix=fmt.extension, dir=clean_dir)
    out = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            options: dict[str, object] = {"exif": b""}
            if fmt.key in ("jpeg", "webp"):
                options["quality"] = policy.jpeg_quality
            pixels.save(fh, format=pil_format, **options)
        _assert_no_metadata(out, pil_format)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    notes = []
    if had_gps:
        notes.append("Data lokasi (GPS) pada foto telah dihapus.")
    if animated:
        notes.append("Gambar bergerak: hanya bingkai pertama yang disimpan.")
    return _CleanImage(out, captured_at, had_metadata, notes)


def _pixels_only(im: Image.Image, key: str) -> Image.Image:
    ImageOps.exif_transpose(im, in_place=True)  # in place: no second full-size copy of a large photo
    upright = im
    if upright.mode not in _SAVE_MODES[key] or "transparency" in upright.info:
        has_alpha = "A" in upright.getbands() or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha and key != "jpeg" else "RGB")
    upright.info = {}  # nothing of the original travels: no EXIF, XMP, ICC, comments or text chunks
    return upright


def _assert_no_metadata(path: Path, pil_format: str) -> None:
    # A safety net against a Pillow upgrade that starts copying metadata by default.
    with Image.open(path, formats=[pil_format]) as im:
        leaked = bool(im.getexif()) or any(k not in _STRUCTURAL_INFO for k in im.info)
    if leaked:
        raise RuntimeError(f"re-encoded image still carries metadata: {path}")


def _capture_date(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(_EXIF_IFD)
    for raw, offset in ((sub.get(_DATETIME_ORIGINAL), sub.get(_OFFSET_ORIGINAL)), (exif.get(_DATETIME), None)):
        if isinstance(raw, bytes):
            raw = raw.decode("ascii", "replace")
        if not isinstance(raw, str):
            continue
        parsed = _parse_exif_datetime(raw.strip("\x00 "), offset if isinstance(offset, str) else None)
        if parsed is not None:
            return parsed
    return None


def _parse_exif_datetime(raw: str, offset: str | None) -> datetime | None:
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            value = datetime.strptime(raw[:19], pattern)  # EXIF local time: naive unless an offset tag exists
        except ValueError:
            continue
        match = re.fullmatch(r"([+-])(\d\d):(\d\d)", (offset or "").strip("\x00 "))
        if match:
            delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
            value = value.replace(tzinfo=timezone(-delta if match[1] == "-" else delta))
        return value
    return None


# --- Office archives ---------------------------------------------------------------------------------------------

_ODF_FORMATS = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_MACRO_MEMBERS = frozenset({"vbaproject.bin", "vbaprojectsignature.bin", "vbaprojectsignatureagile.bin", "vbadata.xml"})
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"macrosheet")
_VBA_MARKER = "_VBA_PROJECT".encode("utf-16-le")  # stream name in an OLE2 directory holding a VBA project
_KEEP = {"[Content_Types].xml": 1 * MiB, "mimetype": 256}


def _bomb(detail: str, policy: EvidencePolicy) -> EvidenceRejected:
    return _reject(
        Rejection.OFFICE_BOMB,
        "Berkas Office ini tidak wajar: isinya mengembang jauh melebihi ukuran berkasnya (kemungkinan 'zip bomb'). "
        "Buka dan simpan ulang dokumennya dari aplikasi Office, lalu unggah lagi.",
        policy=policy,
        detail=detail,
    )


def _check_office(path: Path, *, size: int, filename: str, policy: EvidencePolicy) -> FileFormat:
    """Check an OOXML/ODF archive without extracting anything, and return its format."""
    try:
        with path.open("rb") as fh:
            entries, directory_size, _ = _zip_end_record(fh, size)
            # Checked before zipfile parses the directory, which costs memory per entry.
            if entries > policy.office_max_members or directory_size > policy.office_max_members * 1024:
                raise _bomb(f"{entries} entries, central directory {directory_size} bytes", policy)
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
            if len(infos) > policy.office_max_members:
                raise _bomb(f"{len(infos)} members", policy)
            names = _check_member_names(infos, policy)
            if any(info.flag_bits & 0x1 for info in infos):
                raise _reject(Rejection.OFFICE_ENCRYPTED, _OFFICE_ENCRYPTED_MESSAGE, policy=policy)
            family = "ooxml" if "[Content_Types].xml" in names else "odf" if "mimetype" in names else None
            if family is None:
                raise _refuse(
                    Rejection.TYPE_NOT_ALLOWED,
                    "arsip ZIP biasa, bukan dokumen Office",
                    filename=filename,
                    policy=policy,
                )
            if any(_is_macro_member(n, family) for n in names):
                raise _reject(Rejection.MACRO, MACRO_MESSAGE, policy=policy, detail="macro member name")
            _check_declared_sizes(infos, policy)
            kept = _inflate_all(fh, infos, policy)
            return _resolve_office_format(names, kept, filename=filename, policy=policy)
    except EvidenceRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        raise _reject(
            Rejection.OFFICE_INVALID,
            "Berkas Office ini rusak atau tidak dapat dibaca. Buka dan simpan ulang dokumennya, lalu unggah lagi.",
            policy=policy,
            detail=repr(exc),
        ) from exc


def _zip_end_record(fh: BinaryIO, size: int) -> tuple[int, int, int]:
    """Entry count, central-directory size and where the directory starts (-1 for ZIP64), from the end record.

    Read without parsing any entry, so the counts can be checked before anything costs memory per entry. The
    start is computed backwards from the end record, as readers do, so data prepended to the archive is allowed for.
    """
    base = max(0, size - _ZIP_TAIL)
    fh.seek(base)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    entries, directory_size = struct.unpack("<2xHI", tail[at + 8 : at + 16])
    directory_start = base + at - directory_size
    locator = tail[at - 20 : at] if at >= 20 else b""
    if (entries == 0xFFFF or directory_size == 0xFFFFFFFF) and locator[:4] == b"PK\x06\x07":
        (record_offset,) = struct.unpack("<Q", locator[8:16])
        fh.seek(record_offset)
        record = fh.read(56)
        if record[:4] != b"PK\x06\x06" or len(record) < 56:
            raise zipfile.BadZipFile("bad zip64 end record")
        entries, directory_size = struct.unpack("<QQ", record[32:48])
        directory_start = -1
    return entries, directory_size, directory_start


def _check_member_names(infos: list[zipfile.ZipInfo], policy: EvidencePolicy) -> set[str]:
    names: set[str] = set()
    for info in infos:
        name = info.filename
        parts = re.split(r"[/\\]", name)
        is_symlink = (info.external_attr >> 16) & 0o170000 == 0o120000
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts or is_symlink:
            raise _reject(
                Rejection.OFFICE_PATH_TRAVERSAL,
                "Berkas Office ini berisi nama bagian yang tidak aman (jalur absolut, '..' atau tautan). "
                "Buka dan simpan ulang dokumennya dari aplikasi Office, lalu unggah lagi.",
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
        for chunk in _member_chunks(fh, info):
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
                raise _reject(Rejection.MACRO, MACRO_MESSAGE, policy=policy, detail=f"VBA project in {info.filename}")
            carry = window[-(len(_VBA_MARKER) - 1) :]
            if len(keep) < keep_limit:
                keep += chunk[: keep_limit - len(keep)]
        if produced != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(f"{info.filename}: size or CRC does not match")
        if keep_limit:
            kept[info.filename] = bytes(keep)
    return kept


def _member_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, inflated here with bounded output per step, independent of declared sizes."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if fh.read(name_length) != info.orig_filename.encode(encoding):
        raise zipfile.BadZipFile(f"{info.filename}: local name differs from the directory")
    fh.seek(extra_length, os.SEEK_CUR)
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while remaining:
            chunk = fh.read(min(remaining, _READ_CHUNK))
            if not chunk:
                raise EOFError(info.filename)
            remaining -= len(chunk)
            yield chunk
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:  # bzip2/lzma in zipfile inflate without an output bound
        raise NotImplementedError(f"{info.filename}: compression method {info.compress_type}")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    while not inflater.eof:
        data = inflater.unconsumed_tail
        if not data and remaining:
            data = fh.read(min(remaining, _INFLATE_INPUT))
            if not data:
                raise EOFError(info.filename)
            remaining -= len(data)
        out = inflater.decompress(data, _READ_CHUNK)  # never more than 1 MiB of output per step
        if not out and not data:
            raise EOFError(f"{info.filename}: deflate stream ends early")
        yield out


def _resolve_office_format(
    names: set[str], kept: dict[str, bytes], *, filename: str, policy: EvidencePolicy
) -> FileFormat:
    if "[Content_Types].xml" in names:
        content_types = kept.get("[Content_Types].xml", b"").lower()
        if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
            raise _reject(Rejection.MACRO, MACRO_MESSAGE, policy=policy, detail="macro content type")
        for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in names):
                return FORMATS[key]
        what = "paket Office yang tidak dikenal"
    else:
        mimetype = kept.get("mimetype", b"").strip()
        if mimetype in _ODF_FORMATS:
            return FORMATS[_ODF_FORMATS[mimetype]]
        what = f"dokumen OpenDocument jenis lain ({mimetype.decode('ascii', 'replace')[:60]})"
    raise _refuse(Rejection.TYPE_NOT_ALLOWED, what, filename=filename, policy=policy)


# --- CSV / TXT ---------------------------------------------------------------------------------------------------


def _check_text(path: Path, policy: EvidencePolicy) -> list[str]:
    """Streamed: no NUL or other control bytes anywhere; UTF-8, or Latin-1/Windows-1252 with a warning."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as fh:
        while chunk := fh.read(_READ_CHUNK):
            if _BINARY_CONTROL.search(chunk):
                raise _reject(
                    Rejection.DATA_INVALID,
                    "Berkas teks/CSV ini berisi karakter biner (misalnya NUL), jadi bukan tabel data biasa. Simpan "
                    "ulang sebagai CSV UTF-8 dari aplikasi lembar kerja, lalu unggah lagi.",
                    policy=policy,
                )
            if utf8:
                try:
                    decoder.decode(chunk, final=False)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return []
    return ["Berkas teks ini tidak berkodekan UTF-8 dan dibaca sebagai Latin-1/Windows-1252; periksa huruf khusus."]
