"""Synthetic evidence PDFs of any size that pass the upload inspection: one page plus one stream of random bytes."""

from __future__ import annotations

import os


def make_pdf(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes (random, so every upload has its own SHA-256)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    padding = max(size - 600, 16)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets.append(len(out))
    out += b"4 0 obj\n<< /Length %d >>\nstream\n" % padding + os.urandom(padding) + b"\nendstream\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
