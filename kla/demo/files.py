"""Small real files for demo and synthetic data: a one-page PDF built byte for byte (the same text gives the same
bytes), so a decree or minutes file goes through the upload intake like a scanned document would."""

from __future__ import annotations

from collections.abc import Sequence


def pdf_bytes(title: str, lines: Sequence[str]) -> bytes:
    """A one-page PDF with text (Helvetica, ASCII), built by hand so its bytes never change."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = [f"BT /F1 16 Tf 72 770 Td ({esc(title)}) Tj ET"]
    ops += [f"BT /F1 11 Tf 72 {740 - 18 * n} Td ({esc(line)}) Tj ET" for n, line in enumerate(lines)]
    stream = "\n".join(ops).encode("ascii", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
