"""CSV and plain-text evidence: no binary bytes anywhere, and UTF-8 (or Latin-1/Windows-1252, with a warning).

Pure module: no Django import. Read in chunks, so a 10 MB table never sits in memory whole.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kla.core.marking import gettext_noop
from kla.evidence.inspection.policy import READ_CHUNK, EvidencePolicy
from kla.evidence.inspection.refusals import Rejection, reject

# C0 controls other than tab, LF, CR, form feed and the DOS end-of-file marker: not text.
BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")


def check_text(path: Path, policy: EvidencePolicy) -> list[str]:
    """Streamed: no NUL or other control bytes anywhere; UTF-8, or Latin-1/Windows-1252 with a warning."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with path.open("rb") as fh:
        while chunk := fh.read(READ_CHUNK):
            if BINARY_CONTROL.search(chunk):
                raise reject(
                    Rejection.DATA_INVALID,
                    gettext_noop(
                        "Berkas teks/CSV ini berisi karakter biner (misalnya NUL), jadi bukan tabel data biasa. "
                        "Simpan ulang sebagai CSV UTF-8 dari aplikasi lembar kerja, lalu unggah lagi."
                    ),
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
    return [
        gettext_noop(
            "Berkas teks ini tidak berkodekan UTF-8 dan dibaca sebagai Latin-1/Windows-1252; periksa huruf khusus."
        )
    ]
