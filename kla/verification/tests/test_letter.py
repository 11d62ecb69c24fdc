import dataclasses
import datetime
import io
from decimal import Decimal

import pytest
import weasyprint
from pypdf import PdfReader

from kla.verification import letter_text
from kla.verification.letter import LetterContext, LetterRow, render_letter_html, render_letter_pdf
from kla.verification.pdf import _NoFetch

VALUES = {name: f"<{name}>" for name in letter_text.PLACEHOLDERS}


# --- letter_text (pure) ---


def test_default_body_is_valid_and_fills():
    assert letter_text.check_body(letter_text.DEFAULT_BODY) == []
    text = letter_text.fill(letter_text.DEFAULT_BODY, VALUES | {"provinsi": "Bali", "jumlah": "3"})
    assert "usulan 3 kabupaten/kota di Provinsi Bali" in text
    assert "{" not in text
    assert text.startswith("Dengan hormat,")


def test_unknown_placeholder_is_named_with_allowed_list():
    [error] = letter_text.check_body("Halo {gubernur} dan {provinsi} serta {gubernur}.")
    assert "{gubernur}" in error
    assert error.count("{gubernur}") == 1
    for name in letter_text.PLACEHOLDERS:
        assert f"{{{name}}}" in error


@pytest.mark.parametrize("body", ["{x.__class__}", "{provinsi.__class__.__init__}", "{provinsi[0]}", "{0}", "{}"])
def test_attribute_and_index_access_is_rejected(body):
    assert letter_text.check_body(body)
    with pytest.raises(ValueError, match="tidak dikenal"):
        letter_text.fill(body, VALUES)


@pytest.mark.parametrize("body", ["Usulan {provinsi", "Usulan provinsi}", "{{provinsi}}", "{a{provinsi}}"])
def test_unbalanced_braces(body):
    assert any("Kurung kurawal" in error for error in letter_text.check_body(body))


def test_empty_and_too_long():
    assert letter_text.check_body("  \n\n ") == ["Isi surat tidak boleh kosong."]
    assert letter_text.check_body("a" * 5000) == []
    [error] = letter_text.check_body("a" * 5001)
    assert "5.001" in error and "5.000" in error


def test_fill_substitutes_once_and_needs_every_value():
    # A value that looks like a placeholder is inserted literally, not substituted again.
    assert letter_text.fill("{provinsi} – {tahun}", {"provinsi": "{tahun}", "tahun": "2026"}) == "{tahun} – 2026"
    with pytest.raises(ValueError, match=r"\{nomor\}"):
        letter_text.fill("Nomor {nomor}, {tahun}", {"tahun": "2026"})
    with pytest.raises(ValueError, match="kosong"):
        letter_text.fill("", VALUES)


def test_paragraphs():
    text = "\r\n  Dengan hormat,\r\n\r\nBaris satu\nbaris dua\n \n\n\nDemikian.  \n"
    assert letter_text.paragraphs(text) == ["Dengan hormat,", "Baris satu\nbaris dua", "Demikian."]
    assert letter_text.paragraphs(" \n\n ") == []


# --- rendering ---


def _context(body=letter_text.DEFAULT_BODY):
    return LetterContext(
        province="Sumatera Selatan",
        cycle="Evaluasi KLA 2026",
        year=2026,
        number="400.2/123/DP3A/2026",
        date=datetime.date(2026, 11, 27),
        city="Palembang",
        signer="Dr. Andi Pratama, M.Si.",
        title="Gubernur Sumatera Selatan",
        body=body,
        rows=[
            LetterRow(1, "Kota Palembang", Decimal("973.9"), Decimal("951.25")),
            LetterRow(2, "Kabupaten Ogan Komering Ilir", Decimal("1234.5"), None),
            LetterRow(3, "Kota Prabumulih", None, None),
        ],
    )


def test_scores_and_date_are_written_the_indonesian_way():
    """Through kla.core.formatting: two decimals with "." for thousands and "," for decimals, "–" without a score,
    and the long date."""
    ctx = _context()
    ctx.rows.append(LetterRow(4, "Kabupaten Muara Enim", Decimal("1234.567"), Decimal("0.005")))
    html = render_letter_html(ctx)
    for expected in ("973,90", "951,25", "1.234,50", "1.234,57", "0,01", "27 November 2026"):
        assert expected in html, expected
    assert html.count('<td class="angka">–</td>') == 3, html  # Ogan Komering Ilir's VA, Prabumulih's EM and VA


def test_pdf_contains_letter_and_attachment():
    pdf = render_letter_pdf(_context())
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert len(reader.pages) >= 2  # the attachment starts on its own page
    for expected in (
        "Sumatera Selatan",
        "SUMATERA SELATAN",
        "Palembang, 27 November 2026",
        "Kota Palembang",
        "973,90",
        "951,25",
        "1.234,50",
        "–",
        "usulan 3 kabupaten/kota",
        "Halaman 1 dari",
        f"dari {len(reader.pages)}",
        "Perihal",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("Gubernur Sumatera Selatan", "Surat Gubernur Sumatera Selatan"),
        ("Kepala Dinas PPPA Provinsi Bali", "Surat Kepala Dinas PPPA Provinsi Bali"),
        ("a.n. Gubernur Sumatera Selatan\nKepala Dinas PPPA", "Surat Gubernur Sumatera Selatan"),
        ("Plt. Kepala Dinas PPPA Provinsi Aceh", "Surat Kepala Dinas PPPA Provinsi Aceh"),
        ("\n  Kepala Bappeda  \n", "Surat Kepala Bappeda"),
    ],
)
def test_the_attachment_names_the_signers_office(title: str, heading: str) -> None:
    assert letter_text.attachment_heading(title) == heading


def test_the_attachment_heading_follows_the_signer_not_always_the_governor():
    title = "Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi Sumatera Selatan"
    ctx = dataclasses.replace(_context(), title=title)
    html = render_letter_html(ctx)
    assert "Surat Gubernur" not in html
    assert "<td>Surat Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi Sumatera Selatan</td>" in html


def test_body_markup_is_escaped():
    html = render_letter_html(_context("Dengan hormat,\n\n<script>alert(1)</script> {provinsi}\nbaris baru"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sumatera Selatan<br>baris baru" in html


def test_invalid_body_is_refused():
    with pytest.raises(ValueError, match="tidak dikenal"):
        render_letter_html(_context("{x.__class__}"))


def test_no_url_is_fetched():
    with pytest.raises(ValueError, match="ditolak"):
        _NoFetch().fetch("file:///etc/hostname")
    # A refused resource is skipped with a warning; rendering still succeeds.
    html = '<p>x</p><img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/x.css">'
    assert weasyprint.HTML(string=html, base_url=None, url_fetcher=_NoFetch()).write_pdf().startswith(b"%PDF")
