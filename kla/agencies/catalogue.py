"""Kinds of agency (OPD and vertical bodies) that sit in a Gugus Tugas KLA.

Pure module: no Django import. The instrument file names the typical responsible agencies of an indicator by
these codes, and every `Agency` of a kab/kota has one of them as its kind, so "who usually answers indicator 4"
(Disdukcapil) can be matched to the real office of a region.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AgencyKind:
    code: str
    name: str
    short_name: str
    vertical: bool = False  # a vertical (central-government) body, not a regional OPD


KINDS: tuple[AgencyKind, ...] = (
    AgencyKind("DPPPA", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "Dinas PPPA"),
    AgencyKind("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    AgencyKind("BAG_HUKUM", "Bagian Hukum Sekretariat Daerah", "Bagian Hukum"),
    AgencyKind("DISDIK", "Dinas Pendidikan", "Dinas Pendidikan"),
    AgencyKind("DINKES", "Dinas Kesehatan", "Dinas Kesehatan"),
    AgencyKind("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    AgencyKind("PERKIM", "Dinas Perumahan dan Kawasan Permukiman", "Dinas Perkim"),
    AgencyKind("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    AgencyKind("DINSOS", "Dinas Sosial", "Dinas Sosial"),
    AgencyKind("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    AgencyKind("DISPERPUSIP", "Dinas Perpustakaan dan Kearsipan", "Dinas Perpustakaan"),
    AgencyKind("DP2KB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DP2KB"),
    AgencyKind("DISHUB", "Dinas Perhubungan", "Dinas Perhubungan"),
    AgencyKind("SATPOL_PP", "Satuan Polisi Pamong Praja", "Satpol PP"),
    AgencyKind("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    AgencyKind("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    AgencyKind("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "Disperindag"),
    AgencyKind("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", "Disbudpar"),
    AgencyKind("DISPORA", "Dinas Pemuda dan Olahraga", "Dispora"),
    AgencyKind("DISNAKER", "Dinas Tenaga Kerja", "Disnaker"),
    AgencyKind("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
    AgencyKind("DLH", "Dinas Lingkungan Hidup", "DLH"),
    AgencyKind("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    AgencyKind("RSUD", "Rumah Sakit Umum Daerah", "RSUD"),
    AgencyKind("KEMENAG", "Kantor Kementerian Agama", "Kemenag", vertical=True),
    AgencyKind("KEJAKSAAN", "Kejaksaan Negeri", "Kejaksaan", vertical=True),
    AgencyKind("BAPAS", "Balai Pemasyarakatan", "Bapas", vertical=True),
    AgencyKind("KEMENKUMHAM", "Kantor Wilayah Kementerian Hukum dan HAM", "Kemenkumham", vertical=True),
    AgencyKind("PN", "Pengadilan Negeri", "Pengadilan Negeri", vertical=True),
    AgencyKind("PA", "Pengadilan Agama", "Pengadilan Agama", vertical=True),
    AgencyKind("POLRES", "Kepolisian Resor (Unit PPA)", "Polres", vertical=True),
    AgencyKind("BNNK", "Badan Narkotika Nasional Kabupaten/Kota", "BNNK", vertical=True),
    AgencyKind("LAINNYA", "Lembaga lainnya", "Lainnya"),
)

BY_CODE: dict[str, AgencyKind] = {k.code: k for k in KINDS}
CODES: frozenset[str] = frozenset(BY_CODE)


def kind_choices() -> list[tuple[str, str]]:
    """(code, short name) pairs for a form or a model field."""
    return [(k.code, k.short_name) for k in KINDS]
