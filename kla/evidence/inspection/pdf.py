"""PDF evidence: complete (not cut off), readable, not encrypted, at least one page, not also a ZIP archive.

Pure module: no Django import. Active content (scripts, automatic actions, embedded files) is noted for the
reviewer rather than refused.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from kla.core.marking import Text, gettext_noop
from kla.evidence.inspection.policy import EvidencePolicy
from kla.evidence.inspection.refusals import EvidenceRejected, Rejection, refuse, reject
from kla.evidence.inspection.zipfiles import ZIP_TAIL, contains_zip


def _read_tail(path: Path, size: int, n: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(max(0, size - n))
        return fh.read(n)


def check_pdf(path: Path, *, size: int, filename: str, policy: EvidencePolicy) -> tuple[int, list[str]]:
    tail = _read_tail(path, size, ZIP_TAIL)
    if b"PK\x05\x06" in tail and contains_zip(path, size):
        raise refuse(Rejection.POLYGLOT, gettext_noop("gabungan PDF dan arsip ZIP"), filename=filename, policy=policy)
    invalid = gettext_noop(
        "PDF ini rusak atau tidak lengkap sehingga tidak dapat dibaca. Buka berkasnya lalu simpan ulang atau "
        "ekspor/cetak ke PDF, kemudian unggah lagi."
    )
    if b"%%EOF" not in tail[-1024:]:  # a cut-off upload; readers tolerate at most ~1 KB after the marker
        raise reject(Rejection.PDF_INVALID, invalid, policy=policy, detail="no %%EOF near the end")
    with path.open("rb") as fh:
        try:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                raise reject(
                    Rejection.PDF_ENCRYPTED,
                    gettext_noop(
                        "PDF ini dilindungi kata sandi atau dienkripsi sehingga tidak dapat diperiksa. Simpan ulang "
                        "atau cetak ke PDF tanpa kata sandi, lalu unggah lagi."
                    ),
                    policy=policy,
                )
            pages = len(reader.pages)
            active = _pdf_active_content(reader)
        except EvidenceRejected:
            raise
        except Exception as exc:  # pypdf raises many types on hostile input; all of them mean "cannot be read"
            raise reject(Rejection.PDF_INVALID, invalid, policy=policy, detail=repr(exc)) from exc
    if pages < 1:
        raise reject(Rejection.PDF_INVALID, invalid, policy=policy, detail="no pages")
    notes: list[str] = []
    if active:
        found = Text(
            ", ".join(f"%(a{i})s" for i in range(len(active))), **{f"a{i}": Text(a) for i, a in enumerate(active)}
        )
        notes.append(
            Text(
                gettext_noop("PDF ini berisi konten aktif (%(found)s); berkas diterima tetapi sebaiknya diperiksa."),
                found=found,
            )
        )
    return pages, notes


def _pdf_active_content(reader: PdfReader) -> list[str]:
    """Catalog entries that run or carry something when the PDF opens; flagged for a reviewer, not refused."""
    catalog = reader.trailer.get("/Root")
    catalog = catalog.get_object() if catalog is not None else None
    if not isinstance(catalog, DictionaryObject):
        return []
    found = []
    if "/OpenAction" in catalog or "/AA" in catalog:
        found.append(gettext_noop("tindakan otomatis"))
    names = catalog.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        if "/JavaScript" in names:
            found.append("JavaScript")
        if "/EmbeddedFiles" in names:
            found.append(gettext_noop("lampiran tersemat"))
    return found
