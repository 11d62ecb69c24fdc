"""Reading a spreadsheet of agencies (XLSX, or CSV in UTF-8 with or without BOM, `;` or `,`) and its template.

The sheet's first row names the columns (jenis, nama, singkatan, in any order); every later row is one agency. The
reader only turns cells into `rules.Row`; what is wrong with a row is `rules.check_rows`'s business.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from kla.agencies import rules
from kla.agencies.catalogue import KINDS
from kla.core.wording import say

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
TEMPLATE_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("DINKES", "", ""),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh", "Disdukcapil"),
    ("KECAMATAN", "Kecamatan Contoh Barat", "Kec. Contoh Barat"),
    ("FORUM_ANAK", "Forum Anak Kota Contoh", "Forum Anak"),
)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _records(table: Iterable[Iterable[object]]) -> list[rules.Row]:
    lines = iter(table)
    header = [_text(h) for h in next(lines, [])]
    problem = rules.header_problem(header)
    if problem:
        raise ValidationError(say(problem))
    keys = [rules.clean_name(h).lower() for h in header]
    records = []
    for count, line in enumerate(lines, start=1):
        if count > MAX_ROWS:
            raise ValidationError(
                gettext("Berkas berisi lebih dari %(MAX_ROWS)s baris; bagi menjadi beberapa berkas.")
                % {"MAX_ROWS": MAX_ROWS}
            )
        records.append({k: _text(v) for k, v in zip(keys, line, strict=False) if k})
    return rules.rows_from(records)


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            gettext("Berkas CSV harus disimpan dalam UTF-8 (pilih 'CSV UTF-8' saat menyimpan).")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_table(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook  # loaded only when a workbook is imported

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ValidationError(
            gettext("Berkas XLSX tidak dapat dibaca; simpan ulang dari program lembar kerja.")
        ) from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for _, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True), strict=False)]
    finally:
        book.close()


def read_rows(upload: UploadedFile[bytes]) -> list[rules.Row]:
    """The agencies of an uploaded XLSX or CSV file, or ValidationError saying why the file cannot be read."""
    name = (upload.name or "").lower()
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError(gettext("Berkas lebih besar dari 2 MB; daftar instansi cukup beberapa ratus baris."))
    data = upload.read()
    if name.endswith(".xlsx"):
        return _records(_xlsx_table(data))
    if name.endswith(".csv"):
        return _records(_csv_table(data))
    raise ValidationError(gettext("Unggah berkas .xlsx atau .csv (unduh templatnya)."))


def template_csv() -> str:
    """The import template: header, examples, and the list of kinds as comment-free reference rows below."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rules.COLUMNS)
    writer.writerows(TEMPLATE_EXAMPLES)
    return "\ufeff" + out.getvalue()


def kinds_csv() -> str:
    """The catalogue as a CSV (kode; nama; kelompok; tingkat) to look kinds up while filling the template."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("jenis", "nama", "singkatan", "kelompok", "tingkat"))
    for k in KINDS:
        writer.writerow((k.code, k.name, k.short_name, k.group.value, k.level.value if k.level else "semua"))
    return "\ufeff" + out.getvalue()
