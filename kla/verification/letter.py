"""The governor's proposal letter (surat usulan) to KemenPPPA as HTML and PDF.

The body is the province's edited text (see letter_text); the rest of the letter and the attachment table come
from the template ``verification/letter_pdf.html``. The PDF is rendered by `kla.verification.pdf` (WeasyPrint, without
any network or file access).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from kla.core.formatting import format_date, format_number
from kla.verification import letter_text
from kla.verification.pdf import html_to_pdf


@dataclass(frozen=True)
class LetterRow:
    number: int
    name: str
    em_score: Decimal | None  # evaluasi mandiri
    va_score: Decimal | None  # verifikasi administrasi provinsi


@dataclass(frozen=True)
class LetterContext:
    province: str
    cycle: str
    year: int
    number: str
    date: datetime.date
    city: str  # where the letter is signed, e.g. "Palembang"
    signer: str
    title: str
    body: str  # editable text with {placeholders}
    rows: list[LetterRow]


def render_letter_html(ctx: LetterContext) -> str:
    """The letter as standalone HTML; ValueError (Indonesian message) if the body text is invalid."""
    values = {
        "provinsi": ctx.province,
        "siklus": ctx.cycle,
        "tahun": str(ctx.year),
        "jumlah": str(len(ctx.rows)),
        "tanggal": format_date(ctx.date),
        "nomor": ctx.number,
        "penandatangan": ctx.signer,
        "jabatan": ctx.title,
    }
    rows = [
        {"number": r.number, "name": r.name, "em": format_number(r.em_score, 2), "va": format_number(r.va_score, 2)}
        for r in ctx.rows
    ]
    return render_to_string(
        "verification/letter_pdf.html",
        {
            "ctx": ctx,
            "attachment": letter_text.attachment_heading(ctx.title),
            "date": values["tanggal"],
            "paragraphs": letter_text.paragraphs(letter_text.fill(ctx.body, values)),
            "rows": rows,
        },
    )


def render_letter_pdf(ctx: LetterContext) -> bytes:
    return html_to_pdf(render_letter_html(ctx))
