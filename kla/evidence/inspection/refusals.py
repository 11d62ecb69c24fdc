"""Refusals of an upload: stable codes, the exception that carries them, and the Indonesian wording.

Pure module: no Django import. Every refusal says why and what to do, then which types are accepted (the policy
sentence), so the uploader can act on it without asking anyone.
"""

from __future__ import annotations

from enum import StrEnum

from kla.core.marking import Text, as_text, gettext_noop, joined
from kla.evidence.inspection.filenames import extension_of
from kla.evidence.inspection.formats import FORMATS
from kla.evidence.inspection.policy import EvidencePolicy


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
    """The file is refused. `message` is Indonesian (a `Text`, said again in the reader's language where shown) and
    shown to the uploader; `detail` is for logs only."""

    def __init__(self, code: str, message: str, *, detail: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail = detail


EMPTY_MESSAGE = gettext_noop("Berkas kosong (0 bita); mungkin unggahannya terputus. Pilih berkasnya lagi.")
OFFICE_ENCRYPTED_MESSAGE = gettext_noop(
    "Dokumen Office ini dilindungi kata sandi sehingga tidak dapat diperiksa. Hapus kata sandinya, simpan ulang, "
    "lalu unggah lagi."
)
MACRO_MESSAGE = gettext_noop("Berkas Office dengan makro tidak diterima; simpan ulang sebagai .docx/.xlsx tanpa makro.")


def reject(code: Rejection, text: str, *, policy: EvidencePolicy, detail: str = "") -> EvidenceRejected:
    """Every refusal says why and what to do, then which types are accepted (the policy sentence)."""
    return EvidenceRejected(code, joined(text, policy.describe()), detail=detail)


def refuse(code: Rejection, what: str, *, filename: str, policy: EvidencePolicy, hint: str = "") -> EvidenceRejected:
    """A refusal of the file's type, naming what the content looks like and what the name claimed.

    `what` and `hint` are marked Indonesian (`gettext_noop`) or a `Text`."""
    ext = extension_of(filename)
    claimed = next((f for f in FORMATS.values() if ext in f.aliases), None)
    seen = as_text(what)
    if code is Rejection.POLYGLOT:
        lead = Text(
            gettext_noop("Berkas ini tidak diterima karena isinya sekaligus dua jenis berkas (%(what)s)."), what=seen
        )
    elif claimed is not None:
        lead = Text(
            gettext_noop(
                "Berkas ini bukan %(claimed)s meskipun namanya berakhiran %(ext)s (isinya tampak seperti %(what)s)."
            ),
            claimed=Text(claimed.label),
            ext=ext,
            what=seen,
        )
    elif ext:
        lead = Text(
            gettext_noop("Berkas berakhiran %(ext)s ini tidak diterima (isinya tampak seperti %(what)s)."),
            ext=ext,
            what=seen,
        )
    else:
        lead = Text(gettext_noop("Jenis berkas ini tidak diterima (isinya tampak seperti %(what)s)."), what=seen)
    return reject(code, joined(lead, hint), policy=policy, detail=f"content looks like: {what}")
