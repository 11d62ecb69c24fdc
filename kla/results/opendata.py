"""Open data of published results: one row per kab/kota and released cycle, its data dictionary, the licence and
the version (ETag) of each file.

The rows hold exactly what the public results page shows, read through the same selector (`portal.cycle_results`)
as an anonymous visitor whoever asks: the same file for everybody, so nothing the seal hides from the public (the
scores before the release, the final score of a cycle that does not publish details, any intermediate stage) can
reach it. A cycle whose results have not been released has no file (404, `portal.published_cycle_get`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kla.core.formatting import WIB
from kla.evaluations.models import Cycle
from kla.evaluations.seal import ScoreStage
from kla.indicators.selectors import band_rules
from kla.results import public_cache
from kla.results.selectors import portal
from kla.results.selectors.scores import VisibleScores

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"
FORMAT_VERSION = "1"  # part of every ETag: a change of columns or wording makes every cached copy stale
MAX_AGE_SECONDS = 300  # as long as the public page's cache (public_cache.TTL_SECONDS)
FILE_STEM = "hasil-kla"


@dataclass(frozen=True)
class OpenRow:
    """One kab/kota in one released cycle, in the order of `columns()`."""

    tahun: int
    kode_siklus: str
    siklus: str
    tanggal_pengumuman: dt.date
    kode_provinsi: str
    provinsi: str
    kode_wilayah: str
    wilayah: str
    kode_predikat: str
    predikat: str
    keterangan: str
    nilai_akhir: Decimal | None
    lisensi: str

    def values(self) -> tuple[object, ...]:
        return astuple(self)


COLUMN_NAMES = tuple(f.name for f in fields(OpenRow))


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str


def columns() -> list[Column]:
    """The data dictionary, in the active language: every column of every file, its type and meaning."""
    text, integer, date, decimal = _("teks"), _("bilangan bulat"), _("tanggal (ISO 8601, YYYY-MM-DD)"), _("desimal")
    return [
        Column("tahun", integer, _("Tahun siklus evaluasi.")),
        Column("kode_siklus", text, _("Kode siklus evaluasi, seperti pada alamat halaman hasilnya.")),
        Column("siklus", text, _("Nama siklus evaluasi.")),
        Column("tanggal_pengumuman", date, _("Tanggal hasil siklus diumumkan (WIB).")),
        Column("kode_provinsi", text, _("Kode provinsi Kemendagri (dua angka, mis. 16).")),
        Column("provinsi", text, _("Nama provinsi.")),
        Column("kode_wilayah", text, _("Kode kabupaten/kota Kemendagri (mis. 16.71); kunci baris bersama tahun.")),
        Column("wilayah", text, _("Nama kabupaten/kota.")),
        Column("kode_predikat", text, _("Kode predikat yang diumumkan; kosong bila tidak ada predikat.")),
        Column("predikat", text, _("Nama predikat yang diumumkan (Pratama, Madya, Nindya, Utama, KLA).")),
        Column(
            "keterangan",
            text,
            _(
                "Bila tidak ada predikat: alasannya (belum berpredikat, tidak memenuhi ambang batas, "
                "belum selesai dievaluasi)."
            ),
        ),
        Column(
            "nilai_akhir",
            decimal,
            _(
                "Nilai akhir, hanya bila siklus mengumumkan nilai rinci; selain itu kosong. "
                "Titik sebagai pemisah desimal."
            ),
        ),
        Column("lisensi", text, _("Lisensi data: CC BY 4.0.")),
    ]


def licence_text() -> str:
    return _(
        "Data terbuka hasil evaluasi Kabupaten/Kota Layak Anak dilisensikan di bawah Creative Commons Atribusi 4.0 "
        "Internasional (CC BY 4.0): boleh disalin, disebarkan, dan diolah untuk keperluan apa pun, termasuk "
        "komersial, dengan menyebutkan sumbernya (Kementerian Pemberdayaan Perempuan dan Perlindungan Anak, "
        "platform evaluasi KLA). %(url)s"
    ) % {"url": LICENCE_URL}


def format_notes() -> list[str]:
    """How the files are written, for the dictionary page and sheet: they are read by programs."""
    return [
        _("Satu baris per kabupaten/kota per siklus yang sudah diumumkan; hanya yang juga tampil di halaman hasil."),
        _("CSV: UTF-8 tanpa BOM, dipisahkan koma, baris pertama berisi nama kolom."),
        _("Angka desimal memakai titik (612.50) dan tanggal ditulis YYYY-MM-DD (ISO 8601), agar mudah dibaca program."),
        _(
            "Teks yang diawali =, +, -, atau @ diberi tanda petik tunggal di depannya pada CSV agar tidak "
            "dijalankan sebagai rumus."
        ),
        _('JSON: kunci "rows" berisi baris, "dictionary" kamus data ini, "licence" lisensinya.'),
    ]


def _release_date(cycle: Cycle) -> dt.date:
    assert cycle.release_at is not None  # a published cycle
    return timezone.localtime(cycle.release_at, ZoneInfo(WIB)).date()


def row_of(cycle: Cycle, visible: VisibleScores) -> OpenRow:
    region = visible.evaluation.region
    province = region.parent
    predicate = visible.predicate
    return OpenRow(
        tahun=cycle.year,
        kode_siklus=cycle.code,
        siklus=cycle.name,
        tanggal_pengumuman=_release_date(cycle),
        kode_provinsi=province.code if province else "",
        provinsi=province.name if province else "",
        kode_wilayah=region.code,
        wilayah=region.name,
        kode_predikat=predicate.code if predicate else "",
        predikat=predicate.name if predicate else "",
        keterangan="" if predicate else visible.result_label,
        nilai_akhir=visible.scores.get(ScoreStage.FINAL),
        lisensi=LICENCE,
    )


def cycle_rows(cycle: Cycle) -> list[OpenRow]:
    """A released cycle's rows as the public sees them, in region code order (4 queries)."""
    visible = portal.cycle_results(AnonymousUser(), cycle, bands=band_rules(cycle.framework_id))
    return [row_of(cycle, v) for v in visible]


def published_in_order() -> list[Cycle]:
    """Every released cycle, oldest first (the order of the all-years file)."""
    return sorted(portal.published_cycles(), key=lambda c: (c.year, c.code))


def rows_of(cycles: Sequence[Cycle]) -> Iterator[OpenRow]:
    """The rows of each cycle in turn: one cycle's rows in memory at a time (at most 514)."""
    for cycle in cycles:
        yield from cycle_rows(cycle)


def etag(cycles: Sequence[Cycle], fmt: str, *, every_year: bool) -> str:
    """A strong ETag of one file: the fingerprint of what the public sees of each cycle (one query per cycle), the
    file (one cycle's or all years'), the format, the language of the texts and `FORMAT_VERSION`."""
    scope = "*" if every_year else ""
    parts = [FORMAT_VERSION, scope, fmt, get_language() or "", *(public_cache.results_version(c) for c in cycles)]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def file_name(cycle: Cycle | None, fmt: str) -> str:
    return f"{FILE_STEM}-{cycle.code if cycle else 'semua-tahun'}.{fmt}"
