"""The user import spreadsheet: its Excel template (drop-down lists of the importer's grantable roles, regions and
agencies, and a version mark) and reading an upload (the template as XLSX, or a CSV with the same column titles).

The template is built with the RAD KLA template helpers (`kla.rad.spreadsheet`), the cells are read with its sheet
rules (`kla.rad.spreadsheet_rules`) and a CSV is decoded as the agency import decodes one (`kla.agencies.spreadsheet`).
A file with a password column is refused whole: a password never travels in a file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kla.accounts import access
from kla.accounts.models import User
from kla.accounts.roles import ROLES, grantable_roles
from kla.agencies.models import Agency
from kla.agencies.spreadsheet import _csv_table
from kla.rad import spreadsheet as sheets
from kla.rad import spreadsheet_rules as sr
from kla.regions.levels import Level
from kla.regions.models import Region
from kla.regions.selectors import subtree_q

MARK = "KLA-PENGGUNA-1"
MAX_BYTES = 2 * 1024 * 1024
USERNAME = "Nama pengguna"
FULL_NAME = "Nama lengkap"
EMAIL = "Email"
POSITION = "Jabatan"
ROLE = "Peran"
REGION = "Kode wilayah"
AGENCY = "Instansi"
COLUMNS = (USERNAME, FULL_NAME, EMAIL, POSITION, ROLE, REGION, AGENCY)
REQUIRED = (USERNAME, FULL_NAME, EMAIL, ROLE, REGION)
PASSWORD_WORDS = ("sandi", "password", "kata kunci")


def regions_for(user: User) -> list[Region]:
    """Provinces and kabupaten/kota the importer may grant roles in, by code (one query)."""
    qs = Region.objects.filter(level__in=[Level.PROVINSI, Level.KABKOTA]).order_by("code")
    scope = subtree_q(access.managing_region_codes(user), "code")
    return list(qs if scope is None else qs.filter(scope))


def agencies_for(user: User) -> list[Agency]:
    """The active agencies of the kabupaten/kota the importer may grant roles in (one query)."""
    qs = Agency.objects.filter(is_active=True, region__level=Level.KABKOTA).order_by("region_id", "name")
    scope = subtree_q(access.managing_region_codes(user), "region_id")
    return list(qs if scope is None else qs.filter(scope))


def template(user: User) -> bytes:
    """The import template of `user`: column titles, a hidden version mark and drop-downs of what they may grant."""
    book, sheet = sheets.new_book(_("Pengguna"), COLUMNS, (22, 30, 30, 26, 34, 30, 40), MARK)
    book[sr.MARK_SHEET]["A2"] = _("Jangan mengubah lembar ini: tanda versi templat impor pengguna.")
    roles = [ROLES[r].label for r in grantable_roles(access.grants(user))]
    regions = [f"{r.code} {r.name}" for r in regions_for(user)]
    agencies = sorted({a.name for a in agencies_for(user)})
    sheets.add_lists(
        book,
        sheet,
        (
            (sheets.column_letter(COLUMNS, ROLE), roles, _("Peran")),
            (sheets.column_letter(COLUMNS, REGION), regions, _("Wilayah")),
            (sheets.column_letter(COLUMNS, AGENCY), agencies, _("Instansi")),
        ),
    )
    notes = book.create_sheet(_("Petunjuk"))
    for line in (
        _("Satu baris untuk satu pengguna baru. Judul kolom di baris 1 jangan diubah."),
        _("Kode wilayah: pilih dari daftar atau tulis kodenya, misalnya 16.71."),
        _("Instansi wajib untuk Operator Instansi dan harus instansi di kabupaten/kota tersebut."),
        _("Jangan menulis kata sandi: setiap pengguna menerima email berisi tautan untuk membuat kata sandinya."),
    ):
        notes.append([line])
    return sheets.book_bytes(book)


def _xlsx(data: bytes) -> tuple[list[object], list[Sequence[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ValidationError(_("Berkas XLSX tidak dapat dibaca; simpan ulang dari program lembar kerja.")) from None
    try:
        found = sr.text(book[sr.MARK_SHEET]["A1"].value) if sr.MARK_SHEET in book.sheetnames else ""
        if found != MARK:
            raise ValidationError(
                _(
                    'Berkas ini bukan templat impor pengguna versi yang berlaku (tanda versi "%(found)s", seharusnya '
                    '"%(wanted)s"). Unduh templat terbaru, salin isinya, lalu unggah lagi.'
                )
                % {"found": found or _("tidak ada"), "wanted": MARK}
            )
        rows = book.worksheets[0].iter_rows(values_only=True, max_row=sr.MAX_ROWS + 2)
        header = list(next(rows, ()))
        return header, [list(r) for r in rows]
    finally:
        book.close()


def _csv(data: bytes) -> tuple[list[object], list[Sequence[object]]]:
    table = _csv_table(data)
    return (list(table[0]) if table else []), [list(r) for r in table[1:]]


def read_records(upload: UploadedFile[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, column title → cell) of every filled row, or ValidationError saying why the file is refused."""
    name = (upload.name or "").lower()
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError(_("Berkas lebih besar dari 2 MB; bagi daftar pengguna menjadi beberapa berkas."))
    if name.endswith(".xlsx"):
        header, rows = _xlsx(upload.read())
    elif name.endswith(".csv"):
        header, rows = _csv(upload.read())
    else:
        raise ValidationError(_("Unggah berkas .xlsx (templat impor pengguna) atau .csv dengan judul kolom yang sama."))
    refused = [sr.text(h) for h in header if any(w in sr.text(h).casefold() for w in PASSWORD_WORDS)]
    if refused:
        raise ValidationError(
            _(
                'Berkas memuat kolom kata sandi ("%(column)s"): tidak ada yang diimpor. Hapus kolom itu beserta '
                "isinya; setiap pengguna membuat kata sandinya sendiri melalui tautan di email."
            )
            % {"column": refused[0]}
        )
    try:
        return sr.records(rows, sr.header_map(header, COLUMNS, REQUIRED))
    except sr.SheetError as exc:
        raise ValidationError(str(exc)) from None
