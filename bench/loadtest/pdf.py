"""Synthetic evidence PDFs of any size that pass the upload inspection: one page plus one stream of random bytes."""

from __future__ import annotations

import os
import random

MB = 1024 * 1024


def evidence_size(rng: random.Random, *, tail: bool = True) -> int:
    """A file size from the load model: 70 % 1–3 MB, 25 % 5–10 MB, 5 % 20–45 MB. Without the tail (slow clients,
    whose 20–45 MB uploads would outlast a phase) those 5 % are 5–10 MB too."""
    roll = rng.random()
    if roll < 0.70:
        mb = rng.uniform(1, 3)
    elif roll < 0.95 or not tail:
        mb = rng.uniform(5, 10)
    else:
        mb = rng.uniform(20, 45)
    return int(mb * MB)


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
