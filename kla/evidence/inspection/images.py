"""Image evidence (JPEG, PNG, WebP): decoded within a pixel limit, then re-encoded as pixels only.

Pure module: no Django import. Nothing of the original file travels: no EXIF (GPS location, camera), XMP, ICC
profile, comments or text chunks. The capture time is read from EXIF before it is dropped, and orientation is
applied to the pixels so the photo still stands upright.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageOps

from kla.core.formatting import format_count
from kla.core.marking import Text, gettext_noop
from kla.evidence.inspection.formats import FileFormat, words
from kla.evidence.inspection.policy import EvidencePolicy
from kla.evidence.inspection.refusals import EvidenceRejected, Rejection, reject

_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_SAVE_MODES = {"jpeg": {"L", "RGB", "CMYK"}, "png": {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"}}
_SAVE_MODES["webp"] = {"RGB", "RGBA"}
# Pillow `info` keys that describe the pixels rather than the picture's origin; any other key is metadata.
_STRUCTURAL_INFO = frozenset(
    words(
        "dpi jfif jfif_version jfif_unit jfif_density progressive progression adobe adobe_transform gamma transparency"
        " interlace aspect srgb bbox default_image duration loop background timestamp chromaticity lossless"
    )
)
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME, _OFFSET_ORIGINAL, _OFFSET = 36867, 306, 36881, 36880


@dataclass(frozen=True, slots=True)
class CleanImage:
    path: Path
    captured_at: datetime | None
    metadata_removed: bool
    notes: list[str]


def _count(n: int) -> Callable[[str], str]:
    return lambda lang: format_count(n, lang=lang)


def _check_pixels(size: tuple[int, int], policy: EvidencePolicy) -> None:
    width, height = size
    if width * height > policy.max_image_pixels:
        raise reject(
            Rejection.IMAGE_TOO_MANY_PIXELS,
            Text(
                gettext_noop(
                    "Gambar terlalu besar: %(width)s × %(height)s piksel; batasnya %(limit)s piksel. Perkecil "
                    "resolusinya lalu unggah lagi."
                ),
                width=_count(width),
                height=_count(height),
                limit=_count(policy.max_image_pixels),
            ),
            policy=policy,
        )


def clean_image(path: Path, fmt: FileFormat, *, policy: EvidencePolicy, clean_dir: Path) -> CleanImage:
    """Decode within the pixel limit, then write only the pixels (orientation applied) as a new file."""
    decoded = _decode(path, fmt, policy)
    out = _write_pixels(decoded.pixels, fmt, policy=policy, clean_dir=clean_dir)
    notes = []
    if decoded.had_gps:
        notes.append(gettext_noop("Data lokasi (GPS) pada foto telah dihapus."))
    if decoded.animated:
        notes.append(gettext_noop("Gambar bergerak: hanya bingkai pertama yang disimpan."))
    return CleanImage(out, decoded.captured_at, decoded.had_metadata, notes)


@dataclass(frozen=True, slots=True)
class _Decoded:
    pixels: Image.Image  # upright, without any of the original's metadata
    captured_at: datetime | None
    had_gps: bool
    had_metadata: bool
    animated: bool


def _decode(path: Path, fmt: FileFormat, policy: EvidencePolicy) -> _Decoded:
    """The image's pixels and what its metadata said, or a refusal (too many pixels, broken)."""
    pil_format = _PIL_FORMAT[fmt.key]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[pil_format]) as probe:
                _check_pixels(probe.size, policy)
                probe.verify()
            with Image.open(path, formats=[pil_format]) as im:
                _check_pixels(im.size, policy)
                animated = bool(getattr(im, "is_animated", False))
                im.load()
                exif = im.getexif()
                return _Decoded(
                    captured_at=_capture_date(exif),
                    had_gps=bool(exif.get_ifd(_GPS_IFD)) or _GPS_IFD in exif,
                    had_metadata=bool(exif) or any(k not in _STRUCTURAL_INFO for k in im.info),
                    animated=animated,
                    pixels=_pixels_only(im, fmt.key),  # loaded: leaving `with` closes the file, not the pixels
                )
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise reject(
            Rejection.IMAGE_TOO_MANY_PIXELS,
            Text(
                gettext_noop("Gambar terlalu besar; batasnya %(limit)s piksel. Perkecil resolusinya lalu unggah lagi."),
                limit=_count(policy.max_image_pixels),
            ),
            policy=policy,
            detail=str(exc),
        ) from exc
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, struct.error, EOFError, zlib.error) as exc:
        raise reject(
            Rejection.IMAGE_INVALID,
            Text(
                gettext_noop(
                    "Berkas %(label)s ini rusak atau tidak lengkap. Buka lalu simpan ulang gambarnya, kemudian unggah "
                    "lagi."
                ),
                label=Text(fmt.label),
            ),
            policy=policy,
            detail=repr(exc),
        ) from exc


def _write_pixels(pixels: Image.Image, fmt: FileFormat, *, policy: EvidencePolicy, clean_dir: Path) -> Path:
    """The pixels as a new file in `clean_dir`, checked to carry no metadata; nothing is left if that fails."""
    pil_format = _PIL_FORMAT[fmt.key]
    fd, name = tempfile.mkstemp(prefix="clean-", suffix=fmt.extension, dir=clean_dir)
    out = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            options: dict[str, object] = {"exif": b""}
            if fmt.key in ("jpeg", "webp"):
                options["quality"] = policy.jpeg_quality
            pixels.save(fh, format=pil_format, **options)
        _assert_no_metadata(out, pil_format)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def _pixels_only(im: Image.Image, key: str) -> Image.Image:
    ImageOps.exif_transpose(im, in_place=True)  # in place: no second full-size copy of a large photo
    upright = im
    if upright.mode not in _SAVE_MODES[key] or "transparency" in upright.info:
        has_alpha = "A" in upright.getbands() or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha and key != "jpeg" else "RGB")
    upright.info = {}  # nothing of the original travels: no EXIF, XMP, ICC, comments or text chunks
    return upright


def _assert_no_metadata(path: Path, pil_format: str) -> None:
    # A safety net against a Pillow upgrade that starts copying metadata by default.
    with Image.open(path, formats=[pil_format]) as im:
        leaked = bool(im.getexif()) or any(k not in _STRUCTURAL_INFO for k in im.info)
    if leaked:
        raise RuntimeError(f"re-encoded image still carries metadata: {path}")


def _capture_date(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(_EXIF_IFD)
    for raw, offset in ((sub.get(_DATETIME_ORIGINAL), sub.get(_OFFSET_ORIGINAL)), (exif.get(_DATETIME), None)):
        if isinstance(raw, bytes):
            raw = raw.decode("ascii", "replace")
        if not isinstance(raw, str):
            continue
        parsed = _parse_exif_datetime(raw.strip("\x00 "), offset if isinstance(offset, str) else None)
        if parsed is not None:
            return parsed
    return None


def _parse_exif_datetime(raw: str, offset: str | None) -> datetime | None:
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            value = datetime.strptime(raw[:19], pattern)  # EXIF local time: naive unless an offset tag exists
        except ValueError:
            continue
        match = re.fullmatch(r"([+-])(\d\d):(\d\d)", (offset or "").strip("\x00 "))
        if match:
            delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
            value = value.replace(tzinfo=timezone(-delta if match[1] == "-" else delta))
        return value
    return None
