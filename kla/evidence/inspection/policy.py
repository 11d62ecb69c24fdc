"""What evidence is accepted and how large it may be: the kinds, the per-kind size limits and the archive caps.

Pure module: no Django import. `kla.evidence.services.policy()` builds the running policy from settings on top of
`DEFAULT_POLICY`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from kla.core.formatting import format_size
from kla.core.marking import Text, gettext_noop

MiB = 1024 * 1024
READ_CHUNK = MiB  # files are read in chunks of this size, so memory stays bounded whatever the upload

Kind = Literal["pdf", "image", "office", "video", "data"]
KINDS: tuple[Kind, ...] = ("pdf", "image", "office", "video", "data")


@dataclass(frozen=True, slots=True)
class EvidencePolicy:
    """Limits for evidence uploads. Sizes are in bytes (1 MB = 1,048,576 bytes, as file managers show them)."""

    max_pdf_bytes: int = 50 * MiB
    max_image_bytes: int = 20 * MiB
    max_office_bytes: int = 25 * MiB
    max_video_bytes: int = 200 * MiB
    max_data_bytes: int = 10 * MiB
    max_image_pixels: int = 40_000_000
    office_max_total_uncompressed: int = 200 * MiB
    office_max_members: int = 2_000
    office_max_ratio: int = 100
    office_max_member_bytes: int = 100 * MiB
    # Tiny members (styles, empty sheets) reach high ratios innocently; the total cap still bounds them.
    office_ratio_floor_bytes: int = 1 * MiB
    jpeg_quality: int = 90
    allowed_kinds: frozenset[str] = frozenset(KINDS)

    def allows(self, kind: Kind) -> bool:
        return kind in self.allowed_kinds

    def max_bytes(self, kind: Kind) -> int:
        return {
            "pdf": self.max_pdf_bytes,
            "image": self.max_image_bytes,
            "office": self.max_office_bytes,
            "video": self.max_video_bytes,
            "data": self.max_data_bytes,
        }[kind]

    def describe(self) -> Text:
        """The allowed types and limits as one Indonesian sentence for the upload form and refusal messages."""
        names: dict[Kind, str] = {
            "pdf": "PDF",
            "image": gettext_noop("gambar JPG/PNG/WebP"),
            "office": gettext_noop("dokumen Office DOCX/XLSX/PPTX/ODT/ODS"),
            "video": gettext_noop("video MP4/WebM"),
            "data": gettext_noop("tabel data CSV/TXT"),
        }
        parts = [
            Text(gettext_noop("%(kind)s (maks. %(size)s)"), kind=Text(names[k]), size=_size(self.max_bytes(k)))
            for k in KINDS
            if self.allows(k)
        ]
        if not parts:
            return Text(gettext_noop("Saat ini tidak ada jenis berkas yang diterima."))
        if len(parts) == 1:
            listed = parts[0]
        else:
            head = Text(
                ", ".join(f"%(p{i})s" for i in range(len(parts) - 1)), **{f"p{i}": p for i, p in enumerate(parts[:-1])}
            )
            listed = Text(gettext_noop("%(head)s, dan %(last)s"), head=head, last=parts[-1])
        return Text(gettext_noop("Jenis yang diterima: %(listed)s."), listed=listed)


def _size(n_bytes: int) -> Callable[[str], str]:
    return lambda lang: format_size(n_bytes, lang=lang)


DEFAULT_POLICY = EvidencePolicy()
