"""Kinds of agency that sit in a Gugus Tugas KLA: regional agencies, vertical bodies and non-government members.

Pure module: no Django import. The instrument file names the typical responsible agencies of an indicator by
these codes, and every `Agency` has one of them as its kind, so "who usually answers indicator 4" (Disdukcapil)
can be matched to the real office of a region. The catalogue is also the pick list of the agency page, so nobody
types "Dinas Kependudukan dan Pencatatan Sipil" by hand.

Each kind says at which region level it sits: a Kantor Wilayah or a Kejaksaan Tinggi is provincial, a Kejaksaan
Negeri or a Pengadilan Negeri sits in a kab/kota; regional agencies and non-government members exist at both levels
(`level` None: Dinas PPPA Provinsi and Dinas PPPA Kota Palembang alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kla.core.marking import gettext_noop
from kla.regions.levels import Level


class Group(StrEnum):
    REGIONAL = "daerah"  # perangkat daerah (OPD) of the regional government
    VERTICAL = "vertikal"  # instansi vertikal: offices of the central government
    NON_GOVERNMENT = "non_pemerintah"  # unsur non-pemerintah of the task force


GROUP_LABELS: dict[Group, str] = {
    Group.REGIONAL: "Perangkat daerah (OPD)",
    Group.VERTICAL: "Instansi vertikal",
    Group.NON_GOVERNMENT: "Unsur non-pemerintah",
}


class Form(StrEnum):
    """What sort of office it is, inside its group (the pick list is sorted by it)."""

    DINAS = "dinas"
    BADAN = "badan"
    KANTOR = "kantor"
    BAGIAN = "bagian"
    KECAMATAN = "kecamatan"
    UNIT = "unit"  # satuan, rumah sakit and other units of the regional government
    VERTICAL = "vertikal"
    SOCIETY = "masyarakat"


@dataclass(frozen=True, slots=True)
class AgencyKind:
    code: str
    name: str
    short_name: str
    group: Group = Group.REGIONAL
    form: Form = Form.DINAS
    level: Level | None = None  # the region level it sits at; None = provinsi and kab/kota alike

    @property
    def vertical(self) -> bool:
        """A vertical (central-government) body, not a regional OPD."""
        return self.group is Group.VERTICAL

    def fits(self, level: Level) -> bool:
        """True if an office of this kind can be registered in a region of `level`."""
        return self.level is None or self.level is level


LEVEL_NAMES: dict[Level, str] = {
    Level.PROVINSI: gettext_noop("provinsi"),
    Level.KABKOTA: gettext_noop("kabupaten/kota"),
}

_V, _N = Group.VERTICAL, Group.NON_GOVERNMENT
_PROV, _KAB = Level.PROVINSI, Level.KABKOTA

KINDS: tuple[AgencyKind, ...] = (
    # --- perangkat daerah ---------------------------------------------------------------------------------------
    AgencyKind("DPPPA", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "Dinas PPPA"),
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
    AgencyKind("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    AgencyKind("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "Disperindag"),
    AgencyKind("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", "Disbudpar"),
    AgencyKind("DISPORA", "Dinas Pemuda dan Olahraga", "Dispora"),
    AgencyKind("DISNAKER", "Dinas Tenaga Kerja", "Disnaker"),
    AgencyKind("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
    AgencyKind("DLH", "Dinas Lingkungan Hidup", "DLH"),
    AgencyKind("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda", form=Form.BADAN),
    AgencyKind("BAPENDA", "Badan Pendapatan Daerah", "Bapenda", form=Form.BADAN),
    AgencyKind("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD", form=Form.BADAN),
    AgencyKind("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", form=Form.BADAN),
    AgencyKind("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", form=Form.BADAN),
    AgencyKind("INSPEKTORAT", "Inspektorat Daerah", "Inspektorat", form=Form.KANTOR),
    AgencyKind("BAG_HUKUM", "Bagian Hukum Sekretariat Daerah", "Bagian Hukum", form=Form.BAGIAN),
    AgencyKind("BAG_KESRA", "Bagian Kesejahteraan Rakyat Sekretariat Daerah", "Bagian Kesra", form=Form.BAGIAN),
    AgencyKind("BAG_ORGANISASI", "Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi", form=Form.BAGIAN),
    AgencyKind("KECAMATAN", "Kecamatan", "Kecamatan", form=Form.KECAMATAN, level=_KAB),
    AgencyKind("SATPOL_PP", "Satuan Polisi Pamong Praja", "Satpol PP", form=Form.UNIT),
    AgencyKind("RSUD", "Rumah Sakit Umum Daerah", "RSUD", form=Form.UNIT),
    # --- instansi vertikal --------------------------------------------------------------------------------------
    AgencyKind("KEJAKSAAN", "Kejaksaan Negeri", "Kejaksaan", _V, Form.VERTICAL, _KAB),
    AgencyKind("KEJATI", "Kejaksaan Tinggi", "Kejati", _V, Form.VERTICAL, _PROV),
    AgencyKind("BAPAS", "Balai Pemasyarakatan", "Bapas", _V, Form.VERTICAL),
    AgencyKind("KEMENKUMHAM", "Kantor Wilayah Kementerian Hukum dan HAM", "Kemenkumham", _V, Form.VERTICAL, _PROV),
    AgencyKind("KEMENAG", "Kantor Kementerian Agama", "Kemenag", _V, Form.VERTICAL, _KAB),
    AgencyKind("KANWIL_KEMENAG", "Kantor Wilayah Kementerian Agama", "Kanwil Kemenag", _V, Form.VERTICAL, _PROV),
    AgencyKind("POLRES", "Kepolisian Resor (Unit PPA)", "Polres", _V, Form.VERTICAL, _KAB),
    AgencyKind("POLDA", "Kepolisian Daerah (Direktorat PPA dan PPO)", "Polda", _V, Form.VERTICAL, _PROV),
    AgencyKind("PN", "Pengadilan Negeri", "Pengadilan Negeri", _V, Form.VERTICAL, _KAB),
    AgencyKind("PA", "Pengadilan Agama", "Pengadilan Agama", _V, Form.VERTICAL, _KAB),
    AgencyKind("PT", "Pengadilan Tinggi", "Pengadilan Tinggi", _V, Form.VERTICAL, _PROV),
    AgencyKind("BPS", "Badan Pusat Statistik Kabupaten/Kota", "BPS", _V, Form.VERTICAL, _KAB),
    AgencyKind("BPS_PROV", "Badan Pusat Statistik Provinsi", "BPS Provinsi", _V, Form.VERTICAL, _PROV),
    AgencyKind("BNNK", "Badan Narkotika Nasional Kabupaten/Kota", "BNNK", _V, Form.VERTICAL, _KAB),
    AgencyKind("BNNP", "Badan Narkotika Nasional Provinsi", "BNNP", _V, Form.VERTICAL, _PROV),
    # --- unsur non-pemerintah -----------------------------------------------------------------------------------
    AgencyKind("FORUM_ANAK", "Forum Anak", "Forum Anak", _N, Form.SOCIETY),
    AgencyKind("PKK", "Tim Penggerak PKK", "TP PKK", _N, Form.SOCIETY),
    AgencyKind("DUNIA_USAHA", "Dunia Usaha", "Dunia usaha", _N, Form.SOCIETY),
    AgencyKind("MEDIA", "Media Massa", "Media", _N, Form.SOCIETY),
    AgencyKind("PERGURUAN_TINGGI", "Perguruan Tinggi", "Perguruan tinggi", _N, Form.SOCIETY),
    AgencyKind("LSM", "Lembaga Swadaya Masyarakat", "LSM", _N, Form.SOCIETY),
    AgencyKind("ORMAS_KEAGAMAAN", "Organisasi Keagamaan", "Organisasi keagamaan", _N, Form.SOCIETY),
    AgencyKind("LAINNYA", "Lembaga lainnya", "Lainnya", _N, Form.SOCIETY),
)

BY_CODE: dict[str, AgencyKind] = {k.code: k for k in KINDS}
CODES: frozenset[str] = frozenset(BY_CODE)


def kind_choices() -> list[tuple[str, str]]:
    """(code, short name) pairs for a form or a model field."""
    return [(k.code, k.short_name) for k in KINDS]


def kinds_for(level: Level) -> list[AgencyKind]:
    """The kinds that can be registered in a region of `level`, in catalogue order."""
    return [k for k in KINDS if k.fits(level)]


def grouped_for(level: Level) -> list[tuple[str, list[AgencyKind]]]:
    """The pick list of a region of `level`: (group label, kinds) in the order perangkat daerah, vertikal, lainnya."""
    kinds = kinds_for(level)
    return [(GROUP_LABELS[g], [k for k in kinds if k.group is g]) for g in Group if any(k.group is g for k in kinds)]


def default_name(kind: AgencyKind, region_name: str) -> str:
    """The usual full name of an office of `kind` in a region: "Dinas Kesehatan Kota Palembang".

    A kecamatan or a non-government member has no usual name (the user names it: "Kecamatan Ilir Barat I",
    "Forum Anak Kota Palembang" is only a suggestion) and gets the kind's name with the region's.
    """
    return f"{kind.name} {region_name}"
