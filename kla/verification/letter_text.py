"""The editable body of the governor's proposal letter (surat usulan gubernur).

The province edits a plain text with placeholders written ``{nama}``; ``check_body`` validates it and ``fill``
substitutes the values. Substitution uses a small regex, never ``str.format``: a user-edited text must not reach
attribute or index access such as ``{x.__class__}`` or ``{x[0]}``. Braces are reserved for placeholders.

Pure module: no Django import.
"""

import re
from collections.abc import Mapping

from kla.core.formatting import format_count

MAX_LENGTH = 5000

PLACEHOLDERS: dict[str, str] = {
    "provinsi": "Nama provinsi pengusul",
    "siklus": "Nama siklus evaluasi (mis. Evaluasi KLA 2026)",
    "tahun": "Tahun evaluasi",
    "jumlah": "Jumlah kabupaten/kota yang diusulkan",
    "tanggal": "Tanggal surat",
    "nomor": "Nomor surat",
    "penandatangan": "Nama penandatangan surat",
    "jabatan": "Jabatan penandatangan surat",
}

DEFAULT_BODY = """Dengan hormat,

Dalam rangka pelaksanaan {siklus}, bersama ini kami sampaikan usulan {jumlah} kabupaten/kota di Provinsi \
{provinsi} untuk mengikuti Evaluasi Kabupaten/Kota Layak Anak (KLA) Tahun {tahun}.

Kabupaten/kota yang diusulkan telah mengisi evaluasi mandiri dan telah diverifikasi administrasi oleh \
Pemerintah Provinsi {provinsi}. Daftar kabupaten/kota beserta nilai evaluasi mandiri dan nilai hasil \
verifikasi administrasi provinsi terlampir.

Kami mohon kabupaten/kota tersebut dapat diikutsertakan pada tahap evaluasi selanjutnya oleh Kementerian \
Pemberdayaan Perempuan dan Perlindungan Anak.

Demikian usulan ini kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.
"""

# A placeholder is a brace pair with no brace inside; what it contains is checked against PLACEHOLDERS.
_TOKEN = re.compile(r"\{([^{}]*)\}")


def _allowed() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def check_body(body: str) -> list[str]:
    """Indonesian error messages for ``body``; an empty list means the text can be filled."""
    if not body.strip():
        return ["Isi surat tidak boleh kosong."]
    errors: list[str] = []
    if len(body) > MAX_LENGTH:
        errors.append(
            f"Isi surat terlalu panjang: {format_count(len(body))} karakter (maksimum {format_count(MAX_LENGTH)})."
        )
    rest = _TOKEN.sub("", body)
    if "{" in rest or "}" in rest:
        errors.append("Kurung kurawal tidak seimbang: setiap { harus ditutup dengan } dan tidak boleh bersarang.")
    unknown = list(dict.fromkeys(name for name in _TOKEN.findall(body) if name not in PLACEHOLDERS))
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        errors.append(f"Placeholder tidak dikenal: {names}. Yang dapat dipakai: {_allowed()}.")
    return errors


def fill(body: str, values: Mapping[str, str]) -> str:
    """``body`` with every ``{nama}`` replaced by ``values[nama]``; ValueError if the text is invalid."""
    if errors := check_body(body):
        raise ValueError(" ".join(errors))
    missing = [name for name in dict.fromkeys(_TOKEN.findall(body)) if name not in values]
    if missing:
        raise ValueError("Nilai belum tersedia untuk placeholder: " + ", ".join(f"{{{n}}}" for n in missing) + ".")
    return _TOKEN.sub(lambda match: values[match[1]], body)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``: split on blank lines, stripped, empty ones dropped."""
    return [part.strip() for part in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if part.strip()]


_ON_BEHALF = re.compile(r"^(a\.\s*n\.|an\.|plt\.|plh\.|u\.\s*b\.)\s*", re.IGNORECASE)


def attachment_heading(title: str) -> str:
    """The attachment's "Lampiran: Surat …" line from the signer's title: the office the letter comes from. A title
    written on behalf of someone ("a.n. Gubernur Sumatera Selatan / Kepala Dinas …") names that office, the first
    line; an acting head ("Plt. Kepala Dinas …") names the office itself."""
    first = next((line.strip() for line in title.splitlines() if line.strip()), "")
    return f"Surat {_ON_BEHALF.sub('', first)}".strip()
