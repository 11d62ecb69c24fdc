"""The file formats evidence may have (the allowlist), with their MIME type, extensions and Indonesian name.

Pure module: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

from kla.core.marking import gettext_noop
from kla.evidence.inspection.policy import Kind


def words(text: str) -> list[str]:
    return text.split()


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
        _fmt("jpeg", "image", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), gettext_noop("gambar JPG")),
        _fmt("png", "image", "image/png", (".png",), gettext_noop("gambar PNG")),
        _fmt("webp", "image", "image/webp", (".webp",), gettext_noop("gambar WebP")),
        _fmt(
            "docx", "office", _OOXML_MIME + "wordprocessingml.document", (".docx",), gettext_noop("dokumen Word (DOCX)")
        ),
        _fmt(
            "xlsx", "office", _OOXML_MIME + "spreadsheetml.sheet", (".xlsx",), gettext_noop("lembar kerja Excel (XLSX)")
        ),
        _fmt(
            "pptx", "office", _OOXML_MIME + "presentationml.presentation", (".pptx",), gettext_noop("presentasi (PPTX)")
        ),
        _fmt("odt", "office", "application/vnd.oasis.opendocument.text", (".odt",), gettext_noop("dokumen ODT")),
        _fmt(
            "ods",
            "office",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
            gettext_noop("lembar kerja ODS"),
        ),
        _fmt("mp4", "video", "video/mp4", (".mp4", ".m4v"), gettext_noop("video MP4")),
        _fmt("webm", "video", "video/webm", (".webm",), gettext_noop("video WebM")),
        _fmt("csv", "data", "text/csv", (".csv",), gettext_noop("tabel CSV")),
        _fmt("txt", "data", "text/plain", (".txt", ".tsv"), gettext_noop("teks TXT")),
    )
}
# A ZIP whose members decide the format (OOXML or ODF); resolved by `inspect_file`.
ZIP_PENDING = FileFormat("zip", "office", "application/zip", ".zip", (), gettext_noop("arsip ZIP"))

# Extensions that are certainly extensions when a name must be corrected ("laporan.exe" → "laporan.pdf").
KNOWN_EXTENSIONS = frozenset(
    [a for f in FORMATS.values() for a in f.aliases]
    + words(
        ".exe .dll .com .scr .bat .cmd .msi .js .vbs .ps1 .sh .php .phtml .html .htm .xhtml .svg .xml .gif .bmp"
        " .tif .tiff .heic .heif .avif .zip .rar .7z .gz .tar .doc .xls .ppt .docm .xlsm .pptm .dotx .dotm .rtf .mov"
        " .mkv .avi .mp3 .wav .odp .bin .dat .tmp .jar .apk"
    )
)
