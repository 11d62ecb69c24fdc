"""Kinds of sites a field verifier visits, their default checklists, and which indicators suggest which kind.

Pure module: no Django import. The checklists follow what the Juknis asks field verifiers to see for themselves
(facilities, documents on site, interviews with children without adults present); a team adds its own items on the
site page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class SiteKind(StrEnum):
    SCHOOL = "school"
    HEALTH = "health"
    PLAY = "play"
    PUSPAGA = "puspaga"
    FORUM = "forum"
    OFFICE = "office"
    OTHER = "other"


SITE_KIND_LABELS: dict[SiteKind, str] = {
    SiteKind.SCHOOL: "Sekolah Ramah Anak (SRA)",
    SiteKind.HEALTH: "Puskesmas Ramah Anak (PRA)",
    SiteKind.PLAY: "Ruang Bermain Ramah Anak (RBRA)",
    SiteKind.PUSPAGA: "PUSPAGA",
    SiteKind.FORUM: "Forum Anak",
    SiteKind.OFFICE: "Kantor layanan",
    SiteKind.OTHER: "Lainnya",
}

DEFAULT_CHECKLISTS: dict[SiteKind, tuple[str, ...]] = {
    SiteKind.SCHOOL: (
        "SK Tim SRA dan komitmen tertulis sekolah tersedia",
        "Guru dan tenaga kependidikan terlatih Konvensi Hak Anak/SRA",
        "Toilet terpisah laki-laki dan perempuan, bersih dan layak",
        "Kawasan tanpa rokok; tidak ada iklan, promosi, sponsor rokok",
        "Mekanisme pengaduan dan pencegahan kekerasan/perundungan berjalan",
        "Siswa dilibatkan dalam kebijakan sekolah (wawancara siswa tanpa guru)",
        "Sarana cuci tangan, jalur evakuasi dan lingkungan aman",
    ),
    SiteKind.HEALTH: (
        "SK Puskesmas Ramah Anak tersedia",
        "Tenaga kesehatan terlatih Konvensi Hak Anak",
        "Ruang tunggu dan ruang bermain anak tersedia",
        "Layanan kesehatan peduli remaja (PKPR) berjalan",
        "Ruang laktasi/pojok ASI tersedia",
        "Alur rujukan anak korban kekerasan tersedia",
        "Kawasan tanpa rokok",
    ),
    SiteKind.PLAY: (
        "Permukaan, pagar dan alat bermain aman (tidak ada benda tajam/berkarat)",
        "Alat permainan layak dan terawat",
        "Dapat diakses anak penyandang disabilitas",
        "Ada pengelola dan jadwal perawatan",
        "Toilet dan air bersih tersedia",
        "Bebas asap dan iklan rokok",
        "Pencahayaan dan pengawasan memadai",
    ),
    SiteKind.PUSPAGA: (
        "SK pembentukan PUSPAGA tersedia",
        "Tenaga profesional (psikolog/konselor) tersedia",
        "Ruang konseling menjaga privasi",
        "Catatan layanan tersedia tanpa membuka identitas klien",
        "Jejaring rujukan berjalan",
        "Layanan disosialisasikan kepada keluarga",
    ),
    SiteKind.FORUM: (
        "SK Forum Anak dan kepengurusan aktif",
        "Wawancara anggota Forum Anak tanpa pendamping dewasa",
        "Forum Anak dilibatkan dalam Musrenbang",
        "Dokumentasi kegiatan setahun terakhir",
        "Keanggotaan beragam (termasuk anak penyandang disabilitas dan kelompok rentan)",
    ),
    SiteKind.OFFICE: (
        "Alur layanan terpampang dan mudah dipahami anak dan keluarga",
        "Ruang tunggu/ruang ramah anak tersedia",
        "SOP layanan anak tersedia",
        "Petugas terlatih melayani anak",
        "Pencatatan layanan berjalan",
    ),
    SiteKind.OTHER: (
        "Fasilitas ada dan sesuai laporan evaluasi mandiri",
        "Wawancara pengelola",
        "Kondisi fasilitas layak dan aman bagi anak",
    ),
}

# Words in an indicator's name that point to a kind of site to visit; the first rule that matches wins.
SUGGESTION_RULES: tuple[tuple[tuple[str, ...], SiteKind], ...] = (
    (("sekolah ramah anak", "satuan pendidikan ramah anak", "(sra)", "paud", "wajib belajar"), SiteKind.SCHOOL),
    (("puskesmas", "pelayanan ramah anak", "fasilitas kesehatan"), SiteKind.HEALTH),
    (("puspaga", "konsultasi penyedia layanan pengasuhan"), SiteKind.PUSPAGA),
    (("forum anak", "partisipasi anak"), SiteKind.FORUM),
    (("ruang bermain", "kreativitas", "rekreatif", "infrastruktur ramah anak"), SiteKind.PLAY),
    (("akta kelahiran", "korban kekerasan", "pengasuhan alternatif", "berhadapan dengan hukum"), SiteKind.OFFICE),
)

MAX_ITEMS = 40
MAX_LABEL = 200


def default_checklist(kind: SiteKind | str) -> list[dict[str, Any]]:
    """A fresh checklist for a new site of `kind`: every item not done yet."""
    return [{"label": label, "done": False} for label in DEFAULT_CHECKLISTS[SiteKind(kind)]]


def suggest_kind(*names: str) -> SiteKind | None:
    """The kind of site that verifies an indicator with these names (name, short name), or None."""
    text = " ".join(names).lower()
    for words, kind in SUGGESTION_RULES:
        if any(w in text for w in words):
            return kind
    return None


def apply_checks(
    checklist: Sequence[dict[str, Any]], checks: dict[int, bool], add: str = ""
) -> tuple[list[dict[str, Any]], list[str]]:
    """The checklist with the given items ticked or unticked (by position) and an optional new item appended.

    Returns the new list and the labels that changed. Unknown positions are refused (ValueError, Indonesian).
    """
    labels = [str(i.get("label", "")) for i in checklist]
    states = [bool(i.get("done")) for i in checklist]
    changed: list[str] = []
    for index, done in sorted(checks.items()):
        if not 0 <= index < len(labels):
            raise ValueError("Butir daftar periksa tidak ditemukan; muat ulang halaman.")
        if states[index] != done:
            states[index] = done
            changed.append(labels[index])
    label = " ".join(add.split())[:MAX_LABEL]
    if label:
        if len(labels) >= MAX_ITEMS:
            raise ValueError(f"Ceklis paling banyak {MAX_ITEMS} butir.")
        labels.append(label)
        states.append(False)
        changed.append(label)
    return [{"label": lb, "done": st} for lb, st in zip(labels, states, strict=True)], changed


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(checklist: Sequence[dict[str, Any]]) -> Progress:
    return Progress(sum(1 for i in checklist if i.get("done")), len(checklist))
