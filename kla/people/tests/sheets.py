"""Building upload files for the import tests: the downloaded template filled like a person would, or a CSV."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

HEADER = ("Nama pengguna", "Nama lengkap", "Email", "Jabatan", "Peran", "Kode wilayah", "Instansi")
OPERATOR = "Operator Instansi"


def template_book(client: Client) -> Workbook:
    response = client.get(reverse("people:import_template"))
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content))


def xlsx(client: Client, rows: Sequence[Sequence[object]], name: str = "pengguna.xlsx") -> SimpleUploadedFile:
    """The template downloaded by `client`, with `rows` typed under the column titles."""
    book = template_book(client)
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def plain_xlsx(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> SimpleUploadedFile:
    """A workbook made from scratch (no version mark)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("sendiri.xlsx", out.getvalue())


def csv_file(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> SimpleUploadedFile:
    lines = [";".join(header)] + [";".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile("pengguna.csv", ("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
