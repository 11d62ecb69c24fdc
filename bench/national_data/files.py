"""The few small real files every national evidence row and field photo points to: built byte for byte, inspected
like uploads, stored once each (as carried-forward evidence shares one stored object)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kla.demo.files import pdf_bytes
from kla.evidence import inspection


@dataclass(frozen=True)
class StoredFile:
    name: str
    original_name: str
    kind: str
    mime: str
    size: int
    sha256: str
    original_sha256: str
    page_count: int | None
    metadata_removed: bool


def png_bytes(colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 120), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 60, 140, 110), fill=accent)  # a building
    draw.ellipse((110, 10, 145, 45), fill=(250, 210, 60))  # the sun
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def sample_files() -> dict[str, tuple[str, str, bytes]]:
    """Evidence type → (stored name, original name, bytes)."""
    note = ["Data nasional sintetis platform KLA (seed_national).", "Bukan dokumen resmi pemerintah daerah."]
    csv = b"indikator,tahun,pembilang,penyebut\n4,2025,9512,10000\n4,2024,9230,10000\n"
    return {
        "regulation": ("perda-kla", "peraturan-daerah-kla.pdf", pdf_bytes("Peraturan Daerah tentang KLA", note)),
        "decree": ("sk-gugus-tugas", "sk-gugus-tugas-kla.pdf", pdf_bytes("Keputusan Kepala Daerah", note)),
        "budget": ("dpa-anggaran", "dpa-anggaran-anak.pdf", pdf_bytes("Dokumen Pelaksanaan Anggaran", note)),
        "report": ("laporan-kegiatan", "laporan-kegiatan.pdf", pdf_bytes("Laporan Kegiatan", note)),
        "minutes": ("notulen-rapat", "notulen-rapat-koordinasi.pdf", pdf_bytes("Notulen Rapat Koordinasi", note)),
        "data_table": ("tabel-data", "tabel-data-capaian.csv", csv),
        "photo": ("foto-kegiatan", "foto-kegiatan-forum-anak.png", png_bytes((90, 160, 200), (200, 90, 60))),
        "photo_2": ("foto-fasilitas", "foto-fasilitas-ramah-anak.png", png_bytes((120, 190, 120), (230, 230, 230))),
    }


def _store(name: str, content: bytes) -> str:
    """Store `content` under `name` unless the same bytes are already there; returns the stored name."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            if hashlib.sha256(fh.read()).digest() == hashlib.sha256(content).digest():
                return name
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _inspected(tmpdir: Path, key: str, stem: str, original: str, content: bytes) -> StoredFile:
    """One sample file through the upload inspection, stored under evidence/national/."""
    from kla.evidence.services import policy

    raw = tmpdir / original
    raw.write_bytes(content)
    clean = tmpdir / f"clean-{key}"
    clean.mkdir()
    result = inspection.inspect_file(raw, filename=original, policy=policy(), clean_dir=clean)
    stored = result.path_to_store.read_bytes()
    return StoredFile(
        name=_store(f"evidence/national/{stem}{result.extension}", stored),
        original_name=result.safe_filename,
        kind=result.kind,
        mime=result.mime,
        size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
        original_sha256=result.original_sha256,
        page_count=result.page_count,
        metadata_removed=result.metadata_removed,
    )


def store_sample_files() -> tuple[dict[str, StoredFile], StoredFile]:
    """The evidence files (by evidence type) and the field photo, inspected like uploads and stored once each."""
    with tempfile.TemporaryDirectory(prefix="kla-national-") as tmp:
        out = {
            key: _inspected(Path(tmp), key, stem, original, content)
            for key, (stem, original, content) in sample_files().items()
        }
    photo = out["photo_2"]
    with default_storage.open(photo.name, "rb") as fh:
        photo_name = _store("fieldvisits/national/foto-lapangan.png", fh.read())
    return out, dataclasses.replace(photo, name=photo_name)
