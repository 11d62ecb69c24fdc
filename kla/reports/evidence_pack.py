"""Evidence packs: the active evidence files of one evaluation (or one of its indicators) in a ZIP, for a verifier
reading offline before a field visit, or for the task force's archive.

The pack is laid out as the instrument is: one folder per indicator, each file named after its question and the
name it was uploaded with, plus ``daftar-bukti.csv`` listing every file with its metadata and SHA-256. Every file's
bytes are hashed while they are packed and compared with the hash recorded at upload. A file missing from storage
or changed since its upload is listed with what went wrong; the pack is still made, and the export carries a note.
Evidence holds no scores, so a pack reveals nothing sealed; who may ask for it is who may view the evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kla.core.formatting import format_date_short, format_datetime_short
from kla.evaluations.models import Entry, Evaluation
from kla.evidence.models import Evidence
from kla.regions.zones import zone_of
from kla.reports.packing import ZipPack, safe_part, unique_name
from kla.reports.writers import Cell, csv_bytes

EVIDENCE_PACK = "paket-bukti"
EVIDENCE_PACK_LABEL = gettext_lazy("Paket bukti dukung (ZIP)")
INDEX_NAME = "daftar-bukti.csv"
MISSING = "Berkas tidak ada di penyimpanan; tidak dimasukkan ke paket. Laporkan ke administrator."
CHANGED = "PERINGATAN: isi berkas tidak sama dengan saat diunggah (SHA-256 berbeda). Laporkan ke administrator."
INDEX_COLUMNS = (
    "Berkas dalam paket",
    "No. indikator",
    "Indikator",
    "Pertanyaan",
    "Jenis bukti",
    "Nomor dokumen",
    "Tanggal dokumen",
    "Penerbit",
    "Periode dari",
    "Periode sampai",
    "Keterangan",
    "Nama berkas asli",
    "Ukuran (bita)",
    "SHA-256",
    "Diunggah",
    "Konfirmasi",
    "Pemindaian antivirus",
    "Peringatan pemeriksaan",
    "Catatan",
)

# What a pack reads of each file, its indicator and question (the rubrics and descriptions are not needed).
READ = (
    *(
        f.name
        for f in Evidence._meta.concrete_fields
        if f.name not in ("replaces", "carried_from", "deleted_at", "deleted_by", "uploaded_by", "scan_detail")
    ),
    "entry__indicator__number",
    "entry__indicator__name",
    "entry__indicator__name_en",
    "question__code",
)


@dataclass(frozen=True)
class PackResult:
    files: int  # listed in the index
    problems: int  # missing from storage or changed since upload


def pack_files(evaluation: Evaluation, entry: Entry | None = None) -> QuerySet[Evidence]:
    """The evidence a pack holds: the active files (current versions, not replaced or deleted ones)."""
    files = Evidence.objects.filter(entry__evaluation=evaluation, status=Evidence.Status.ACTIVE)
    return files.filter(entry=entry) if entry is not None else files


def pack_size(evaluation: Evaluation, entry: Entry | None = None) -> tuple[int, int]:
    """How many files and bytes a pack would hold (one query)."""
    found = pack_files(evaluation, entry).aggregate(files=Count("pk"), size=Sum("size"))
    return found["files"], found["size"] or 0


def folder_name(evaluation: Evaluation) -> str:
    return safe_part(f"Bukti dukung {evaluation.region.name} {evaluation.cycle.code}")


def write_pack(
    evaluation: Evaluation, entry: Entry | None, path: str, progress: Callable[[int, int], None]
) -> PackResult:
    """Write the pack to `path`, calling `progress(done, total)` after each file (the caller decides how often to
    record it). One query reads the files, whatever their number."""
    files = list(
        pack_files(evaluation, entry)
        .select_related("entry__indicator", "question")
        .only(*READ)
        .order_by("entry__indicator__position", "question__position", "uploaded_at", "pk")
    )
    total = len(files)
    progress(0, total)
    top = folder_name(evaluation)
    zone = zone_of(evaluation.region_id)  # times in the list and of the files: the region's WIB, WITA or WIT
    local = ZoneInfo(zone)
    folders: dict[int, str] = {}  # per indicator
    taken: set[str] = set()
    index: list[list[Cell]] = []
    problems = 0
    pack = ZipPack(path)
    try:
        for done, evidence in enumerate(files, start=1):
            indicator = evidence.entry.indicator
            folder = folders.get(indicator.pk)
            if folder is None:
                folder = folders[indicator.pk] = (
                    f"{top}/{safe_part(f'{indicator.number:02d} {indicator.display_name}')}"
                )
            name = unique_name(f"{folder}/{safe_part(f'{evidence.question.code} {evidence.original_name}')}", taken)
            note = ""
            try:
                source = evidence.file.open("rb")
            except FileNotFoundError:
                name, note = "", MISSING
            else:
                with source:
                    _copied, sha256 = pack.add_stream(
                        name,
                        source,
                        size=evidence.size,
                        modified=timezone.localtime(evidence.uploaded_at, local),
                    )
                if sha256 != evidence.sha256:
                    note = CHANGED
            problems += bool(note)
            index.append(_index_row(evidence, name, note, zone))
            progress(done, total)
        pack.add_text(
            f"{top}/{INDEX_NAME}", csv_bytes(INDEX_COLUMNS, index), modified=timezone.localtime(timezone=local)
        )
    finally:
        pack.close()
    return PackResult(files=total, problems=problems)


def _index_row(evidence: Evidence, name: str, note: str, zone: str) -> list[Cell]:
    indicator = evidence.entry.indicator
    return [
        name.partition("/")[2],  # relative to the folder holding the list
        indicator.number,
        indicator.display_name,
        evidence.question.code,
        evidence.get_evidence_type_display(),
        evidence.doc_number,
        _date(evidence.doc_date),
        evidence.issuer,
        _date(evidence.period_start),
        _date(evidence.period_end),
        evidence.description,
        evidence.original_name,
        evidence.size,
        evidence.sha256,
        format_datetime_short(evidence.uploaded_at, zone),
        evidence.get_confirmation_display() if evidence.confirmation else "",
        str(evidence.get_scan_status_display()),
        " ".join(evidence.warnings_text),
        note,
    ]


def _date(value: dt.date | None) -> str:
    """Dates of the list as every page writes them ("1 Mei 2024"), through kla.core.formatting."""
    return format_date_short(value) if value else ""
