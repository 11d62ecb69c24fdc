"""Palembang's RAD KLA 2025–2029 in the demo: programmes, activities and sub-activities under the instrument's
indicators, the agency responsible for each, outputs with a target per year and the budget per year and source.

Amounts are typed as an agency would type them (``"2.400.000.000"``, one with sen), so the demo goes through the
same reading of Indonesian numbers as a form or an import. The realisation pattern (`SHARES`) is a share of the
year's plan per quarter; the Dinas Kesehatan's supplementary feeding runs over plan (`OVERSPENT`, explained) and Dinas
Sosial's alternative care misses the latest quarter that has ended (`MISSING`), so both flags show. Figures are
invented for the demo; the structure follows the regional budgeting nomenclature (Permendagri 90/2019).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

START, END = 2025, 2029
TITLE = "RAD KLA Kota Palembang"  # the pages add the period
BASIS_KIND = "perwal"
BASIS_NUMBER = "Peraturan Wali Kota Palembang Nomor 18 Tahun 2025"
BASIS_DATE = dt.date(2025, 4, 14)

APBD, APBN, DAK, CSR = "apbd_kabkota", "apbn", "dak", "business"
# Amounts per year 2025..2029: an int is millions of rupiah, a str is typed as is.
type Amount = int | str
type Budget = tuple[tuple[str, tuple[Amount, Amount, Amount, Amount, Amount]], ...]


@dataclass(frozen=True, slots=True)
class OutputSpec:
    name: str
    unit: str
    targets: tuple[int, int, int, int, int]  # 2025..2029


@dataclass(frozen=True, slots=True)
class LeafSpec:
    """A sub-activity (or an activity without sub-activities): what is funded and realised."""

    name: str
    code: str
    outputs: tuple[OutputSpec, ...]
    budget: Budget


@dataclass(frozen=True, slots=True)
class ActivitySpec:
    name: str
    code: str
    agency: str  # agency kind of Palembang's registry
    outputs: tuple[OutputSpec, ...] = ()
    budget: Budget = ()
    subs: tuple[LeafSpec, ...] = ()  # when given, the money sits on them


@dataclass(frozen=True, slots=True)
class ProgrammeSpec:
    indicator: str  # the instrument's indicator code
    name: str
    code: str
    activities: tuple[ActivitySpec, ...] = field(default_factory=tuple)


OVERSPENT = "Pemberian makanan tambahan bagi balita gizi kurang"
OVERSPEND_EXPLANATION = (
    "Penimbangan serentak bulan Agustus menemukan lebih banyak balita gizi kurang daripada perkiraan; PMT diperluas "
    "melalui pergeseran anggaran yang disetujui TAPD."
)
MISSING = "Rehabilitasi sosial anak terlantar dan pengasuhan alternatif berbasis keluarga"
PLAY_SPACES = "Pembangunan Ruang Bermain Ramah Anak (RBRA) di taman kota"

PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "2",
        "Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
        "5.01.02",
        (
            ActivitySpec(
                "Penyusunan, pemantauan dan evaluasi RAD KLA",
                "5.01.02.2.01",
                "BAPPEDA",
                (OutputSpec("Laporan pemantauan RAD KLA", "dokumen", (2, 2, 2, 2, 2)),),
                ((APBD, (200, 150, 150, 150, 250)),),
            ),
        ),
    ),
    ProgrammeSpec(
        "4",
        "Program Pencatatan Sipil",
        "2.12.03",
        (
            ActivitySpec(
                "Pelayanan pencatatan sipil anak",
                "2.12.03.2.01",
                "DISDUKCAPIL",
                subs=(
                    LeafSpec(
                        "Layanan akta kelahiran jemput bola di kecamatan, sekolah dan panti",
                        "2.12.03.2.01.0001",
                        (
                            OutputSpec(
                                "Kutipan akta kelahiran anak diterbitkan", "akta", (9000, 9500, 10000, 10000, 10500)
                            ),
                        ),
                        ((APBD, (450, 475, 500, 525, 550)),),
                    ),
                    LeafSpec(
                        "Akta kelahiran terintegrasi dengan rumah sakit dan puskesmas",
                        "2.12.03.2.01.0002",
                        (
                            OutputSpec(
                                "Fasilitas kesehatan yang menerbitkan akta saat lahir", "faskes", (12, 18, 24, 30, 36)
                            ),
                        ),
                        ((APBD, (180, 190, 200, 210, 220)),),
                    ),
                ),
            ),
        ),
    ),
    ProgrammeSpec(
        "8",
        "Program Pemenuhan Hak Anak",
        "2.08.06",
        (
            ActivitySpec(
                "Layanan Pusat Pembelajaran Keluarga (PUSPAGA)",
                "2.08.06.2.01",
                "DPPPA",
                (OutputSpec("Keluarga yang mendapat konseling pengasuhan", "keluarga", (600, 650, 700, 750, 800)),),
                ((APBD, (350, 375, 400, 425, 450)),),
            ),
        ),
    ),
    ProgrammeSpec(
        "9",
        "Program Rehabilitasi Sosial",
        "1.06.04",
        (
            ActivitySpec(
                MISSING,
                "1.06.04.2.01",
                "DINSOS",
                (OutputSpec("Anak terlantar yang diasuh keluarga pengganti", "anak", (40, 45, 50, 55, 60)),),
                ((APBD, (400, 425, 450, 475, 500)), (CSR, (150, 150, 200, 200, 200))),
            ),
        ),
    ),
    ProgrammeSpec(
        "11",
        "Program Penataan Bangunan dan Lingkungannya",
        "1.03.10",
        (
            ActivitySpec(
                "Penyediaan Ruang Bermain Ramah Anak (RBRA)",
                "1.03.10.2.01",
                "DPUPR",
                subs=(
                    LeafSpec(
                        PLAY_SPACES,
                        "1.03.10.2.01.0001",
                        (OutputSpec("RBRA dibangun dan terstandar", "lokasi", (3, 3, 4, 4, 5)),),
                        ((APBD, (2400, 2600, 2800, 3000, 3000)), (DAK, (1500, 1500, 1750, 1750, 2000))),
                    ),
                    LeafSpec(
                        "Rehabilitasi RBRA di kelurahan",
                        "1.03.10.2.01.0002",
                        (OutputSpec("RBRA kelurahan direhabilitasi", "lokasi", (5, 6, 6, 7, 8)),),
                        ((APBD, (750, 800, 850, 900, 950)),),
                    ),
                ),
            ),
        ),
    ),
    ProgrammeSpec(
        "13",
        "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
        "1.02.02",
        (
            ActivitySpec(
                OVERSPENT,
                "1.02.02.2.02",
                "DINKES",
                (OutputSpec("Balita gizi kurang yang mendapat PMT", "balita", (1200, 1150, 1100, 1000, 900)),),
                ((APBD, (1200, "Rp 1.312.450.500,50", 1400, 1450, 1500)), (DAK, (800, 850, 900, 900, 950))),
            ),
        ),
    ),
    ProgrammeSpec(
        "15",
        "Program Peningkatan Kapasitas Sumber Daya Manusia Kesehatan",
        "1.02.04",
        (
            ActivitySpec(
                "Pelatihan tenaga kesehatan Puskesmas Ramah Anak",
                "1.02.04.2.01",
                "DINKES",
                (OutputSpec("Puskesmas Ramah Anak", "puskesmas", (20, 25, 30, 35, 41)),),
                ((APBD, (300, 320, 340, 360, 380)),),
            ),
        ),
    ),
    ProgrammeSpec(
        "19",
        "Program Pengelolaan Pendidikan",
        "1.01.02",
        (
            ActivitySpec(
                "Pembinaan Satuan Pendidikan Ramah Anak (SD dan SMP)",
                "1.01.02.2.01",
                "DISDIK",
                (
                    OutputSpec(
                        "Sekolah ditetapkan sebagai Satuan Pendidikan Ramah Anak", "sekolah", (60, 80, 100, 120, 140)
                    ),
                ),
                ((APBD, (600, 650, 700, 750, 800)), (APBN, (250, 250, 300, 300, 300))),
            ),
        ),
    ),
    ProgrammeSpec(
        "21",
        "Program Perlindungan Khusus Anak",
        "2.08.07",
        (
            ActivitySpec(
                "Pendampingan anak korban kekerasan oleh UPTD PPA",
                "2.08.07.2.01",
                "DPPPA",
                (OutputSpec("Anak korban kekerasan yang didampingi", "anak", (150, 150, 150, 150, 150)),),
                ((APBD, (500, 525, 550, 575, 600)), (DAK, (420, 420, 450, 450, 480))),
            ),
        ),
    ),
)
AGENCIES: tuple[str, ...] = ("BAPPEDA", "DISDUKCAPIL", "DPPPA", "DINSOS", "DPUPR", "DINKES", "DISDIK")

# Share of the year's plan spent in quarters I-IV (the usual slow start), and the over-spending activity's.
SHARES: tuple[Decimal, ...] = (Decimal("0.15"), Decimal("0.25"), Decimal("0.25"), Decimal("0.30"))
OVERSPEND_SHARES: tuple[Decimal, ...] = (Decimal("0.30"), Decimal("0.35"), Decimal("0.40"), Decimal("0.10"))
NOTES = "Dilaksanakan sesuai jadwal triwulan; laporan disampaikan kepada Sekretariat Gugus Tugas KLA."

# Kota Palembang's total budget (APBD) per year, typed as in the budget documents.
REGION_BUDGET: dict[int, str] = {
    2025: "Rp 5.128.450.000.000",
    2026: "Rp 5.342.870.000.000",
    2027: "Rp 5.560.000.000.000",
    2028: "Rp 5.780.000.000.000",
    2029: "Rp 6.010.000.000.000",
}


def typed(amount: Amount) -> str:
    """An amount as an agency types it: millions become ``"2.400.000.000"``; text stays as typed."""
    return amount if isinstance(amount, str) else f"{amount * 1_000_000:,}".replace(",", ".")
