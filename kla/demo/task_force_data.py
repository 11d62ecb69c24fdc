"""Palembang's Gugus Tugas KLA in the demo: its decree, members and two coordination meetings (rakor).

As the news of Palembang's rakor describes it: Dinas PPPA holds the secretariat; the regional agencies (Bappeda,
Disdukcapil, Dinas Pendidikan, Dinas Kesehatan, Dinas Sosial, Dinas PUPR…), the vertical bodies (Kejaksaan Negeri,
Bapas, Pengadilan Negeri, Pengadilan Agama, and the provincial Kantor Wilayah Kemenkumham of Sumatera Selatan) and
non-government members (Forum Anak, TP PKK, media, business) serve on it. Dates are days relative to the day the
demo data is loaded (negative: before it), so the held meeting is always two months old, one follow-up always
overdue and the planned meeting always ahead. Names of people are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from kla.taskforce.rules import TaskForceRole

# Agencies the task force needs besides the demo's Palembang agencies (kla.demo.data.PALEMBANG_AGENCIES):
# the non-government members of Palembang, and the Kantor Wilayah registered at the province (a provincial body).
TASK_FORCE_AGENCIES: tuple[str, ...] = ("FORUM_ANAK", "PKK", "MEDIA", "DUNIA_USAHA")
PROVINCE_AGENCIES: tuple[str, ...] = ("KEMENKUMHAM",)


@dataclass(frozen=True, slots=True)
class DemoDecree:
    number: str
    signer: str
    days: int  # the decree's date (and start of validity), relative to the seed day
    years_valid: int


DECREE = DemoDecree(
    number="188.45/{number}/KPTS/DPPPA/{year}",
    signer="Wali Kota Palembang",
    days=-300,
    years_valid=3,
)
DECREE_FILE = "sk-wali-kota-gugus-tugas-kla-palembang.pdf"


@dataclass(frozen=True, slots=True)
class DemoMember:
    agency_kind: str
    person_name: str
    position: str
    role: TaskForceRole
    duties: str = ""
    provincial: bool = False  # an agency registered at the province (serves on Palembang's task force)


_K = TaskForceRole
MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("BAPPEDA", "Ir. Rudi Hartono, M.T.", "Kepala Bappeda Kota Palembang", _K.KETUA),
    DemoMember("DPPPA", "Dra. Lenny Marlina, M.Si.", "Kepala Dinas PPPA Kota Palembang", _K.SEKRETARIS),
    DemoMember(
        "DPPPA",
        "Yuliana Sari, S.Sos.",
        "Kepala Bidang Pemenuhan Hak Anak Dinas PPPA",
        _K.KOORDINATOR_KELEMBAGAAN,
        "Kelembagaan: peraturan, anggaran, data anak, partisipasi anak.",
    ),
    DemoMember(
        "DISDUKCAPIL",
        "Drs. Andi Kurniawan",
        "Kepala Disdukcapil Kota Palembang",
        _K.KOORDINATOR_I,
        "Klaster I: hak sipil dan kebebasan (akta kelahiran, KIA, informasi layak anak).",
    ),
    DemoMember(
        "DINSOS",
        "Hj. Rosmala Dewi, S.H.",
        "Kepala Dinas Sosial Kota Palembang",
        _K.KOORDINATOR_II,
        "Klaster II: lingkungan keluarga dan pengasuhan alternatif.",
    ),
    DemoMember(
        "DINKES",
        "dr. Fadli Ramadhan, M.Kes.",
        "Kepala Dinas Kesehatan Kota Palembang",
        _K.KOORDINATOR_III,
        "Klaster III: kesehatan dasar dan kesejahteraan.",
    ),
    DemoMember(
        "DISDIK",
        "Drs. Hasan Basri, M.Pd.",
        "Kepala Dinas Pendidikan Kota Palembang",
        _K.KOORDINATOR_IV,
        "Klaster IV: pendidikan, pemanfaatan waktu luang, dan kegiatan budaya.",
    ),
    DemoMember(
        "DPPPA",
        "Novi Anggraini, S.Psi.",
        "Kepala Bidang Perlindungan Khusus Anak Dinas PPPA",
        _K.KOORDINATOR_V,
        "Klaster V: perlindungan khusus.",
    ),
    DemoMember("DPUPR", "Ir. Tommy Wijaya", "Kepala Dinas PUPR Kota Palembang", _K.ANGGOTA),
    DemoMember("DISKOMINFO", "Reza Pahlevi, S.Kom.", "Kepala Diskominfo Kota Palembang", _K.ANGGOTA),
    DemoMember("KEJAKSAAN", "Bambang Irawan, S.H., M.H.", "Kepala Kejaksaan Negeri Palembang", _K.ANGGOTA),
    DemoMember("BAPAS", "Sri Rahayu, Bc.IP., S.H.", "Kepala Bapas Kelas I Palembang", _K.ANGGOTA),
    DemoMember("PN", "Dr. Yusran Hakim, S.H., M.H.", "Ketua Pengadilan Negeri Palembang", _K.ANGGOTA),
    DemoMember("PA", "Drs. H. Syamsul Bahri, M.H.", "Ketua Pengadilan Agama Palembang", _K.ANGGOTA),
    DemoMember(
        "KEMENKUMHAM",
        "Erwin Saputra, S.H., M.H.",
        "Kepala Kantor Wilayah Kemenkumham Sumatera Selatan",
        _K.ANGGOTA,
        provincial=True,
    ),
    DemoMember("FORUM_ANAK", "Aisyah Putri", "Ketua Forum Anak Kota Palembang", _K.ANGGOTA, "Partisipasi anak."),
    DemoMember("PKK", "Hj. Fitri Handayani", "Ketua TP PKK Kota Palembang", _K.ANGGOTA),
    DemoMember("MEDIA", "Dimas Prasetyo", "Ketua PWI Kota Palembang", _K.ANGGOTA, "Media ramah anak."),
    DemoMember("DUNIA_USAHA", "Hendri Gunawan", "Ketua APSAI Kota Palembang", _K.ANGGOTA, "Dunia usaha ramah anak."),
)


@dataclass(frozen=True, slots=True)
class DemoFollowUp:
    owner_kind: str
    description: str
    due_days: int  # due date relative to the seed day
    done_days: int | None = None  # completed on this day relative to the seed day; None: still open
    note: str = ""


HELD_TITLE = "Rapat Koordinasi Gugus Tugas KLA Kota Palembang"
HELD_DAYS = -60
HELD_PLACE = "Ruang Rapat Bappeda Kota Palembang"
HELD_CHAIR = "Ir. Rudi Hartono, M.T. (Ketua Gugus Tugas, Kepala Bappeda)"
HELD_AGENDA = (
    "1. Persiapan evaluasi KLA tahun berjalan.\n"
    "2. Capaian tiap klaster dan kesenjangan data.\n"
    "3. Pembagian tugas pengisian evaluasi mandiri dan bukti dukung."
)
HELD_MINUTES = (
    "Rapat dibuka oleh Ketua Gugus Tugas. Sekretariat (Dinas PPPA) menyampaikan jadwal evaluasi KLA dan daftar "
    "indikator per instansi. Setiap instansi merencanakan, melaksanakan, mendokumentasikan, dan melaporkan "
    "kegiatannya. Disdukcapil melaporkan cakupan akta kelahiran anak; Dinas Pendidikan menyampaikan jumlah Satuan "
    "Pendidikan Ramah Anak; Kejaksaan Negeri, Bapas, Pengadilan Negeri, dan Pengadilan Agama menyampaikan data anak "
    "berhadapan dengan hukum."
)
HELD_DECISIONS = (
    "Setiap instansi mengunggah bukti dukung paling lambat dua minggu sebelum batas evaluasi mandiri; rakor "
    "berikutnya membahas hasil evaluasi mandiri."
)
HELD_ABSENT = ("PA",)  # invited, did not come
MINUTES_FILE = "notulen-rakor-gugus-tugas-kla-palembang.pdf"
FOLLOW_UPS: tuple[DemoFollowUp, ...] = (
    DemoFollowUp(
        "DISDUKCAPIL", "Pelayanan akta kelahiran jemput bola di 18 kecamatan; laporkan jumlah akta terbit.", -14
    ),
    DemoFollowUp(
        "DISDIK",
        "Menyampaikan daftar Satuan Pendidikan Ramah Anak yang sudah ditetapkan.",
        -30,
        done_days=-35,
        note="Daftar 126 Satuan Pendidikan Ramah Anak dan SK penetapannya sudah disampaikan ke Sekretariat.",
    ),
    DemoFollowUp("DPUPR", "Mendata ruang bermain ramah anak yang dibangun dan yang direncanakan tahun depan.", 30),
)

PLANNED_TITLE = "Rapat Koordinasi Gugus Tugas KLA: hasil evaluasi mandiri"
PLANNED_DAYS = 30
PLANNED_PLACE = "Ruang Rapat Dinas PPPA Kota Palembang"
PLANNED_AGENDA = "1. Hasil evaluasi mandiri per klaster.\n2. Tindak lanjut yang belum selesai."
